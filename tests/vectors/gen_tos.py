#!/usr/bin/env python3
"""Reference vectors for Volcengine TOS native presigning (`Provider::Tos`).

Each case is presigned with the Volcengine TOS Python SDK (`tos`, pinned in
requirements.txt), `TosClientV2.pre_signed_url(..., is_signed_all_headers=True)`
(the SDK's mode that signs every header the caller passes, which is what the
crate does), with the SDK's clock frozen at the case's signing time. No server
is contacted: presigning is local computation.

    python3 tests/vectors/gen_tos.py          # (re)write tos.json
    python3 tests/vectors/gen_tos.py --check  # fail if tos.json differs

tests/tos_vectors.rs replays every case.
"""

import datetime
import importlib.metadata
import random
import sys
import types
from pathlib import Path
from unittest import mock

import tos

sys.dont_write_bytecode = True  # importing vectorfile must leave no __pycache__ here
from vectorfile import parse_time, run, unix  # noqa: E402

TOS_VERSION = "2.9.3"
OUT = Path(__file__).with_name("tos.json")
SEED = 6

AK = "AKLTYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo"
SK = "TmpJd1pXTXpOV0UwTkRrMk5EQmxaVGsxT0dKbE1tRTRZemt3TmpZNE5UVQ=="


def case(description, **kw):
    c = {
        "description": description,
        "method": "GET",
        "bucket": "example-bucket",
        "key": "photos/cat.jpg",
        "region": "cn-beijing",
        # None: the SDK's (and the crate's) default endpoint for the region.
        "endpoint": None,
        "custom_domain": False,
        "access_key": AK,
        "secret_key": SK,
        "session_token": None,
        "query": [],
        "headers": [],
        "expires": 3600,
        "signed_at": "2024-05-17T08:09:10Z",
    }
    unknown = set(kw) - set(c)
    assert not unknown, unknown
    c.update(kw)
    return c


