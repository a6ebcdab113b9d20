#!/usr/bin/env python3
"""Generate SigV4 presigned-URL reference vectors from botocore 1.44.5.

Writes tests/vectors/sigv4.json next to this script.  Every case is produced by
botocore itself (``client.generate_presigned_url``) with a frozen clock, fake
credentials and no network access; tests/sigv4_vectors.rs replays the cases
through the `presign` crate and compares the result.

Usage (see README.md in this directory):

    python3 -m venv /tmp/vv
    /tmp/vv/bin/pip install -r tests/vectors/requirements.txt
    /tmp/vv/bin/python tests/vectors/gen_sigv4.py          # rewrite sigv4.json
    /tmp/vv/bin/python tests/vectors/gen_sigv4.py --check  # verify it reproduces
"""

import base64
import calendar
import datetime
import hashlib
import json
import random
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

# botocore 1.44.5 with no environment and a frozen clock (see botocore_env.py).
sys.dont_write_bytecode = True  # leave no __pycache__ beside the vectors
from botocore_env import INJECT as _INJECT, NOW as _NOW, SESSION as _SESSION  # noqa: E402
from vectorfile import write_or_check  # noqa: E402

import botocore  # noqa: E402
import botocore.auth  # noqa: E402
import botocore.utils  # noqa: E402
from botocore.config import Config  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "sigv4.json"
GENERATOR = "tests/vectors/gen_sigv4.py"
SEED = 20240229

AUTH_PARAMS = (
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Security-Token",
    "X-Amz-Signature",
)

# ---------------------------------------------------------------------------
# botocore instrumentation
# ---------------------------------------------------------------------------

_CAPTURE = {}
_orig_canonical_request = botocore.auth.S3SigV4QueryAuth.canonical_request
_orig_string_to_sign = botocore.auth.S3SigV4QueryAuth.string_to_sign


def _capture_canonical_request(self, request):
    cr = _orig_canonical_request(self, request)
    _CAPTURE["headers"] = list(request.headers.items())
    _CAPTURE["canonical_request"] = cr
    _CAPTURE["signer"] = type(self).__name__
    return cr


def _capture_string_to_sign(self, request, canonical_request):
    sts = _orig_string_to_sign(self, request, canonical_request)
    _CAPTURE["string_to_sign"] = sts
    return sts


botocore.auth.S3SigV4QueryAuth.canonical_request = _capture_canonical_request
botocore.auth.S3SigV4QueryAuth.string_to_sign = _capture_string_to_sign

_CLIENTS = {}


def _dns_compatible(bucket):
    """S3's rule for a bucket that can be a host name (3-63 of a-z 0-9 . -)."""
    import ipaddress
    import re
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", bucket):
        return False
    if ".." in bucket or ".-" in bucket or "-." in bucket:
        return False
    try:
        ipaddress.IPv4Address(bucket)
        return False
    except ValueError:
        return True


def botocore_addressing(style, endpoint, region, bucket):
    """The botocore `addressing_style` that produces the URL presign's UrlStyle gives.

    They are the same (auto/path/virtual) except in one place: with no endpoint, in
    AWS's standard partition, botocore's `auto` presigns against the legacy global
    endpoint `s3.amazonaws.com` in every region (the scope still names the region).
    presign's `Auto` uses the region's own endpoint instead (the global one does not
    serve regions opened since 2019): virtual-hosted for a DNS-compatible bucket
    without dots, path style otherwise, which botocore produces with those explicit
    styles.  In us-east-1 both hosts are `s3.amazonaws.com`, so nothing changes there.
    """
    names = {"auto": "auto", "path": "path", "virtual_hosted": "virtual"}
    if style != "auto" or endpoint is not None or region.startswith(("cn-", "us-gov-")):
        return names[style]
    return "virtual" if _dns_compatible(bucket) and "." not in bucket else "path"


def _client(region, endpoint, botocore_style, ak, sk, token):
    key = (region, endpoint, botocore_style, ak, sk, token)
    if key not in _CLIENTS:
        _CLIENTS[key] = _SESSION.create_client(
            "s3",
            region_name=region,
            endpoint_url=endpoint,
            aws_access_key_id=ak,
            aws_secret_access_key=sk,
            aws_session_token=token,
            config=Config(signature_version="s3v4", s3={"addressing_style": botocore_style}),
        )
    return _CLIENTS[key]


# ---------------------------------------------------------------------------
# case definitions
# ---------------------------------------------------------------------------

AK = "AKIAIOSFODNN7EXAMPLE"
SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
T0 = datetime.datetime(2013, 5, 24, 0, 0, 0)
BUCKET = "examplebucket"

BUCKET_LEVEL_METHODS = {
    "list_objects_v2", "list_objects", "create_bucket", "delete_bucket", "head_bucket",
    "get_bucket_location", "list_multipart_uploads", "list_object_versions",
    "get_bucket_versioning", "get_bucket_cors",
}

SPECS = []


def case(name, client_method, params, *, region="us-east-1", endpoint=None, style="auto",
         http_method=None, access_key=AK, secret_key=SK, token=None, inject_query=(),
         inject_headers=(), expires=3600, at=T0):
    params = dict(params)
    params.setdefault("Bucket", BUCKET)
    if client_method not in BUCKET_LEVEL_METHODS:
        params.setdefault("Key", "test.txt")
    SPECS.append(dict(
        name=name, client_method=client_method, params=params, region=region,
        endpoint=endpoint, style=style, http_method=http_method, access_key=access_key,
        secret_key=secret_key, token=token, inject_query=[list(p) for p in inject_query],
        inject_headers=[list(h) for h in inject_headers], expires=expires, at=at,
    ))


