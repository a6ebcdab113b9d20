"""Shared by gen_tos.py, gen_gcs.py and gen_aws_tokens.py: the command line
(write the JSON, or --check that the committed one is what the generator
makes) and the vectors' time format."""

import argparse
import datetime
import json
import sys
from pathlib import Path


def parse_time(s):
    """A case's signing time, `YYYY-MM-DDTHH:MM:SSZ`, as a naive UTC datetime."""
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")


def unix(s):
    """A case's signing time as a Unix timestamp (what the Rust tests read)."""
    return int(parse_time(s).replace(tzinfo=datetime.timezone.utc).timestamp())


def run(out: Path, generate, doc: str):
    """Writes `generate()` to `out` as JSON, or with --check fails if `out` differs."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed JSON differs")
    args = parser.parse_args()
    text = json.dumps(generate(), indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if args.check:
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            sys.exit(f"{out.name} differs from what its generator makes; rerun it and commit")
        print(f"{out.name}: up to date")
    else:
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out.name}")