def cases():
    out = [
        # Volcengine TOS documentation, "URL 中包含签名" (Including a signature
        # in the URL), https://www.volcengine.com/docs/6349/129226: bucket
        # examplebucket, object exampleobject, cn-beijing, testAK/testSK,
        # 2022-01-01T00:00:00Z, 86400 s.
        case(
            "documentation example",
            bucket="examplebucket",
            key="exampleobject",
            access_key="testAK",
            secret_key="testSK",
            expires=86400,
            signed_at="2022-01-01T00:00:00Z",
        ),
    ]
    for method in ["GET", "PUT", "DELETE", "HEAD", "POST"]:
        out.append(case(f"method {method}", method=method))

    keys = [
        ("space plus percent", "a b+c%d.txt"),
        ("unicode", "文档/ünïcödé/報告.pdf"),
        ("emoji", "emoji/😀 smile.png"),
        ("reserved characters", "!*'()[]{}$&,;=@:#?.txt"),
        ("unreserved characters", "AZaz09-_.~/x"),
        ("double slash", "dir//double//slash"),
        ("dot segments kept", "./dot/../seg/."),
        ("leading slash", "/leading/slash"),
        ("trailing slash", "folder/"),
        ("tab and newline", "tab\tnew\nline"),
        ("percent-encoded look-alike", "%2F%41already%20encoded"),
        ("long key", "k/" + "0123456789abcdef" * 60),
    ]
    for description, key in keys:
        out.append(case(f"key: {description}", key=key))

    for region, endpoint in [
        ("cn-shanghai", None),
        ("cn-guangzhou", None),
        ("ap-southeast-1", None),
        ("cn-hongkong", "https://tos-cn-hongkong.volces.com"),
        ("ap-southeast-3", "https://tos-ap-southeast-3.volces.com"),
        ("cn-beijing", "https://tos-cn-beijing.ivolces.com"),
        ("cn-beijing", "http://tos-cn-beijing.volces.com"),
        ("cn-beijing2", "https://tos.internal.example:8443"),
    ]:
        out.append(
            case(f"region {region} endpoint {endpoint or 'default'}", region=region, endpoint=endpoint)
        )

    out += [
        case("bucket-level GET (ListObjectsV2)", key="", query=[("list-type", "2"), ("prefix", "photos/"), ("max-keys", "100")]),
        case("bucket-level PUT (CreateBucket)", method="PUT", key="", bucket="new-bucket-2024"),
        case("short bucket name", bucket="abc"),
        case("long bucket name", bucket="b" * 63),
        case("custom domain", endpoint="https://cdn.example.com", custom_domain=True),
        case("custom domain over http with port", endpoint="http://files.example.org:8080", custom_domain=True, key="a b/ü.txt"),
        case("custom domain, bucket-level", endpoint="https://media.example.net", custom_domain=True, key=""),
        case("session token", session_token="STSeyJBY2NvdW50SWQiOiIyMTAwMDAwMDAwIn0"),
        case("session token needing encoding", method="PUT", session_token="STS2+/=token with space&more"),
        case("response overrides", query=[
            ("response-content-disposition", 'attachment; filename="cat picture.jpg"'),
            ("response-content-type", "image/jpeg"),
            ("response-cache-control", "no-cache"),
        ]),
        case("empty query value", query=[("uploads", ""), ("acl", "")], method="POST"),
        case("multipart UploadPart", method="PUT", query=[("partNumber", "7"), ("uploadId", "0a1b2c3d4e5f+/=")]),
        case("image processing parameter", query=[("x-tos-process", "image/resize,w_100/quality,q_80")]),
        case("versionId", query=[("versionId", "3HL4kqtJvjVBH40Nrjfkd")]),
        case("raw order differs from encoded order", query=[("z", "1"), ("é", "2"), ("[x]", "3"), ("Y", "4"), ("a b", "5"), ("a-b", "6")]),
        case("unicode and reserved query names and values", query=[("名字", "值 ü"), ("a/b=c&d", "e?f#g"), ("~t", "%25")]),
        case("content-type signed", method="PUT", headers=[("Content-Type", "image/jpeg")]),
        case("x-tos headers", method="PUT", headers=[
            ("x-tos-acl", "private"),
            ("x-tos-meta-author", "Zhang  San"),
            ("x-tos-storage-class", "IA"),
        ]),
        case("mixed-case header names", method="PUT", headers=[("X-Tos-Meta-Project", "Apollo"), ("Content-Disposition", "inline")]),
        case("server-side encryption headers", method="PUT", headers=[
            ("x-tos-server-side-encryption-customer-algorithm", "AES256"),
            ("x-tos-server-side-encryption-customer-key", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="),
            ("x-tos-server-side-encryption-customer-key-md5", "zZ5FnqcIqUjVwvWmyog4zw=="),
        ]),
        case("x-tos-content-sha256 replaces the payload hash", method="PUT", headers=[
            ("x-tos-content-sha256", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
            ("content-length", "5"),
        ]),
        case("range header", headers=[("range", "bytes=0-1023")]),
        case("headers and query together", method="PUT", key="uploads/ü a.bin",
             query=[("uploadId", "abc"), ("partNumber", "1")],
             headers=[("content-md5", "1B2M2Y8AsgTpgAmY7PhCfg=="), ("x-tos-meta-k", "v")],
             session_token="STSTOKEN"),
    ]
    for expires in [1, 60, 900, 86400, 604800]:
        out.append(case(f"expires {expires}", expires=expires))
    for signed_at in ["2024-02-29T23:59:59Z", "2030-12-31T23:59:59Z", "2000-01-01T00:00:00Z"]:
        out.append(case(f"signed at {signed_at}", signed_at=signed_at))

    # A seeded batch mixing the dimensions above.
    rng = random.Random(SEED)
    alphabet = "abcXYZ019 -_.~/!$&'()*+,;=:@%é中😀"
    for i in range(10):
        key = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))
        out.append(case(
            f"seeded mix {i}",
            method=rng.choice(["GET", "PUT", "DELETE", "HEAD"]),
            key=key,
            region=rng.choice(["cn-beijing", "cn-shanghai", "cn-guangzhou", "ap-southeast-1"]),
            session_token=rng.choice([None, f"STS{rng.getrandbits(64):x}"]),
            query=[(f"q{j}{rng.choice(alphabet)}", "".join(rng.choice(alphabet) for _ in range(5))) for j in range(rng.randint(0, 3))],
            headers=[(f"x-tos-meta-m{j}", f"value {rng.getrandbits(16)}") for j in range(rng.randint(0, 2))],
            expires=rng.randint(1, 604800),
            signed_at=f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z",
        ))

    # Seeded arbitrary query parameters and headers, added as a caller adds
    # them: reserved characters, Unicode and empty values in the query;
    # header values with inner runs of spaces, tabs and Unicode spaces (the
    # SDK signs values verbatim; leading and trailing whitespace is left out
    # because HTTP drops it before the server sees it, and the crate signs
    # what the server sees). A second generator, so the cases above stay.
    raw = random.Random(SEED + 1)
    # The signer writes host and the payload hash itself, and refuses the
    # headers botocore never signs (hop-by-hop, tracing, user-agent).
    EXCLUDED_HEADERS = {"host", "x-tos-content-sha256", "baggage", "connection", "expect",
                        "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
                        "traceparent", "tracestate", "trailer", "transfer-encoding", "upgrade",
                        "user-agent", "x-amzn-trace-id"}
    text = "abcXYZ019 -_.~/!$&'()*+,;=:@%?#[]é中😀\u00a0\u3000"
    value_text = "abcXYZ019-_.,;:=/+\"'() \t\u00a0\u3000é中"
    token = "abcdefghijklmnopqrstuvwxyz0123456789-!#$%&'*+.^_`|~"

    def draw(alphabet, lo, hi):
        return "".join(raw.choice(alphabet) for _ in range(raw.randint(lo, hi)))

    for i in range(30):
        query, names = [], set()
        for _ in range(raw.randint(0, 4)):
            name = draw(text, 1, 10)
            if name.lower().startswith("x-tos-") or name in names:
                continue
            names.add(name)
            query.append((name, draw(text, 0, 16)))
        headers, header_names = [], set()
        for _ in range(raw.randint(0, 3)):
            name = raw.choice(["x-tos-meta-" + draw(token, 1, 10), draw(token, 1, 10), "Content-Type"])
            if name.lower() in header_names | EXCLUDED_HEADERS:
                continue
            header_names.add(name.lower())
            headers.append((name, draw(value_text, 0, 20).strip(" \t\u00a0\u3000")))
        out.append(case(
            f"seeded raw {i}",
            method=raw.choice(["GET", "PUT", "DELETE", "HEAD"]),
            key=draw(text, 1, 30),
            session_token=raw.choice([None, "STS2+/=tok"]),
            query=query,
            headers=headers,
        ))
    return out



