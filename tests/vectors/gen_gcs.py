#!/usr/bin/env python3
"""Reference vectors for Google Cloud Storage V4 HMAC presigning (`Provider::Gcs`).

No Google SDK signs V4 URLs with an HMAC key, so the vectors are derived from
Google's published V4 signing conformance cases (googleapis/conformance-tests
`v4_signatures.json`, Apache-2.0; read from the workplace's shared reference
folder, `../shared/reference/gcs-v4-signatures-conformance.json` beside the
repository root, or from the path in $GCS_CONFORMANCE_JSON) and the documented
HMAC key derivation:

1. Each case's `expectedCanonicalRequest` is taken as published, with the one
   change an HMAC key implies: `X-Goog-Algorithm=GOOG4-RSA-SHA256` becomes
   `GOOG4-HMAC-SHA256`. The access id stays the case's service-account
   credential. (First, the published string to sign is checked to hash that
   published canonical request, so the two published fields agree.)
2. The string to sign is `GOOG4-HMAC-SHA256`, the timestamp, the published
   scope, and the hex SHA-256 of that canonical request.
3. The signing key follows Cloud Storage's "Signatures" documentation
   (derive-key): HMAC-SHA256 chained from UTF-8 "GOOG4" + secret over the
   date, the location (`auto`), `storage` and `goog4_request`; the signature
   is the hex HMAC of the string to sign.
4. The URL is the published `expectedUrl` with the same algorithm change and
   this signature.

Cases the crate signs differently on purpose are listed in EXCLUDED, with why.
Standard library only.

    python3 tests/vectors/gen_gcs.py          # (re)write gcs.json
    python3 tests/vectors/gen_gcs.py --check  # fail if gcs.json differs

tests/gcs_vectors.rs replays every case.
"""

import hashlib
import hmac
import json
import os
import sys

from pathlib import Path

sys.dont_write_bytecode = True  # importing vectorfile must leave no __pycache__ here
from vectorfile import run, unix  # noqa: E402

HERE = Path(__file__).parent
# Google's file is read where it is kept, not copied into the repository.
SOURCE = Path(
    os.environ.get("GCS_CONFORMANCE_JSON")
    or HERE.parent.parent.parent / "shared" / "reference" / "gcs-v4-signatures-conformance.json"
)
OUT = HERE / "gcs.json"

# An HMAC secret in the shape Cloud Storage issues (40 base64 characters);
# it is used verbatim, not base64-decoded.
SECRET = "bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ"

EXCLUDED = {
    "Slashes in object name should not be URL encoded":
        "signs a header named 'header/name/with/slash', which is not an HTTP "
        "token (RFC 9110 5.1): no client can send it, and the crate refuses it",
    "Simple GET with non-default hostname":
        "expects the signed host 'localhost' for an endpoint on port 8080; the "
        "crate signs the Host header HTTP sends, 'localhost:8080'",
    "Endpoint on client with scheme":
        "same as 'Simple GET with non-default hostname' (port 8080 left out of "
        "the signed host)",
    "Endpoint on client takes precedence over emulator":
        "same as 'Simple GET with non-default hostname' (port 8080 left out of "
        "the signed host)",
    "Universe domain with virtual hosted style":
        "expects the canonical URI '/test-bucket/test-object' with the host "
        "'test-bucket.storage.domain.com', contradicting 'Virtual Hosted "
        "Style', where a virtual-hosted canonical URI has no bucket",
}