# --- the AWS documentation example (GET examplebucket/test.txt, 2013-05-24, 86400 s)
case("aws-doc-example-get-virtual", "get_object", {"Key": "test.txt"}, expires=86400)
case("aws-doc-example-get-path", "get_object", {"Key": "test.txt"}, style="path", expires=86400)

# --- object keys ---------------------------------------------------------------
KEYS = [
    ("plain", "photo.jpg"),
    ("nested", "a/b/c/d.txt"),
    ("double-slash", "a//b///c"),
    ("leading-slash", "/leading"),
    ("leading-double-slash", "//two/slashes"),
    ("trailing-slash", "dir/sub/"),
    ("only-slash", "/"),
    ("dot-segments", "./a/../b/./c"),
    ("dotdot-traversal", "../../etc/passwd"),
    ("single-dot", "."),
    ("double-dot", ".."),
    ("space", "my file name.txt"),
    ("trailing-space", "trailing "),
    ("plus", "a+b+c"),
    ("percent", "100%"),
    ("percent20-literal", "a%20b"),
    ("percent2f-literal", "a%2Fb%2fc"),
    ("equals", "k=v=w"),
    ("ampersand", "a&b&&c"),
    ("question-mark", "what?x=1"),
    ("hash", "a#frag#x"),
    ("sub-delims", "!*'()"),
    ("tilde", "~user/~file~"),
    ("semicolon-colon-at-dollar-comma", ";:@$,"),
    ("brackets-and-others", "[]{}<>|\\^`\""),
    ("unreserved", "AZaz09-_.~"),
    ("all-ascii-punctuation", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
    ("x-amz-lookalike", "X-Amz-Signature=abc&X-Amz-Date=1"),
    ("control-chars", "tab\there\x7fdel"),
    ("unicode-accents", "café/naïve résumé.txt"),
    ("unicode-nfc", "caf\u00e9"),
    ("unicode-nfd-combining", "cafe\u0301"),
    ("unicode-cjk", "日本語/ファイル名.txt"),
    ("unicode-hangul", "한국어 파일"),
    ("unicode-emoji", "😀/🎉 party.png"),
    ("unicode-emoji-zwj", "👩‍👩‍👧‍👦 family"),
    ("unicode-rtl", "שלום/مرحبا"),
    ("unicode-nbsp-zwsp", "a\u00a0b\u200bc"),
    ("long-ascii-1000", "long/" + "abcdefghij" * 99 + "12345"),
    ("long-unicode-1020", "é" * 510),
    ("long-mixed-1024", ("k/é 中+" * 93)[:-1]),
]
for label, key in KEYS:
    assert len(key.encode()) <= 1024, label
    case(f"key-{label}-auto", "get_object", {"Key": key})
    case(f"key-{label}-path-style", "get_object", {"Key": key}, style="path")
for label, key in KEYS[::4]:
    case(f"key-{label}-custom-endpoint", "put_object", {"Key": key},
         endpoint="https://s3.filebase.com", region="us-east-1")
    case(f"key-{label}-virtual-custom-endpoint-prefix", "get_object", {"Key": key},
         endpoint="https://example.com/s3-prefix", style="virtual_hosted")

# --- buckets --------------------------------------------------------------------
B63 = "b" + "0123456789-abcdefghijklmnopqrstuvwxyz-0123456789-abcdefghijkl" + "z"
assert len(B63) == 63, len(B63)
BUCKETS = [
    ("normal", "examplebucket", True),
    ("hyphens-digits", "my-bucket-123", True),
    ("leading-digit", "1bucket", True),
    ("three-chars", "abc", True),
    ("sixty-three-chars", B63, True),
    ("dotted", "my.dotted.bucket", False),
    ("short-ab", "ab", False),
    ("uppercase", "MyBucket", False),
    ("underscore", "under_score", False),
    ("ip-shaped", "192.168.5.4", False),
]
for label, bucket, virtual_ok in BUCKETS:
    case(f"bucket-{label}-auto", "get_object", {"Bucket": bucket, "Key": "obj.bin"})
    case(f"bucket-{label}-path-style", "get_object", {"Bucket": bucket, "Key": "obj.bin"},
         style="path")
    case(f"bucket-{label}-auto-eu-west-1", "get_object", {"Bucket": bucket, "Key": "obj.bin"},
         region="eu-west-1")
    case(f"bucket-{label}-auto-custom-endpoint-list", "list_objects_v2", {"Bucket": bucket},
         endpoint="https://s3.example.com")
    if virtual_ok:
        case(f"bucket-{label}-virtual-hosted", "get_object", {"Bucket": bucket, "Key": "obj.bin"},
             style="virtual_hosted", region="eu-west-1")
        case(f"bucket-{label}-virtual-hosted-custom-endpoint", "get_object",
             {"Bucket": bucket, "Key": "obj.bin"}, style="virtual_hosted",
             endpoint="https://s3.example.com:8443")
# dotted buckets with virtual_hosted: botocore uses a virtual host over plain http
# (not on an IP-literal endpoint).  Over https it silently falls back to path style;
# presign honours the explicit VirtualHosted there, so those cases are not generated.
case("bucket-dotted-virtual-hosted-http-endpoint", "get_object",
     {"Bucket": "my.dotted.bucket", "Key": "obj.bin"}, style="virtual_hosted",
     endpoint="http://s3.example.com")
case("bucket-dotted-virtual-hosted-http-endpoint-port", "get_object",
     {"Bucket": "a.b.c", "Key": "obj.bin"}, style="virtual_hosted",
     endpoint="http://localhost:9000")
case("bucket-dotted-auto-http-endpoint", "get_object",
     {"Bucket": "my.dotted.bucket", "Key": "obj.bin"}, endpoint="http://s3.example.com")

# --- regions --------------------------------------------------------------------
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2",
           "sa-east-1", "cn-north-1", "cn-northwest-1", "us-gov-west-1", "garage"]
