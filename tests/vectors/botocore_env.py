"""Shared by gen_sigv4.py and gen_sigv2_post.py: botocore 1.44.5, isolated from
the environment, with a clock the generator sets per case.

Importing this module scrubs AWS_*/BOTO_* variables and points botocore's config
files at /dev/null (before any session exists), checks the pinned version, and
freezes every clock botocore's presign paths read: `get_current_datetime`
(imported by name into botocore.auth, .signers and .utils) and, for SigV2 query
auth's `Expires`, `time.time()` inside botocore.auth. Set `NOW[0]` (a naive
UTC datetime) before each case.
"""

import calendar
import datetime
import os
import sys

BOTOCORE_VERSION = "1.44.5"

for _name in list(os.environ):
    if _name.startswith(("AWS_", "BOTO_")):
        del os.environ[_name]
os.environ["AWS_CONFIG_FILE"] = "/dev/null"
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"

_SCRIPT = os.path.basename(sys.argv[0])
try:
    import botocore
except ImportError:
    sys.exit(
        f"{_SCRIPT}: botocore is not importable; run this script from a venv with "
        f"`pip install -r tests/vectors/requirements.txt` (botocore=={BOTOCORE_VERSION})"
    )
if botocore.__version__ != BOTOCORE_VERSION:
    sys.exit(
        f"{_SCRIPT}: needs botocore=={BOTOCORE_VERSION}, but {botocore.__version__} "
        f"was imported from {os.path.dirname(botocore.__file__)}; run it from a venv with "
        f"`pip install -r tests/vectors/requirements.txt`"
    )

import botocore.auth  # noqa: E402
import botocore.compat  # noqa: E402
import botocore.signers  # noqa: E402
import botocore.utils  # noqa: E402

NOW = [datetime.datetime(2013, 5, 24)]  # naive UTC, set per case


def _frozen_current_datetime(remove_tzinfo=True):
    now = NOW[0]
    return now if remove_tzinfo else now.replace(tzinfo=datetime.timezone.utc)


for _mod in (botocore.compat, botocore.auth, botocore.signers, botocore.utils):
    assert hasattr(_mod, "get_current_datetime"), _mod.__name__
    _mod.get_current_datetime = _frozen_current_datetime


class _FrozenTime:
    """Stands in for the `time` module inside botocore.auth: SigV2 query auth
    computes `Expires` as `int(time.time() + expires)`."""

    @staticmethod
    def time():
        return float(calendar.timegm(NOW[0].utctimetuple()))

    def __getattr__(self, name):
        raise AssertionError(f"botocore.auth used time.{name}, which is not frozen")


assert botocore.auth.time.__name__ == "time"
botocore.auth.time = _FrozenTime()

# Query parameters and headers that no S3 operation models are added by this
# `before-sign.s3` handler, which runs just before botocore signs the request.
# Set INJECT["query"] / INJECT["headers"] per case; a query value of None is
# appended bare (`?torrent`).
INJECT = {"query": [], "headers": []}


def _inject_extras(request, **kwargs):
    from urllib.parse import urlsplit

    for name, value in INJECT["headers"]:
        if name.lower() in {n.lower() for n in request.headers.keys()}:
            raise AssertionError(f"injected header {name!r} already on the request")
        request.headers[name] = value
    if INJECT["query"]:
        parts = urlsplit(request.url)
        existing = {p.partition("=")[0] for p in parts.query.split("&") if p}
        pieces = []
        for name, value in INJECT["query"]:
            enc = botocore.utils.percent_encode(name)
            if enc in existing:
                raise AssertionError(f"injected query param {name!r} already in the URL")
            existing.add(enc)
            pieces.append(enc if value is None else f"{enc}={botocore.utils.percent_encode(value)}")
        sep = "&" if parts.query else "?"
        request.url = request.url + sep + "&".join(pieces)


import botocore.session  # noqa: E402

SESSION = botocore.session.Session()
SESSION.register("before-sign.s3", _inject_extras)