def sha256_hex(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def hmac_sha256(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def signature(secret, date, location, string_to_sign):
    key = ("GOOG4" + secret).encode("utf-8")
    for part in (date, location, "storage", "goog4_request"):
        key = hmac_sha256(key, part)
    return hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def inputs(t):
    """The crate's inputs for a conformance case: endpoint and addressing."""
    style = {
        None: "auto",
        "VIRTUAL_HOSTED_STYLE": "virtual_hosted",
        "BUCKET_BOUND_HOSTNAME": "custom_domain",
    }[t.get("urlStyle")]
    scheme = t.get("scheme", "https")
    if style == "custom_domain":
        endpoint = f"{scheme}://{t['bucketBoundHostname']}"
    elif "hostname" in t:
        endpoint = f"{scheme}://{t['hostname']}"
    elif "clientEndpoint" in t:
        ce = t["clientEndpoint"]
        endpoint = ce if "://" in ce else f"{scheme}://{ce}"
    elif "emulatorHostname" in t:
        endpoint = t["emulatorHostname"]
    elif "universeDomain" in t:
        endpoint = f"{scheme}://storage.{t['universeDomain']}"
    else:
        endpoint = None  # the crate's default, https://storage.googleapis.com
    return endpoint, style


def derive(t):
    cr_rsa = t["expectedCanonicalRequest"]
    sts_rsa = t["expectedStringToSign"].split("\n")
    if sts_rsa[3] != sha256_hex(cr_rsa):
        raise SystemExit(f"{t['description']}: published string to sign does not hash the canonical request")
    algorithm, timestamp, scope = sts_rsa[0], sts_rsa[1], sts_rsa[2]
    assert algorithm == "GOOG4-RSA-SHA256", algorithm
    rsa_param = "X-Goog-Algorithm=GOOG4-RSA-SHA256"
    hmac_param = "X-Goog-Algorithm=GOOG4-HMAC-SHA256"
    assert cr_rsa.count(rsa_param) == 1 and t["expectedUrl"].count(rsa_param) == 1
    canonical_request = cr_rsa.replace(rsa_param, hmac_param)
    string_to_sign = "\n".join(["GOOG4-HMAC-SHA256", timestamp, scope, sha256_hex(canonical_request)])
    date, location, _service, _terminator = scope.split("/")
    sig = signature(SECRET, date, location, string_to_sign)
    url_rsa = t["expectedUrl"].replace(rsa_param, hmac_param)
    unsigned, _, old_sig = url_rsa.rpartition("&X-Goog-Signature=")
    assert unsigned and len(old_sig) == 512, t["description"]
    access_id = cr_rsa.split("X-Goog-Credential=")[1].split("%2F")[0].replace("%40", "@")
    endpoint, style = inputs(t)
    return {
        "description": t["description"],
        "method": t["method"],
        "bucket": t["bucket"],
        "key": t.get("object", ""),
        "endpoint": endpoint,
        "url_style": style,
        "region": location,
        "access_id": access_id,
        "secret": SECRET,
        "headers": sorted(t.get("headers", {}).items()),
        "query": sorted(t.get("queryParameters", {}).items()),
        "expires": t["expiration"],
        "signed_at_unix": unix(t["timestamp"]),
        "expected": {
            "canonical_request": canonical_request,
            "string_to_sign": string_to_sign,
            "signature": sig,
            "url": f"{unsigned}&X-Goog-Signature={sig}",
        },
    }


def generate():
    if not SOURCE.is_file():
        sys.exit(f"gen_gcs.py: Google's conformance cases not found at {SOURCE}; "
                 "set GCS_CONFORMANCE_JSON to a copy of googleapis/conformance-tests v4_signatures.json")
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    cases, excluded = [], []
    for t in source["signingV4Tests"]:
        if t["description"] in EXCLUDED:
            excluded.append({"description": t["description"], "why": EXCLUDED[t["description"]]})
        else:
            cases.append(derive(t))
    assert len(excluded) == len(EXCLUDED), "an excluded case is missing from the source"
    return {
        "generator": "tests/vectors/gen_gcs.py",
        "source": "googleapis/conformance-tests v4_signatures.json (gcs-v4-signatures-conformance.json)",
        "cases": cases,
        "excluded": excluded,
    }


if __name__ == "__main__":
    run(OUT, generate, __doc__)