for region in REGIONS:
    case(f"region-{region}-auto", "get_object", {"Key": "r/obj"}, region=region)
    case(f"region-{region}-path-style", "get_object", {"Key": "r/obj"}, region=region,
         style="path")
    case(f"region-{region}-virtual-hosted", "get_object", {"Key": "r/obj"}, region=region,
         style="virtual_hosted")
    case(f"region-{region}-auto-dotted-bucket", "get_object",
         {"Bucket": "my.dotted.bucket", "Key": "r/obj"}, region=region)
    case(f"region-{region}-auto-list-bucket", "list_objects_v2", {"Prefix": "r/"},
         region=region)
case("region-garage-custom-endpoint-auto", "get_object", {"Key": "r/obj"}, region="garage",
     endpoint="http://localhost:3900")
case("region-garage-custom-endpoint-virtual-hosted", "put_object", {"Key": "r/obj"},
     region="garage", endpoint="https://garage.example.org:3900", style="virtual_hosted")
case("region-minio-us-east-1-custom-endpoint", "get_object", {"Key": "r/obj"},
     endpoint="http://127.0.0.1:9000", access_key="minioadmin", secret_key="minioadmin")
case("region-auto-r2-custom-endpoint", "get_object", {"Key": "r/obj"}, region="auto",
     endpoint="https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com")

# --- endpoints ------------------------------------------------------------------
ENDPOINTS = [
    ("https-filebase", "https://s3.filebase.com"),
    ("http", "http://s3.example.com"),
    ("http-localhost-9000", "http://localhost:9000"),
    ("https-port-9000", "https://minio.example.net:9000"),
    ("https-port-8443", "https://s3.example.com:8443"),
    ("https-explicit-443", "https://s3.example.com:443"),
    ("http-explicit-80", "http://s3.example.com:80"),
    ("https-port-80", "https://s3.example.com:80"),
    ("http-port-443", "http://s3.example.com:443"),
    ("uppercase-host", "https://S3.EXAMPLE.COM"),
    ("uppercase-host-port", "https://S3.Example.COM:8443"),
    ("path-prefix", "https://example.com/s3-prefix"),
    ("path-prefix-trailing-slash", "https://example.com/s3-prefix/"),
    ("nested-path-prefix", "http://example.com:8080/a/b/storage"),
    ("ipv4-port", "http://127.0.0.1:9000"),
    ("ipv4-no-port", "http://127.0.0.1"),
    ("ipv4-https-443", "https://127.0.0.1:443"),
    ("ipv6-port", "http://[::1]:9000"),
    ("ipv6-https", "https://[::1]:8443"),
]
for label, ep in ENDPOINTS:
    for style in ("auto", "path", "virtual_hosted"):
        # botocore falls back to path style for virtual_hosted on an IP endpoint;
        # presign refuses it (tests/errors.rs), so no vector.
        if style == "virtual_hosted" and any(c in ep for c in ("127.0.0.1", "[::1]")):
            continue
        case(f"endpoint-{label}-{style.replace('_', '-')}", "get_object", {"Key": "dir/obj 1.txt"},
             endpoint=ep, style=style)
    case(f"endpoint-{label}-bucket-level-path", "list_objects_v2", {"Prefix": "dir/"},
         endpoint=ep, style="path")
    if not any(c in ep for c in ("127.0.0.1", "[::1]")):
        case(f"endpoint-{label}-bucket-level-virtual", "create_bucket", {}, endpoint=ep,
             style="virtual_hosted")

# --- operations / methods ------------------------------------------------------------
OPS = [
    ("get-object", "get_object", {}, None),
    ("head-object", "head_object", {}, None),
    ("delete-object", "delete_object", {}, None),
    ("delete-object-version", "delete_object", {"VersionId": "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"}, None),
    ("put-object", "put_object", {}, None),
    ("put-object-checksum-crc32", "put_object", {"ChecksumAlgorithm": "CRC32"}, None),
    ("put-object-checksum-sha256", "put_object", {"ChecksumAlgorithm": "SHA256", "ContentType": "image/png"}, None),
    ("upload-part", "upload_part", {"PartNumber": 7, "UploadId": "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA"}, None),
    ("upload-part-checksum-crc32c", "upload_part", {"PartNumber": 10000, "UploadId": "a/b+c=", "ChecksumAlgorithm": "CRC32C"}, None),
    ("create-multipart-upload", "create_multipart_upload", {}, None),
    ("create-multipart-upload-checksum-sha256", "create_multipart_upload", {"ChecksumAlgorithm": "SHA256"}, None),
    ("create-multipart-upload-content-type", "create_multipart_upload", {"ContentType": "video/mp4", "Metadata": {"origin": "cam-1"}}, None),
    ("complete-multipart-upload", "complete_multipart_upload", {"UploadId": "upload-123"}, None),
    ("abort-multipart-upload", "abort_multipart_upload", {"UploadId": "upload-123"}, None),
    ("list-parts", "list_parts", {"UploadId": "upload-123", "MaxParts": 100, "PartNumberMarker": 5}, None),
    ("get-object-tagging", "get_object_tagging", {}, None),
    ("get-object-with-put-method", "get_object", {}, "PUT"),
    ("list-objects-v2", "list_objects_v2", {}, None),
    ("list-objects-v2-prefix-delimiter", "list_objects_v2", {"Prefix": "photos/2024/", "Delimiter": "/"}, None),
    ("list-objects-v2-empty-prefix", "list_objects_v2", {"Prefix": ""}, None),
    ("list-objects-v2-all-params", "list_objects_v2", {"Prefix": "a b/é", "Delimiter": "/", "MaxKeys": 1000, "ContinuationToken": "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=", "FetchOwner": True, "StartAfter": "a b/0"}, None),
    ("list-objects-v1", "list_objects", {"Prefix": "x/", "Marker": "x/5"}, None),
    ("list-object-versions", "list_object_versions", {"Prefix": "logs/"}, None),
    ("list-multipart-uploads", "list_multipart_uploads", {}, None),
    ("get-bucket-location", "get_bucket_location", {}, None),
    ("get-bucket-versioning", "get_bucket_versioning", {}, None),
    ("create-bucket", "create_bucket", {}, None),
    ("delete-bucket", "delete_bucket", {}, None),
    ("head-bucket", "head_bucket", {}, None),
]
for label, method, params, http_method in OPS:
    # botocore forces path style for GetBucketLocation whatever the config says, so
    # those cases are recorded (and replayed) as path style.
    default_style = "path" if method == "get_bucket_location" else "auto"
    case(f"op-{label}-{default_style}", method, params, http_method=http_method,
         style=default_style, expires=900)
    case(f"op-{label}-path-style-eu-west-1", method, params, http_method=http_method,
         style="path", region="eu-west-1", expires=900)
    case(f"op-{label}-custom-endpoint-token", method, params, http_method=http_method,
         style=default_style, endpoint="https://s3.example.com:9000",
         token="short-session-token", expires=900)

