#!/usr/bin/env python3
"""Reference vectors for AWS service tokens and the SigV4 query presign for any service.

Everything is produced by botocore (pinned in requirements.txt) with its clock
frozen (`botocore.auth.get_current_datetime`); nothing is sent:

- rds:     `rds_client.generate_db_auth_token(host, port, user, Region=...)`
- dsql:    `dsql_client.generate_db_connect_auth_token` /
           `generate_db_connect_admin_auth_token(host, region, expires_in)`
- eks:     what `aws eks get-token` does: an STS client on the regional
           endpoint, `generate_presigned_url('get_caller_identity',
           Params={'x-k8s-aws-id': cluster}, ExpiresIn=60, HttpMethod='GET')`
           with awscli's two event handlers that move that parameter into the
           signed `x-k8s-aws-id` header; token = 'k8s-aws-v1.' + unpadded
           URL-safe base64 of the URL.
- s3:      an S3 client (`signature_version='s3v4'`) presigning PutObject
           with an `x-amz-content-sha256` header added before signing:
           botocore then signs that value as the payload hash instead of
           UNSIGNED-PAYLOAD, as the crate does.
- service: `botocore.auth.SigV4QueryAuth` (the signer generate_presigned_url
           uses for every service but S3) on an AWSRequest with the case's
           method, URL (path encoded once, as botocore's serializers do),
           query parameters and headers.

    python3 tests/vectors/gen_aws_tokens.py          # (re)write aws_tokens.json
    python3 tests/vectors/gen_aws_tokens.py --check  # fail if it differs

tests/aws_tokens.rs replays every case.
"""

import base64
import importlib.metadata
import os
import random
import sys

from pathlib import Path
from unittest import mock
from urllib.parse import quote

import botocore.auth
import botocore.session
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

sys.dont_write_bytecode = True  # importing vectorfile must leave no __pycache__ here
from vectorfile import parse_time, run, unix  # noqa: E402

BOTOCORE_VERSION = "1.44.5"
OUT = Path(__file__).with_name("aws_tokens.json")
SEED = 6

AK = "AKIDEXAMPLE"
SK = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEFAaCXVzLWVhc3QtMSJHMEUCIQD+/example=="
K8S_AWS_ID = "x-k8s-aws-id"




def session(c):
    s = botocore.session.Session()
    # `aws eks get-token` and aws-iam-authenticator sign for the regional STS
    # endpoint, sts.<region>.amazonaws.com.
    s.set_config_variable("sts_regional_endpoints", "regional")
    s.set_credentials(AK, SK, c["session_token"])
    return s


def rds(c):
    client = session(c).create_client("rds", region_name="us-west-2")
    return client.generate_db_auth_token(c["hostname"], c["port"], c["user"], Region=c["region"])


def dsql(c):
    client = session(c).create_client("dsql", region_name="us-west-2")
    fn = client.generate_db_connect_admin_auth_token if c["admin"] else client.generate_db_connect_auth_token
    return fn(c["hostname"], c["region"], c["expires"])


def eks(c):
    def retrieve_k8s_aws_id(params, context, **kwargs):
        if K8S_AWS_ID in params:
            context[K8S_AWS_ID] = params.pop(K8S_AWS_ID)

    def inject_k8s_aws_id_header(request, **kwargs):
        if K8S_AWS_ID in request.context:
            request.headers[K8S_AWS_ID] = request.context[K8S_AWS_ID]

    sts = session(c).create_client("sts", region_name=c["region"])
    sts.meta.events.register("provide-client-params.sts.GetCallerIdentity", retrieve_k8s_aws_id)
    sts.meta.events.register("before-sign.sts.GetCallerIdentity", inject_k8s_aws_id_header)
    url = sts.generate_presigned_url(
        "get_caller_identity", Params={K8S_AWS_ID: c["cluster"]}, ExpiresIn=60, HttpMethod="GET"
    )
    return "k8s-aws-v1." + base64.urlsafe_b64encode(url.encode("utf-8")).decode("utf-8").rstrip("=")


