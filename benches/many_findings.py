#!/usr/bin/env python3
"""Generates a git repository with N planted secrets over a fixed history, for the
many-findings curve of issue 16 (provenance must grow with the findings' blobs, not with
the commits).

    benches/many_findings.py DIR N [COMMITS]

COMMITS commits (default 6000) on one branch, each editing one of 200 source files in 20
directories; N of them, spread evenly, also add a file holding one distinct Stripe-style
live key (a made-up value, random per N). Every secret file stays until the end, so a
secret's blob is in every later commit. Written with `git fast-import`, then packed with
`git repack -adf` so trees are stored as deltas the way a real clone has them.
"""
import random
import subprocess
import sys

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def main() -> None:
    out, n = sys.argv[1], int(sys.argv[2])
    commits = int(sys.argv[3]) if len(sys.argv) > 3 else 6000
    rng = random.Random(n * 7919 + commits)
    subprocess.run(["git", "init", "-q", "-b", "main", out], check=True)
    planted = set(rng.sample(range(commits), n)) if n else set()
    lines = []
    files = {}
    for i in range(commits):
        f = f"src/d{i % 20}/f{(i * 7) % 200}.txt"
        files[f] = files.get(f, "") + f"line {i}: value_{rng.randrange(10**6)}\n"
        changed = [(f, files[f])]
        if i in planted:
            key = "".join(rng.choice(ALNUM) for _ in range(28))
            changed.append((f"keys/k{i}.env", f"STRIPE_KEY=sk_live_{key}\n"))
        lines.append("commit refs/heads/main\n")
        lines.append(f"committer Bench <bench@example.com> {1_600_000_000 + i * 60} +0000\n")
        msg = f"commit {i}\n"
        lines.append(f"data {len(msg)}\n{msg}")
        for path, body in changed:
            data = body.encode()
            lines.append(f"M 100644 inline {path}\ndata {len(data)}\n")
            lines.append(body)
        lines.append("\n")
    stream = "".join(lines).encode()
    subprocess.run(["git", "-C", out, "fast-import", "--quiet"], input=stream, check=True)
    subprocess.run(["git", "-C", out, "repack", "-adfq"], check=True)
    subprocess.run(["git", "-C", out, "checkout", "-q", "main"], check=True)


if __name__ == "__main__":
    main()