# --- session tokens -----------------------------------------------------------------
_rng_tok = random.Random(SEED + 1)
LONG_TOKEN = base64.b64encode(bytes(_rng_tok.getrandbits(8) for _ in range(601))).decode()
assert "/" in LONG_TOKEN and "+" in LONG_TOKEN and LONG_TOKEN.endswith("="), LONG_TOKEN[-8:]
TOKENS = [
    ("short", "token123"),
    ("sts-like", "IQoJb3JpZ2luX2VjEMv//////////wEaCXVzLWVhc3QtMSJHMEUCIQDa+ZV3/iRnhvKVeOY="),
    ("long-base64", LONG_TOKEN),
    ("url-special", "a/b+c=d&e?f#g h%20~"),
]
for label, tok in TOKENS:
    case(f"token-{label}-get-auto", "get_object", {"Key": "secret/doc.pdf"}, token=tok)
    case(f"token-{label}-put-path-headers", "put_object",
         {"Key": "up load.bin", "ContentType": "application/octet-stream"}, token=tok,
         style="path", region="ap-southeast-2")
    case(f"token-{label}-list-custom-endpoint", "list_objects_v2", {"Prefix": "p/"}, token=tok,
         endpoint="http://localhost:9000")

# --- extra query parameters -------------------------------------------------------------
case("query-response-content-disposition-quotes-semicolon", "get_object",
     {"ResponseContentDisposition": 'attachment; filename="report 2024.pdf"'})
case("query-response-content-disposition-unicode", "get_object",
     {"ResponseContentDisposition": "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf; filename=\"résumé.pdf\""})
case("query-response-content-type", "get_object", {"ResponseContentType": "text/plain; charset=utf-8"})
case("query-response-all", "get_object", {
    "ResponseCacheControl": "no-cache, no-store", "ResponseContentDisposition": "inline",
    "ResponseContentEncoding": "gzip", "ResponseContentLanguage": "en-US, fr",
    "ResponseContentType": "application/json", "ResponseExpires": "2030-01-01T00:00:00Z"})
case("query-version-id", "get_object", {"VersionId": "L4kqtJlcpXroDTDmpUMLUo/+=x"})
case("query-version-id-empty", "get_object", {"VersionId": ""})
case("query-part-number", "get_object", {"PartNumber": 3})
case("query-response-and-version-path-style", "get_object",
     {"ResponseContentType": "image/jpeg", "VersionId": "null", "PartNumber": 1}, style="path")
case("query-injected-x-id", "get_object", {}, inject_query=[("x-id", "GetObject")])
case("query-injected-empty-value", "get_object", {}, inject_query=[("flag", "")])
case("query-injected-special-values", "get_object", {}, inject_query=[
    ("v", "a=b&c?d#e/f g+h%20i~j")])
case("query-injected-special-names", "get_object", {}, inject_query=[
    ("a b", "1"), ("c+d", "2"), ("e/f", "3"), ("g~h", "4"), ("ü", "5")])
case("query-injected-sort-by-encoded-name", "get_object", {}, inject_query=[
    ("aé", "x"), ("aZ", "y"), ("a", "z"), ("a-b", "w"), ("ab", "v"), ("Zeta", "u"), ("_u", "t")])
case("query-injected-unicode-values", "get_object", {}, inject_query=[
    ("note", "日本語 😀 café"), ("nfd", "cafe\u0301")])
case("query-injected-after-modelled", "get_object",
     {"ResponseContentType": "text/csv", "VersionId": "v2"},
     inject_query=[("custom", "1"), ("another", "two words")])
case("query-injected-bucket-level", "list_objects_v2", {"Prefix": "x"},
     inject_query=[("x-id", "ListObjectsV2")], style="path")
case("query-injected-put-with-token", "put_object", {}, token="tok/+=",
     inject_query=[("x-custom", "é")], endpoint="https://s3.example.com")
case("query-injected-many-params", "get_object", {},
     inject_query=[(f"p{i:02d}", f"value {i}") for i in range(25)])