def presign(c):
    frozen_at = parse_time(c["signed_at"])

    class FrozenDatetime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return frozen_at

    # tos/auth.py reads the time with datetime.datetime.utcnow().
    clock = types.SimpleNamespace(datetime=FrozenDatetime, timedelta=datetime.timedelta)
    with mock.patch("tos.auth.datetime", clock):
        client = tos.TosClientV2(
            c["access_key"],
            c["secret_key"],
            c["endpoint"] or "",
            c["region"],
            security_token=c["session_token"],
            is_custom_domain=c["custom_domain"],
        )
        out = client.pre_signed_url(
            getattr(tos.HttpMethodType, "Http_Method_" + c["method"].capitalize()),
            c["bucket"],
            c["key"],
            expires=c["expires"],
            header=dict(c["headers"]),
            query=dict(c["query"]),
            is_signed_all_headers=True,
        )
    return {
        "url": out.signed_url,
        "signed_headers": sorted([k.lower(), v] for k, v in out.signed_header.items()),
    }


def generate():
    installed = importlib.metadata.version("tos")
    if installed != TOS_VERSION:
        sys.exit(f"need tos=={TOS_VERSION} (requirements.txt), found {installed}")
    out = []
    for c in cases():
        out.append({**c, "signed_at_unix": unix(c["signed_at"]), "expected": presign(c)})
    return {
        "generator": "tests/vectors/gen_tos.py",
        "sdk": f"tos=={TOS_VERSION}",
        "cases": out,
    }


if __name__ == "__main__":
    run(OUT, generate, __doc__)
