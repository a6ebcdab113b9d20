"""Shared by the generators: the command line (write the JSON, or --check
that the committed one is what the generator makes): `run` for gen_tos.py,
gen_gcs.py and gen_aws_tokens.py, `write_or_check` (which also says where a
file first differs) for the botocore generators; and the vectors' time
format."""

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


def first_difference(old_text, new_text):
    """Where a regenerated vector file first differs from the committed one:
    a top-level entry, or a case and its differing fields (one level into
    nested objects)."""
    try:
        old = json.loads(old_text)
    except ValueError as e:
        return f"the committed file is not valid JSON: {e}"
    new = json.loads(new_text)
    for key in sorted((set(old) | set(new)) - {"cases"}):
        if old.get(key) != new.get(key):
            return f"top-level {key!r}: committed {old.get(key)!r}, regenerated {new.get(key)!r}"
    old_cases, new_cases = old.get("cases", []), new["cases"]
    for i, (a, b) in enumerate(zip(old_cases, new_cases)):
        if a == b:
            continue
        diffs = []
        for k in sorted(set(a) | set(b)):
            va, vb = a.get(k), b.get(k)
            if isinstance(va, dict) and isinstance(vb, dict):
                diffs += [(f"{k}.{s}", va.get(s), vb.get(s))
                          for s in sorted(set(va) | set(vb)) if va.get(s) != vb.get(s)]
            elif va != vb:
                diffs.append((k, va, vb))
        lines = [f"case #{i} {b.get('name')!r} differs in {[d[0] for d in diffs]}"]
        for f, va, vb in diffs:
            lines.append(f"  committed   {f}: {json.dumps(va, ensure_ascii=False)}")
            lines.append(f"  regenerated {f}: {json.dumps(vb, ensure_ascii=False)}")
        return "\n".join(lines)
    if len(old_cases) != len(new_cases):
        return f"case count: committed {len(old_cases)}, regenerated {len(new_cases)}"
    return "the files differ in formatting only; regenerate them"


def write_or_check(outputs, doc):
    """Writes each `path: (text, case count)` of `outputs`, or with --check
    fails (exit status 1) on the first committed file that differs, saying
    where. `doc` is the generator's docstring, for --help."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="regenerate in memory and compare with the committed JSON")
    args = parser.parse_args()
    status = 0
    for path, (text, n) in outputs.items():
        if not args.check:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path} ({n} cases)")
        elif not path.exists():
            print(f"{path.name}: missing; run the generator without --check", file=sys.stderr)
            status = 1
        elif path.read_text(encoding="utf-8") != text:
            print(f"{path.name}: does not reproduce:\n"
                  f"{first_difference(path.read_text(encoding='utf-8'), text)}", file=sys.stderr)
            status = 1
        else:
            print(f"{path.name}: {n} cases reproduce")
    return status