# --- signed headers -------------------------------------------------------------------
case("header-content-type", "put_object", {"ContentType": "text/plain"})
case("header-content-md5", "put_object", {"ContentMD5": "1B2M2Y8AsgTpgAmY7PhCfg=="})
case("header-content-type-and-md5", "put_object",
     {"ContentType": "application/json; charset=utf-8", "ContentMD5": "XUFAKrxLKna5cZ2REBfFkg=="},
     style="path")
case("header-cache-control", "put_object", {"CacheControl": "max-age=3600, public"})
case("header-content-disposition-encoding-language", "put_object", {
    "ContentDisposition": 'attachment; filename="a b.txt"', "ContentEncoding": "gzip",
    "ContentLanguage": "de-DE"})
case("header-content-length", "put_object", {"ContentLength": 1048576})
case("header-expires", "put_object", {"Expires": "2030-01-01T00:00:00Z"})
case("header-metadata-simple", "put_object", {"Metadata": {"author": "alice", "project": "x"}})
case("header-metadata-whitespace-runs", "put_object",
     {"Metadata": {"spaced": "a   b    c", "tabbed": "a\tb\t\tc", "mixed": "a \t b\t \tc"}})
case("header-metadata-leading-trailing", "put_object",
     {"Metadata": {"lead": "   leading", "trail": "trailing   ", "both": " \t both \t "}})
case("header-metadata-uppercase-name", "put_object", {"Metadata": {"CamelCase": "v", "UPPER": "V"}})
case("header-metadata-empty-value", "put_object", {"Metadata": {"empty": ""}})
case("header-metadata-many", "put_object",
     {"Metadata": {f"k{i:02d}": f"value {i}" for i in range(20)}}, style="path")
case("header-range", "get_object", {"Range": "bytes=0-1023"})
case("header-range-suffix", "get_object", {"Range": "bytes=-500"}, style="path")
case("header-if-match", "get_object", {"IfMatch": '"d41d8cd98f00b204e9800998ecf8427e"'})
case("header-if-none-match", "get_object", {"IfNoneMatch": '"abc", "def"'})
case("header-if-modified-since", "get_object", {"IfModifiedSince": "2024-02-29T23:59:59Z"})
case("header-conditionals-and-range", "get_object", {
    "IfMatch": '"etag"', "IfUnmodifiedSince": "2020-01-01T00:00:00Z", "Range": "bytes=100-"})