def s3(c):
    from botocore.config import Config

    def add_header(request, **kwargs):
        for name, value in c["headers"]:
            request.headers[name] = value

    client = session(c).create_client("s3", region_name=c["region"], config=Config(signature_version="s3v4"))
    client.meta.events.register("before-sign.s3.PutObject", add_header)
    return client.generate_presigned_url(
        "put_object", Params={"Bucket": c["bucket"], "Key": c["key"]}, ExpiresIn=c["expires"]
    )


def service(c):
    url = c["endpoint"] + quote(c["path"], safe="/~")
    request = AWSRequest(method=c["method"], url=url, headers=dict(c["headers"]), params=dict(c["query"]))
    creds = Credentials(AK, SK, c["session_token"])
    botocore.auth.SigV4QueryAuth(creds, c["service"], c["region"], expires=c["expires"]).add_auth(request)
    return request.url


def cases():
    out = []

    def add(kind, description, signed_at="2024-03-09T12:34:56Z", session_token=None, **kw):
        out.append({"kind": kind, "description": description, "signed_at": signed_at,
                    "signed_at_unix": unix(signed_at), "session_token": session_token, **kw})

    for description, host, port, user, region in [
        ("postgres", "mydb.123456789012.us-east-1.rds.amazonaws.com", 5432, "iam_user", "us-east-1"),
        ("mysql", "mydb.cluster-abc.eu-west-1.rds.amazonaws.com", 3306, "app", "eu-west-1"),
        ("port 443 stays in the token", "db.example.com", 443, "u", "us-east-1"),
        ("port 1", "db.example.com", 1, "u", "us-east-1"),
        ("user needing encoding", "db.example.com", 5432, "user name+ü/=&", "ap-southeast-2"),
        ("china", "db.abc.cn-north-1.rds.amazonaws.com.cn", 5432, "iam", "cn-north-1"),
        ("govcloud", "db.abc.us-gov-west-1.rds.amazonaws.com", 5432, "iam", "us-gov-west-1"),
        ("uppercase host kept in the token", "MyDB.Example.COM", 5432, "iam", "us-east-1"),
        ("ip address host", "10.0.0.12", 5432, "iam", "us-east-1"),
    ]:
        add("rds", f"rds {description}", hostname=host, port=port, user=user, region=region)
    add("rds", "rds with session token", hostname="db.example.com", port=5432, user="iam",
        region="us-east-1", session_token=TOKEN)
    add("rds", "rds other time", hostname="db.example.com", port=5432, user="iam",
        region="us-east-1", signed_at="2030-12-31T23:59:59Z")

    for admin in [True, False]:
        for expires in [1, 900, 3600, 604800]:
            add("dsql", f"dsql admin={admin} expires={expires}", hostname="abcdefghijklmnopqrst.dsql.us-east-1.on.aws",
                region="us-east-1", admin=admin, expires=expires)
    add("dsql", "dsql with session token", hostname="abcdefghijklmnopqrst.dsql.eu-west-2.on.aws",
        region="eu-west-2", admin=False, expires=900, session_token=TOKEN)
    add("dsql", "dsql region differs from host", hostname="cluster.example.internal",
        region="ap-northeast-1", admin=True, expires=900)

    for region, cluster in [
        ("us-east-1", "my-cluster"),
        ("eu-west-1", "prod_cluster-01"),
        ("ap-southeast-2", "a"),
        ("cn-north-1", "china-cluster"),
        ("us-gov-west-1", "gov"),
    ]:
        add("eks", f"eks {region} {cluster}", region=region, cluster=cluster)
    add("eks", "eks with session token", region="us-west-2", cluster="my-cluster", session_token=TOKEN)
    add("eks", "eks other time", region="us-west-2", cluster="my-cluster", signed_at="2024-02-29T00:00:00Z")

    for sha in ["2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"]:
        add("s3", f"s3 PutObject with x-amz-content-sha256 {sha[:16]}", region="us-east-1", bucket="bucket",
            key="uploads/a b.txt", expires=600, headers=[("x-amz-content-sha256", sha)])

    base = {"method": "GET", "endpoint": "https://example.execute-api.us-east-1.amazonaws.com",
            "service": "execute-api", "region": "us-east-1", "path": "/", "query": [], "headers": [],
            "expires": 3600}

    def svc(description, **kw):
        add("service", f"service {description}", **{**base, **kw})

    svc("root")
    svc("sts GetCallerIdentity", endpoint="https://sts.amazonaws.com", service="sts",
        query=[("Action", "GetCallerIdentity"), ("Version", "2011-06-15")])
    svc("path", path="/prod/pets/42")
    svc("path with spaces and unicode: encoded twice", path="/prod/a b/ü/😀")
    svc("path with percent and plus", path="/prod/100%/a+b")
    svc("path with reserved characters", path="/prod/!*'()$&,;=@:")
    svc("empty segments removed", path="//prod//pets///")
    svc("dot segments resolved", path="/prod/./a/../b/.")
    svc("dot-dot above the root", path="/../../x")
    svc("trailing slash kept", path="/prod/pets/")
    svc("tilde and unreserved", path="/~user/A-Z_a.z")
    svc("query needing encoding", query=[("q", "a b&c=d/é"), ("empty", ""), ("é", "1"), ("Z", "2")])
    svc("headers", headers=[("x-custom-header", "  Value  with   spaces "), ("Content-Type", "application/json")])
    svc("x-amz-content-sha256 header is the payload hash", method="PUT",
        headers=[("x-amz-content-sha256", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")])
    svc("http endpoint with port", endpoint="http://localhost:8080", service="lambda", region="local")
    svc("endpoint with path prefix", endpoint="https://gateway.example.com/stage", path="/items")
    svc("https port 443 dropped", endpoint="https://example.com:443", path="/x")
    svc("method POST", method="POST", path="/2015-03-31/functions/my-fn/invocations", service="lambda")
    svc("method DELETE", method="DELETE", path="/resource/1")
    svc("method HEAD", method="HEAD", path="/resource/1")
    svc("method PUT", method="PUT", path="/resource/1")
    svc("expires 1", expires=1)
    svc("expires 604800", expires=604800)
    svc("session token", session_token=TOKEN)
    svc("china region", endpoint="https://sts.cn-north-1.amazonaws.com.cn", service="sts", region="cn-north-1",
        query=[("Action", "GetCallerIdentity"), ("Version", "2011-06-15")])

    rng = random.Random(SEED)
    alphabet = "abXY09 -_.~/!$&'()*+,;=:@%é中😀"
    for i in range(6):
        svc(f"seeded mix {i}",
            method=rng.choice(["GET", "PUT", "POST", "DELETE"]),
            path="/" + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20))),
            query=[(f"p{j}{rng.choice(alphabet)}", "".join(rng.choice(alphabet) for _ in range(4)))
                   for j in range(rng.randint(0, 3))],
            headers=[(f"x-m{j}", f"v {rng.getrandbits(16)}") for j in range(rng.randint(0, 2))],
            expires=rng.randint(1, 604800),
            session_token=rng.choice([None, TOKEN]),
            signed_at=f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:"
                      f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z")
    return out


def isolate_from_local_config():
    """Keeps a developer's ~/.aws files and AWS_* variables out of the vectors."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull


def generate():
    isolate_from_local_config()
    installed = importlib.metadata.version("botocore")
    if installed != BOTOCORE_VERSION:
        sys.exit(f"need botocore=={BOTOCORE_VERSION} (requirements.txt), found {installed}")
    produce = {"rds": rds, "dsql": dsql, "eks": eks, "s3": s3, "service": service}
    out = []
    for c in cases():
        with mock.patch("botocore.auth.get_current_datetime", return_value=parse_time(c["signed_at"])):
            out.append({**c, "access_key": AK, "secret_key": SK, "expected": produce[c["kind"]](c)})
    return {
        "generator": "tests/vectors/gen_aws_tokens.py",
        "sdk": f"botocore=={BOTOCORE_VERSION}",
        "cases": out,
    }


if __name__ == "__main__":
    run(OUT, generate, __doc__)