case("header-sse-aes256", "put_object", {"ServerSideEncryption": "AES256"})
case("header-sse-kms", "put_object", {
    "ServerSideEncryption": "aws:kms",
    "SSEKMSKeyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "BucketKeyEnabled": True})
case("header-sse-c-get", "get_object",
     {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": "0123456789abcdef0123456789abcdef"})
case("header-sse-c-put", "put_object",
     {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": "k" * 32, "ContentType": "text/plain"},
     style="path")
case("header-acl-storage-class-tagging", "put_object", {
    "ACL": "public-read", "StorageClass": "STANDARD_IA", "Tagging": "k1=v1&k2=v%202"})
case("header-expected-bucket-owner-request-payer", "get_object",
     {"ExpectedBucketOwner": "111122223333", "RequestPayer": "requester"})
case("header-website-redirect", "put_object", {"WebsiteRedirectLocation": "/other/page.html"})
case("header-checksum-algorithm-put", "put_object", {"ChecksumAlgorithm": "SHA1"})
case("header-everything-put", "put_object", {
    "ContentType": "text/html", "ContentMD5": "1B2M2Y8AsgTpgAmY7PhCfg==",
    "CacheControl": "no-cache", "ContentDisposition": "inline", "ContentLength": 0,
    "Metadata": {"a": " x  y "}, "ServerSideEncryption": "AES256", "ACL": "private",
    "ChecksumAlgorithm": "CRC32"}, token="tok", endpoint="https://S3.Example.COM:8443",
    style="virtual_hosted")
case("header-injected-custom", "get_object", {},
     inject_headers=[("X-Custom-Header", "  some\t value  ")])
case("header-injected-mixed-case-x-amz", "put_object", {},
     inject_headers=[("X-AMZ-Meta-Shout", "LOUD"), ("x-Amz-Grant-Read", 'id="abc"')])
case("header-injected-empty-value", "get_object", {}, inject_headers=[("x-amz-meta-blank", "")])
# botocore collapses with str.split(): every Unicode space (no-break, em,
# ideographic, narrow no-break), not only ' ' and '\t'.
case("header-injected-unicode-whitespace", "get_object", {},
     inject_headers=[("x-amz-meta-spaces", "\u00a0a\u00a0\u00a0b\u3000c\u2003 d\u202f")])
case("header-injected-non-ascii", "put_object", {},
     inject_headers=[("x-amz-meta-name", "caf\u00e9  cr\u00e8me \u00e0 la \u2013 carte")])
case("header-injected-with-query", "get_object", {"ResponseContentType": "text/plain"},
     inject_headers=[("If-None-Match", "*")], inject_query=[("x-id", "GetObject")],
     style="path", token="tok")

# --- expiries ----------------------------------------------------------------------------
for exp in (1, 60, 900, 3600, 43200, 86400, 604799, 604800):
    case(f"expires-{exp}", "get_object", {"Key": "e.txt"}, expires=exp)

# --- signing times ----------------------------------------------------------------------
TIMES = [
    ("2013-05-24", datetime.datetime(2013, 5, 24, 0, 0, 0)),
    ("2026-11-22", datetime.datetime(2026, 11, 22, 23, 40, 12)),
    ("leap-day-2024-02-29-end", datetime.datetime(2024, 2, 29, 23, 59, 59)),
    ("leap-day-2000-02-29", datetime.datetime(2000, 2, 29, 12, 0, 0)),
    ("1999-12-31-end", datetime.datetime(1999, 12, 31, 23, 59, 59)),
    ("2000-01-01-start", datetime.datetime(2000, 1, 1, 0, 0, 0)),
    ("2100-01-01", datetime.datetime(2100, 1, 1, 0, 0, 0)),
    ("1970-01-01-plus-1s", datetime.datetime(1970, 1, 1, 0, 0, 1)),
    ("2038-01-19-after-i32", datetime.datetime(2038, 1, 19, 3, 14, 8)),
    ("2023-12-31-end", datetime.datetime(2023, 12, 31, 23, 59, 59)),
    ("2024-01-01-start", datetime.datetime(2024, 1, 1, 0, 0, 0)),
    ("2025-06-30-noon", datetime.datetime(2025, 6, 30, 12, 34, 56)),
]
for label, at in TIMES:
    case(f"time-{label}", "get_object", {"Key": "t.txt"}, at=at, expires=86400)
    case(f"time-{label}-put-token-eu", "put_object", {"Key": "t.txt", "ContentType": "text/plain"},
         at=at, expires=604800, token="tok", region="eu-central-1", style="path")

# --- credentials -------------------------------------------------------------------------
case("creds-minio-defaults", "get_object", {}, access_key="minioadmin", secret_key="minioadmin",
     endpoint="http://127.0.0.1:9000")
case("creds-garage-style", "put_object", {}, access_key="GK31c2f218a2e44f485b94239e",
     secret_key="b892c0665f0ada8a4755dae98baa3b133590e11dae3bcc1f9d769d67f16c3835",
     region="garage", endpoint="http://localhost:3900")
case("creds-secret-with-symbols", "get_object", {}, access_key="AKIDEXAMPLE",
     secret_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY=+/")
case("creds-short", "get_object", {}, access_key="a", secret_key="b")

# --- seeded random cases ---------------------------------------------------------------
RANDOM_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "0123456789-_.~/ /!\"#$%&'()*+,:;<=>?@[\\]^`{|}"
    "éüßñøåç中文日本語한글Ωжд😀🎉🚀\u0301\u00a0\u200b"
)
HEADER_VALUE_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \t\t-_.,;:=/+\"'()"
rng = random.Random(SEED)


def rand_str(alphabet, lo, hi):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


RANDOM_BUCKETS = ["examplebucket", "my-bucket-123", "abc", B63, "data.backup.2024", "MyBucket",
                  "under_score", "ab", "logs-eu"]
RANDOM_ENDPOINTS = [None, None, None, "https://s3.filebase.com", "http://localhost:9000",
                    "https://s3.example.com:8443", "https://s3.example.com:443",
                    "http://s3.example.com:80", "https://S3.Example.COM",
                    "https://example.com/s3-prefix", "http://127.0.0.1:9000", "http://[::1]:9000"]
RANDOM_REGIONS = ["us-east-1", "us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1",
                  "us-gov-west-1", "garage"]
RANDOM_OPS = ["get_object", "get_object", "get_object", "head_object", "put_object",
              "put_object", "delete_object", "create_multipart_upload", "upload_part",
              "list_objects_v2"]
T_LO = calendar.timegm(datetime.datetime(1990, 1, 1).timetuple())
T_HI = calendar.timegm(datetime.datetime(2099, 12, 31, 23, 59, 59).timetuple())


def _dns_virtual_ok(bucket):
    return bucket in ("examplebucket", "my-bucket-123", "abc", B63, "logs-eu")


for i in range(70):
    key = rand_str(RANDOM_ALPHABET, 1, 80)
    bucket = rng.choice(RANDOM_BUCKETS)
    endpoint = rng.choice(RANDOM_ENDPOINTS)
    region = rng.choice(RANDOM_REGIONS) if endpoint is None else rng.choice(["us-east-1", "garage", "eu-west-1"])
    style = rng.choice(["auto", "path", "virtual_hosted"])
    if style == "virtual_hosted" and (not _dns_virtual_ok(bucket) or "127.0.0.1" in (endpoint or "")
                                      or "[::1]" in (endpoint or "")):
        style = "path"
    op = rng.choice(RANDOM_OPS)
    params = {"Bucket": bucket}
    if op != "list_objects_v2":
        params["Key"] = key
    else:
        params["Prefix"] = key
    if op == "upload_part":
        params["PartNumber"] = rng.randint(1, 10000)
        params["UploadId"] = rand_str("abcdefABCDEF0123456789-_./+=", 8, 40)
    if op == "get_object" and rng.random() < 0.5:
        params["ResponseContentDisposition"] = "attachment; filename=\"" + rand_str(RANDOM_ALPHABET, 1, 20) + "\""
    if op == "get_object" and rng.random() < 0.3:
        params["Range"] = f"bytes={rng.randint(0, 1000)}-{rng.randint(1001, 100000)}"
    if op in ("put_object", "create_multipart_upload") and rng.random() < 0.6:
        params["ContentType"] = rng.choice(["text/plain", "image/png", "application/octet-stream",
                                            "text/html; charset=UTF-8"])
    if op in ("put_object", "create_multipart_upload") and rng.random() < 0.6:
        params["Metadata"] = {
            rand_str("abcdefghijklmnopqrstuvwxyz0123456789-", 1, 12): rand_str(HEADER_VALUE_ALPHABET, 0, 30)
            for _ in range(rng.randint(1, 3))}
    token = None
    if rng.random() < 0.3:
        token = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(rng.randint(16, 200)))).decode()
    expires = rng.randint(1, 604800)
    at = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=rng.randint(T_LO, T_HI))
    case(f"random-{i:03d}-{op.replace('_', '-')}", op, params, region=region, endpoint=endpoint,
         style=style, token=token, expires=expires, at=at)


# --- seeded random query parameters and headers -----------------------------------------
# Arbitrary names and values added the way a caller adds them (`query`, `header`): every
# character class that is encoded, sorted or canonicalised (Unicode spaces in header
# values, reserved characters and non-ASCII in query names and values, empty values).
# A separate generator, so the cases above stay as they were.
RAW_QUERY_ALPHABET = RANDOM_ALPHABET + "\u3000\u2003\u202f\t +=&%;,ABCXYZ"
RAW_HEADER_NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-!#$%&'*+.^_`|~"
RAW_HEADER_VALUE_ALPHABET = HEADER_VALUE_ALPHABET + "éü中😀\u00a0\u3000\u2003\u2028\u205f  "
# Headers botocore never signs (the crate refuses them), and those the signer writes itself.
RAW_HEADER_EXCLUDED = set(botocore.auth.SIGNED_HEADERS_BLACKLIST) | {"host", "authorization"}
raw_rng = random.Random(SEED + 2)


def raw_str(alphabet, lo, hi):
    return "".join(raw_rng.choice(alphabet) for _ in range(raw_rng.randint(lo, hi)))


for i in range(60):
    query, names = [], set()
    for _ in range(raw_rng.randint(0, 4)):
        name = raw_str(RAW_QUERY_ALPHABET, 1, 12)
        if name.lower().startswith("x-amz-") or name in names:
            continue
        names.add(name)
        query.append((name, raw_str(RAW_QUERY_ALPHABET, 0, 20)))
    headers, header_names = [], set()
    for _ in range(raw_rng.randint(0, 3)):
        name = raw_rng.choice(["x-amz-meta-", ""]) + raw_str(RAW_HEADER_NAME_ALPHABET, 1, 12)
        lname = name.lower()
        if lname in RAW_HEADER_EXCLUDED or lname in header_names or (
                lname.startswith("x-amz-") and not lname.startswith("x-amz-meta-")):
            continue
        header_names.add(lname)
        headers.append((name, raw_str(RAW_HEADER_VALUE_ALPHABET, 0, 24)))
    op = raw_rng.choice(["get_object", "put_object", "head_object", "delete_object"])
    case(f"random-raw-{i:03d}-{op.replace('_', '-')}", op, {"Key": raw_str(RANDOM_ALPHABET, 1, 30)},
         style=raw_rng.choice(["auto", "path", "virtual_hosted"]),
         endpoint=raw_rng.choice([None, None, "https://s3.example.com:8443"]),
         token=raw_rng.choice([None, "tok/en+=="]), inject_query=query, inject_headers=headers)


# --- canonical requests longer than the signer's 4 KiB stack buffer -------------------
# presign writes the canonical request on the stack and hashes it whole; one that
# does not fit is hashed as it is written and the URL encoded a second time. These
# cases take that path (each canonical request is over 4,096 bytes).
_rng_big = random.Random(SEED + 3)
BIG_TOKEN = base64.b64encode(bytes(_rng_big.getrandbits(8) for _ in range(3500))).decode()
case("beyond-stack-buffer-token-get", "get_object", {"Key": "big/token.bin"}, token=BIG_TOKEN)
case("beyond-stack-buffer-key-and-query-put", "put_object",
     {"Key": ("k/é 中+" * 93)[:-1], "ContentType": "text/plain; charset=utf-8"},
     style="path", endpoint="https://s3.example.com:8443",
     inject_query=[("note", "".join(_rng_big.choice(RANDOM_ALPHABET) for _ in range(600))),
                   ("Z-first", "z" * 300)],
     inject_headers=[("x-amz-meta-long", "v " * 200)])
case("beyond-stack-buffer-list-token", "list_objects_v2",
     {"Prefix": "p/" + "x" * 900, "StartAfter": "é" * 300}, token=BIG_TOKEN[:2000], style="path")

# --- one presigner, one day, several signing seconds ---------------------------
# A string to sign starts with the algorithm, the time and the scope; when they
# fill its first 64-byte block, presign keeps the HMAC state after that block for
# the rest of the second. tests/sigv4_vectors.rs replays these cases in this order
# through one presigner per region: back and forth between seconds of one day.
# The scopes end 7 bytes past (eu-north-1), exactly at (abcd) and 1 byte short of
# (abc) the block's end.
_DAY_SECONDS = [(12, 0, 0), (12, 0, 1), (12, 0, 1), (12, 0, 0), (23, 59, 59)]
for region in ("eu-north-1", "abcd", "abc"):
    for i, (hour, minute, second) in enumerate(_DAY_SECONDS):
        case(f"one-day-seconds-{region}-{i}", "get_object", {"Key": f"seconds/{i}.txt"},
             region=region, endpoint="https://s3.example.com", style="path",
             at=datetime.datetime(2026, 5, 24, hour, minute, second))

# ---------------------------------------------------------------------------
# running botocore and building the JSON
# ---------------------------------------------------------------------------

def _split_query(query):
    pairs = []
    for part in query.split("&"):
        name, _, value = part.partition("=")
        pairs.append((name, value))
    return pairs


def run_case(spec):
    _NOW[0] = spec["at"]
    _INJECT["query"] = spec["inject_query"]
    _INJECT["headers"] = spec["inject_headers"]
    _CAPTURE.clear()
    addressing = botocore_addressing(spec["style"], spec["endpoint"], spec["region"],
                                     spec["params"]["Bucket"])
    client = _client(spec["region"], spec["endpoint"], addressing, spec["access_key"],
                     spec["secret_key"], spec["token"])
    url = client.generate_presigned_url(
        spec["client_method"], Params=spec["params"], ExpiresIn=spec["expires"],
        HttpMethod=spec["http_method"])
    _INJECT["query"] = []
    _INJECT["headers"] = []
    name = spec["name"]
    assert _CAPTURE.get("signer") == "S3SigV4QueryAuth", (name, _CAPTURE.get("signer"))
    cr = _CAPTURE["canonical_request"]
    sts = _CAPTURE["string_to_sign"]

    parts = urlsplit(url)
    assert parts.fragment == "" and "#" not in url, name
    origin = f"{parts.scheme}://{parts.netloc}"
    assert url.startswith(origin), name
    rest = url[len(origin):]
    path, _, raw_query = rest.partition("?")
    raw_pairs = _split_query(raw_query)
    decoded = [(unquote(n), unquote(v)) for n, v in raw_pairs]
    assert raw_pairs[-1][0] == "X-Amz-Signature", name
    auth = {n: v for n, v in decoded if n in AUTH_PARAMS}
    assert len(auth) == len([n for n, _ in decoded if n in AUTH_PARAMS]), name
    extra_query = [[n, v] for n, v in decoded if n not in AUTH_PARAMS]
    assert len({n for n, _ in extra_query}) == len(extra_query), (name, "duplicate query names")

    headers = [[n, v] for n, v in _CAPTURE["headers"]]
    blacklisted = [n for n, _ in headers if n.lower() in botocore.auth.SIGNED_HEADERS_BLACKLIST]
    assert not blacklisted, (name, blacklisted)
    lower_names = [n.lower() for n, _ in headers]
    assert len(set(lower_names)) == len(lower_names), (name, "duplicate header names")
    assert "host" not in lower_names, name
    signed = ";".join(sorted(["host"] + lower_names))
    assert auth["X-Amz-SignedHeaders"] == signed, (name, auth["X-Amz-SignedHeaders"], signed)

    ts = spec["at"].strftime("%Y%m%dT%H%M%SZ")
    assert auth["X-Amz-Date"] == ts, name
    assert auth["X-Amz-Expires"] == str(spec["expires"]), name
    assert auth["X-Amz-Credential"] == f"{spec['access_key']}/{ts[:8]}/{spec['region']}/s3/aws4_request", name
    assert auth.get("X-Amz-Security-Token") == spec["token"], name
    assert auth["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256", name

    cr_lines = cr.split("\n")
    method = cr_lines[0]
    assert method in ("GET", "PUT", "POST", "DELETE", "HEAD"), (name, method)
    assert cr_lines[1] == path, (name, cr_lines[1], path)
    canon_q = "&".join(f"{n}={v}" for n, v in sorted(p for p in raw_pairs if p[0] != "X-Amz-Signature"))
    assert cr_lines[2] == canon_q, name
    assert cr_lines[-1] == "UNSIGNED-PAYLOAD", name
    assert sts.split("\n")[-1] == hashlib.sha256(cr.encode()).hexdigest(), name
    # canonical host: lowercased, default port dropped, never the URL's netloc verbatim
    host_line = [ln for ln in cr_lines if ln.startswith("host:")]
    assert len(host_line) == 1, name
    canon_host = host_line[0][5:]
    assert canon_host == canon_host.lower(), name
    if parts.port is not None and (parts.scheme, parts.port) in (("https", 443), ("http", 80)):
        assert not canon_host.endswith(f":{parts.port}"), (name, canon_host)

    params = spec["params"]
    bucket = params["Bucket"]
    key = params.get("Key", "")
    if spec["client_method"] in BUCKET_LEVEL_METHODS:
        assert key == "", name
    else:
        assert key != "", name

    call = {"client_method": spec["client_method"], "params": params,
            "addressing_style": addressing}
    if spec["http_method"]:
        call["http_method"] = spec["http_method"]
    if spec["inject_query"]:
        call["injected_query"] = spec["inject_query"]
    if spec["inject_headers"]:
        call["injected_headers"] = spec["inject_headers"]

    return {
        "name": name,
        "access_key": spec["access_key"],
        "secret_key": spec["secret_key"],
        "session_token": spec["token"],
        "region": spec["region"],
        "endpoint": spec["endpoint"],
        "url_style": spec["style"],
        "method": method,
        "bucket": bucket,
        "key": key,
        "query": extra_query,
        "headers": headers,
        "expires_in": spec["expires"],
        "signed_at": calendar.timegm(spec["at"].timetuple()),
        "botocore_call": call,
        "expected": {
            "url": url,
            "origin": origin,
            "path": path,
            "query": [[n, v] for n, v in decoded],
            "signature": auth["X-Amz-Signature"],
            "canonical_request": cr,
            "string_to_sign": sts,
        },
    }


def build():
    names = [s["name"] for s in SPECS]
    dupes = sorted({n for n in names if names.count(n) > 1})
    assert not dupes, dupes
    cases = []
    for spec in SPECS:
        try:
            cases.append(run_case(spec))
        except Exception:
            print(f"gen_sigv4.py: case {spec['name']!r} failed", file=sys.stderr)
            raise
    # sanity: the AWS documentation's published example signature
    first = cases[0]
    assert first["expected"]["signature"] == (
        "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"), first["expected"]["url"]
    doc = {"generator": GENERATOR, "botocore": botocore.__version__, "seed": SEED,
           # Headers botocore leaves out of every signature; the crate refuses to sign them.
           "unsigned_headers": list(botocore.auth.SIGNED_HEADERS_BLACKLIST), "cases": cases}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n", len(cases)


def main():
    return write_or_check({OUT: build()}, __doc__)


if __name__ == "__main__":
    sys.exit(main())
