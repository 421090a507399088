#!/usr/bin/env python3
"""External detection benchmark: builds a labelled set from public snapshots and scores
keytrace (and installed peers) on it, one labelled file at a time.

    python3 benches/detection/run.py [--keytrace BIN] [--trufflehog GITDIR]
        [--credsweeper GITDIR] [--repo GITDIR ...] [--peers LIST] [--work DIR]

See benches/detection/README.md for the sources, the labels and the scoring rules.
Python 3 standard library only. Not for CI: the snapshots are not part of the repository.
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import io
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gostr  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.environ.get("PEERS", "/tmp/peers")


def git(gitdir, *args, binary=False):
    out = subprocess.run(["git", "--git-dir", gitdir, *args], check=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE).stdout
    return out if binary else out.decode("utf-8", "replace")


def head(gitdir):
    return git(gitdir, "rev-parse", "HEAD").strip()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


# ---------------------------------------------------------------------------- sources
# Each builder writes files under set/<source>/ and returns label records:
#   {"source", "path" (relative to set/<source>), "label": "pos"|"neg", "group", "kind",
#    "lines": [labelled credential lines or (start, end) ranges] (optional), "case": test name}

def top(counter):
    """The most frequent key, ties broken by name (Counter.most_common keeps insertion order,
    which for keys that came out of a set changes from run to run)."""
    return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def build_trufflehog(gitdir, root):
    """One file per table case of pkg/detectors/**/*_test.go with `input:` and `want:`."""
    files = [f for f in git(gitdir, "ls-tree", "-r", "--name-only", "HEAD", "pkg/detectors").split()
             if f.endswith("_test.go") and "integ" not in os.path.basename(f)]
    labels, skipped, seen = [], collections.Counter(), {}
    for f in sorted(files):
        group = os.path.dirname(f)[len("pkg/detectors/"):] or "(top)"
        src = git(gitdir, "show", "HEAD:" + f)
        for name, value, want in gostr.Evaluator(src).cases():
            if isinstance(want, Exception):
                skipped[type(want).__name__ + ": " + str(want).split(" ")[0]] += 1
                continue
            if not isinstance(value, str) or not value.strip():
                skipped["empty input"] += 1
                continue
            key = (group, value)
            label = "pos" if want else "neg"
            if key in seen:
                if seen[key]["label"] != label:
                    seen[key]["label"] = "conflict"
                skipped["duplicate case"] += 1
                continue
            kind = "valid" if want else ("invalid-value" if "invalid" in (name or "").lower()
                                          else "other-negative")
            rec = {"source": "trufflehog", "group": group, "label": label, "kind": kind,
                   "case": name or ""}
            seen[key] = rec
            labels.append((rec, value))
    out = []
    for n, (rec, value) in enumerate(labels):
        if rec["label"] == "conflict":
            skipped["same input labelled both ways"] += 1
            continue
        rec["path"] = "%s/case%04d.txt" % (rec["group"].replace("/", "_"), n)
        write(os.path.join(root, rec["path"]), value if value.endswith("\n") else value + "\n")
        out.append(rec)
    return out, dict(skipped)


# CredSweeper and CredData report some values that are identifiers, not secrets; labels whose
# every category is one of these are left out of both positives and negatives.
NOT_SECRET = {"UUID", "Nonce", "Salt", "AWS S3 Bucket", "Firebase Domain",
                       "Tencent WeChat API App ID", "Other", "Info"}

_BINARY_EXT = re.compile(r"\.(bz2|gz|lzma|xz|zip|tar|zst|jks|p12|rpm|deb|class|pyc|bin|bmp|gif|"
                         r"jpg|png|tiff|pdf|docx|pptx|xls|xlsx|xlsb|ods|sqlite|elf|dex|pak|pb|"
                         r"pickle|snk|hsqs|cpio|crx|tm7|eml)$|\.n\.encrypted|sample\.(plist)$")
_NEG_NAME = re.compile(r"(_n|_fp|_FALSE|false_positive|_f|\.n\.[^/]*)$|_n\.")


def build_credsweeper(gitdir, root):
    """Text samples of tests/samples/, labelled by CredSweeper's expected output
    (tests/data/output.json, its default run with the ML filter): a sample with entries is
    positive, with those lines as its credential lines; a sample with none is negative."""
    expected = json.loads(git(gitdir, "show", "HEAD:tests/data/output.json"))
    lines, rules = collections.defaultdict(set), collections.defaultdict(collections.Counter)
    for cand in expected:
        if cand["rule"] in NOT_SECRET:
            continue  # an identifier, not a secret (as for CredData below)
        for ld in cand["line_data_list"]:
            p = ld["path"].lstrip("./")
            if not p.startswith("tests/samples/"):
                continue
            lines[p].add(ld["line_num"])
            rules[p][cand["rule"]] += 1
    only_ids = {ld["path"].lstrip("./") for cand in expected if cand["rule"] in NOT_SECRET
                for ld in cand["line_data_list"]}
    out, skipped = [], collections.Counter()
    for p in git(gitdir, "ls-tree", "-r", "--name-only", "HEAD", "tests/samples").split():
        data = git(gitdir, "show", "HEAD:" + p, binary=True)
        if _BINARY_EXT.search(p) or b"\0" in data[:8192]:
            skipped["binary or archive (not a text sample)"] += 1
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            skipped["not UTF-8"] += 1
            continue
        rel = p[len("tests/samples/"):]
        if not lines.get(p) and p in only_ids:
            skipped["only identifiers expected (UUID, nonce, ...)"] += 1
            continue
        write(os.path.join(root, rel), data)
        if lines.get(p):
            group = top(rules[p])
            out.append({"source": "credsweeper", "path": rel, "label": "pos", "group": group,
                        "kind": "expected-output", "lines": sorted(lines[p])})
        else:
            kind = "named-negative" if _NEG_NAME.search(rel) else "no-expected-output"
            out.append({"source": "credsweeper", "path": rel, "label": "neg", "group": rel,
                        "kind": kind})
    return out, dict(skipped)


def build_creddata(gitdir, mirrors, root, only):
    """Files of the CredData repositories whose snapshots are under `mirrors`
    (<owner>+<name>/repo, the fetch tool's layout), read at the commit CredData pins,
    laid out as CredData lays them out (data/<repo id>/<scope>/<file id><ext>), labelled by
    its meta/*.csv: lines marked T are credential lines; a file with one is positive, a file
    whose every marked line is F is negative."""
    import binascii
    import csv
    import hashlib
    snap = json.loads(git(gitdir, "show", "HEAD:snapshot.json"))
    out, skipped, used = [], collections.Counter(), []
    for rid, url in sorted(snap.items(), key=lambda kv: kv[1]):
        slug = url.split("github.com/")[-1].strip("/")
        if slug not in only:
            continue
        mirror = os.path.join(mirrors, slug.replace("/", "+"), "repo")
        if not os.path.isdir(mirror):
            sys.exit("run.py: no snapshot of %s at %s (fetch github:%s)" % (slug, mirror, slug))
        commit = rid[:40]
        if subprocess.run(["git", "--git-dir", mirror, "cat-file", "-e", commit + "^{commit}"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode:
            skipped["repo without the pinned commit"] += 1
            continue
        newid = "%08x" % binascii.crc32(binascii.unhexlify(rid))
        try:
            meta = list(csv.DictReader(io.StringIO(git(gitdir, "show", "HEAD:meta/%s.csv" % newid))))
        except subprocess.CalledProcessError:
            skipped["repo without meta"] += 1
            continue
        used.append("%s@%s" % (url.split("github.com/")[-1], commit[:12]))
        byid = {}
        for ln in git(mirror, "ls-tree", "-r", "-z", commit).split("\0"):
            if not ln:
                continue
            info, path = ln.split("\t", 1)
            if info.split()[0] in ("120000", "160000"):
                continue  # symlinks and submodules were not copied by CredData either
            byid[hashlib.sha256(path.encode()).hexdigest()[:8]] = (info.split()[2], path)
        files = collections.defaultdict(list)
        for row in meta:
            files[row["FileID"]].append(row)
        for fid, rows in sorted(files.items()):
            if fid not in byid:
                skipped["meta file not found in tree"] += 1
                continue
            pos_lines, pos_cats, ignored = set(), collections.Counter(), False
            for r in rows:
                cats = set(r["Category"].split(":"))
                if r["GroundTruth"] != "T":
                    continue
                if cats <= NOT_SECRET:
                    ignored = True
                    continue
                for c in sorted(cats - NOT_SECRET):
                    pos_cats[c] += 1
                pos_lines.add((int(r["LineStart"]), int(r["LineEnd"] or r["LineStart"])))
            rel = rows[0]["FilePath"]
            rel = rel[len("data/"):] if rel.startswith("data/") else rel
            if not pos_lines and ignored:
                skipped["only non-secret true lines (UUID, nonce, ...)"] += 1
                continue
            try:
                data = git(mirror, "cat-file", "blob", byid[fid][0], binary=True)
            except subprocess.CalledProcessError:
                skipped["blob absent from the snapshot"] += 1
                continue
            write(os.path.join(root, rel), data)
            if pos_lines:
                out.append({"source": "creddata", "path": rel, "label": "pos", "kind": "true-lines",
                            "group": top(pos_cats), "lines": sorted(pos_lines)})
            else:
                out.append({"source": "creddata", "path": rel, "label": "neg", "kind": "false-lines-only",
                            "group": rows[0]["Category"]})
    skipped = dict(skipped)
    skipped["_note"] = "%d repositories: %s" % (len(used), ", ".join(used))
    return out, skipped


def build_repo(gitdir, root):
    """The working tree at HEAD (git archive): unlabelled, every finding is triaged."""
    data = git(gitdir, "archive", "--format=tar", "HEAD", binary=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tf:
        members = [m for m in tf.getmembers() if m.isfile() or m.isdir()]
        try:
            tf.extractall(root, members=members, filter="data")
        except TypeError:  # Python before 3.11.4 has no extraction filters
            tf.extractall(root, members=members)
    return [], {}


# ---------------------------------------------------------------------------- tools

def find_tool(name):
    p = os.path.join(PEERS, "bin", name)
    if os.access(p, os.X_OK):
        return p
    return shutil.which(name)


def tool_version(name, path):
    args = [path, "version"] if name in ("gitleaks", "betterleaks") else [path, "--version"]
    try:
        return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=60).stdout.decode("utf-8", "replace").strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


def norm(p):
    p = p.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p


def run_tool(name, path, target, report):
    """Scans target (cwd = target, so paths come out relative); returns
    ({path: [(start_line, end_line, rule)]}, seconds, note)."""
    if name == "keytrace":
        # 2 = a file could not be read; the findings are still reported (DESIGN.md), so the
        # report is scored and the exit code noted
        cmd, ok = [path, "scan", ".", "--format", "json", "--output", report], (0, 1, 2)
    elif name == "gitleaks":
        cmd, ok = [path, "dir", "--no-banner", "--exit-code", "0", "-f", "json", "-r", report, "."], (0,)
    elif name == "betterleaks":
        cmd, ok = [path, "fs", "--no-banner", "--exit-code", "0", "-o", report, "."], (0,)
    elif name == "kingfisher":
        cmd, ok = ([path, "scan", ".", "--no-validate", "--no-update-check", "--no-dedup", "-q", "-f", "json",
                    "-o", report], (0, 200, 205))
    else:
        raise ValueError(name)
    t0 = time.monotonic()
    r = subprocess.run(cmd, cwd=target, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL)
    secs = time.monotonic() - t0
    if r.returncode not in ok:
        err = r.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        return None, secs, "exit %d: %s" % (r.returncode, " | ".join(err))
    note = ""
    if name == "keytrace" and r.returncode == 2:
        err = r.stderr.decode("utf-8", "replace").strip().splitlines()[-2:]
        note = "exit 2 (read errors; findings scored): " + " | ".join(err)
    try:
        with open(report, encoding="utf-8", errors="replace") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        return None, secs, "unreadable report %s: %s" % (report, e)
    hits = collections.defaultdict(list)
    if name == "keytrace":
        for f in doc["findings"]:
            hits[norm(f["path"])].append((f["line"], f.get("end_line") or f["line"], f["rule_id"]))
    elif name == "gitleaks":
        for f in doc or []:
            hits[norm(f["File"])].append((f["StartLine"], f.get("EndLine") or f["StartLine"], f["RuleID"]))
    elif name == "betterleaks":
        for f in doc.get("findings") or []:
            loc = f["location"]
            # a whole-file finding (e.g. a PKCS#12 file) has no line: it marks the file only
            start = loc.get("start_line") or 0
            hits[norm(loc["path"])].append((start, loc.get("end_line") or start, f["rule_id"]))
    elif name == "kingfisher":
        for f in doc.get("findings") or []:
            fd = f["finding"]
            hits[norm(fd["path"])].append((fd.get("line") or 0, fd.get("line") or 0, f["rule"]["id"]))
    return hits, secs, note


# ---------------------------------------------------------------------------- scoring

def pct(a, b):
    return "%.1f%%" % (100.0 * a / b) if b else "-"


def covered(labelled, hits):
    """A labelled line (or (start, end) range) is found when a finding's range meets it."""
    lo, hi = labelled if isinstance(labelled, (tuple, list)) else (labelled, labelled)
    return any(s <= hi and lo <= e for s, e, _ in hits)


def score_labelled(labels, hits):
    """Per-file scores for one source and one tool."""
    s = {"pos": 0, "found": 0, "neg": 0, "fp": 0, "lines": 0, "lines_found": 0,
         "neg_kind": collections.Counter(), "fp_kind": collections.Counter(),
         "miss_group": collections.Counter(), "pos_group": collections.Counter(),
         "fp_rule": collections.Counter(), "misses": [], "fps": []}
    for rec in labels:
        h = hits.get(rec["path"], [])
        if rec["label"] == "pos":
            s["pos"] += 1
            s["pos_group"][rec["group"]] += 1
            if h:
                s["found"] += 1
            else:
                s["miss_group"][rec["group"]] += 1
                s["misses"].append(rec)
            for ln in rec.get("lines", []):
                s["lines"] += 1
                s["lines_found"] += covered(ln, h)
        else:
            s["neg"] += 1
            s["neg_kind"][rec["kind"]] += 1
            if h:
                s["fp"] += 1
                s["fp_kind"][rec["kind"]] += 1
                for r in sorted({r for _, _, r in h}):
                    s["fp_rule"][r] += 1
                s["fps"].append((rec, sorted({r for _, _, r in h})))
    return s


TESTDOC = re.compile(r"(^|/)(tests?|testing|testdata|t|spec|specs|docs?|Documentation|examples?|"
                     r"fixtures?|samples?|benches|contrib)(/|$)|_test\.|test_|\.(md|rst|txt|adoc)$",
                     re.I)


# key-material: private keys, keyrings, random tokens (a real credential, even if for tests);
# test-password: a word-like password a test feeds to the code under test;
# doc-example: a concrete example credential in documentation;
# false-positive: not a credential (placeholder, URL syntax example, prose, code).
VERDICTS = ("key-material", "test-password", "doc-example", "false-positive")


def load_triage(path):
    """triage.tsv: repo, path, line, verdict (one of VERDICTS), note."""
    out = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for ln in f:
            if not ln.strip() or ln.startswith("#"):
                continue
            parts = ln.rstrip("\n").split("\t")
            if len(parts) < 4:
                continue
            if parts[3] not in VERDICTS:
                sys.exit("run.py: %s: unknown verdict %r for %s:%s" % (path, parts[3], parts[1], parts[2]))
            out[(parts[0], parts[1], int(parts[2]))] = parts[3]
    return out


# ---------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keytrace", default="keytrace", help="keytrace binary (default: on PATH)")
    ap.add_argument("--trufflehog", help="git dir of a trufflesecurity/trufflehog snapshot")
    ap.add_argument("--credsweeper", help="git dir of a Samsung/CredSweeper snapshot")
    ap.add_argument("--creddata", help="git dir of a Samsung/CredData snapshot; its repositories are "
                    "read from the snapshots found under --mirrors")
    ap.add_argument("--mirrors", default="/work/.mirror",
                    help="where fetched snapshots live as <owner>+<name>/repo (default /work/.mirror)")
    ap.add_argument("--creddata-repos", default=os.path.join(HERE, "creddata-repos.txt"),
                    help="which CredData repositories to use, owner/name one a line")
    ap.add_argument("--repo", action="append", default=[],
                    help="git dir of a well-kept repository (working tree at HEAD is scanned; repeatable)")
    ap.add_argument("--peers", default="auto",
                    help="comma list of gitleaks,betterleaks,kingfisher; 'auto' = those installed; 'none'")
    ap.add_argument("--work", default="/tmp/keytrace-detbench", help="scratch dir (rebuilt each run)")
    ap.add_argument("--triage", default=os.path.join(HERE, "triage.tsv"))
    ap.add_argument("--top", type=int, default=25, help="rows in the misses / FP tables")
    a = ap.parse_args()

    kt = a.keytrace if os.sep in a.keytrace else shutil.which(a.keytrace)
    if not kt or not os.access(kt, os.X_OK):
        sys.exit("run.py: keytrace binary not found: %s" % a.keytrace)
    kt = os.path.abspath(kt)
    tools = [("keytrace", kt)]
    wanted = (["gitleaks", "betterleaks", "kingfisher"] if a.peers == "auto"
              else [] if a.peers == "none" else [p for p in a.peers.split(",") if p])
    missing = []
    for p in wanted:
        path = find_tool(p)
        if path:
            tools.append((p, path))
        elif a.peers != "auto":
            missing.append(p)
    if missing:
        sys.exit("run.py: peers not installed: %s (shared/bench/install-peers.sh)" % ",".join(missing))

    work = os.path.abspath(a.work)
    if os.path.exists(work):
        shutil.rmtree(work)
    os.makedirs(os.path.join(work, "reports"))

    sources = []  # (name, git dir, labels, skipped, labelled?)
    if a.trufflehog:
        lab, sk = build_trufflehog(a.trufflehog, os.path.join(work, "set", "trufflehog"))
        sources.append(("trufflehog", a.trufflehog, lab, sk, True))
    if a.credsweeper:
        lab, sk = build_credsweeper(a.credsweeper, os.path.join(work, "set", "credsweeper"))
        sources.append(("credsweeper", a.credsweeper, lab, sk, True))
    if a.creddata:
        with open(a.creddata_repos, encoding="utf-8") as f:
            only = {ln.split("#")[0].strip() for ln in f} - {""}
        lab, sk = build_creddata(a.creddata, a.mirrors, os.path.join(work, "set", "creddata"), only)
        sources.append(("creddata", a.creddata, lab, sk, True))
    for r in a.repo:
        name = "repo-" + os.path.basename(os.path.dirname(os.path.abspath(r)).rstrip("/")
                                          if os.path.basename(r.rstrip("/")) == "repo" else r.rstrip("/"))
        name = name.replace("+", "-")
        lab, sk = build_repo(r, os.path.join(work, "set", name))
        sources.append((name, r, lab, sk, False))
    if not sources:
        sys.exit("run.py: give at least one of --trufflehog, --credsweeper, --repo")

    md = []
    P = md.append
    P("# keytrace detection benchmark")
    P("")
    P("%s, %d cores, %s" % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.cpu_count() or 0,
                            " ".join(os.uname()[i] for i in (0, 2, 4))))
    P("")
    P("Tools:")
    for n, p in tools:
        P("- %s: `%s` (%s)" % (n, p, tool_version(n, p)))
    P("")
    P("Snapshots:")
    for n, g, lab, sk, _ in sources:
        npos = sum(r["label"] == "pos" for r in lab)
        sk = dict(sk)
        extra = sk.pop("_note", "")
        P("- %s: `%s` at %s; %d positive, %d negative files%s%s" % (
            n, g, head(g), npos, len(lab) - npos,
            ("; skipped: " + ", ".join("%s %d" % kv for kv in sorted(sk.items()))) if sk else "",
            ("; " + extra) if extra else ""))
    P("")

    results = {}  # (source, tool) -> hits
    notes = []
    for n, g, lab, sk, _ in sources:
        target = os.path.join(work, "set", n)
        for tn, tp in tools:
            rep = os.path.join(work, "reports", "%s.%s.json" % (n, tn))
            hits, secs, note = run_tool(tn, tp, target, rep)
            if note:
                notes.append("%s on %s: %s" % (tn, n, note))
            results[(n, tn)] = (hits, secs)
            print("  %-12s %-22s %6.1fs %s" % (tn, n, secs, note), file=sys.stderr)

    # ----------------------------------------------------------- labelled sources
    P("## Labelled sources (unit: one file)")
    P("")
    P("| source | tool | positives | found | recall | negatives | flagged | FP rate | cred. lines | lines found | line recall |")
    P("|---|---|---|---|---|---|---|---|---|---|---|")
    scores = {}
    for n, g, lab, sk, labelled in sources:
        if not labelled:
            continue
        for tn, _ in tools:
            hits, _ = results[(n, tn)]
            if hits is None:
                P("| %s | %s | | ERROR | | | | | | | |" % (n, tn))
                continue
            s = score_labelled(lab, hits)
            scores[(n, tn)] = s
            P("| %s | %s | %d | %d | %s | %d | %d | %s | %s | %s | %s |" % (
                n, tn, s["pos"], s["found"], pct(s["found"], s["pos"]), s["neg"], s["fp"],
                pct(s["fp"], s["neg"]), s["lines"] or "-", s["lines_found"] if s["lines"] else "-",
                pct(s["lines_found"], s["lines"])))
    P("")
    P("False-positive rate by kind of negative:")
    P("")
    P("| source | kind | negatives | " + " | ".join(tn for tn, _ in tools) + " |")
    P("|---|---|---|" + "---|" * len(tools))
    for n, g, lab, sk, labelled in sources:
        if not labelled:
            continue
        kinds = collections.Counter(r["kind"] for r in lab if r["label"] == "neg")
        for k, cnt in sorted(kinds.items()):
            cells = []
            for tn, _ in tools:
                s = scores.get((n, tn))
                cells.append("%d (%s)" % (s["fp_kind"][k], pct(s["fp_kind"][k], cnt)) if s else "-")
            P("| %s | %s | %d | %s |" % (n, k, cnt, " | ".join(cells)))
    P("")

    for n, g, lab, sk, labelled in sources:
        if not labelled or (n, "keytrace") not in scores:
            continue
        s = scores[(n, "keytrace")]
        P("### %s: keytrace misses by provider/rule (%d missed files in %d groups; top %d shown)" % (
            n, len(s["misses"]), len(s["miss_group"]), min(a.top, len(s["miss_group"]))))
        P("")
        peers = [tn for tn, _ in tools if tn != "keytrace" and (n, tn) in scores]
        P("Groups with every positive missed: %d of %d%s." % (
            sum(1 for g2, c in s["pos_group"].items() if s["miss_group"][g2] == c), len(s["pos_group"]),
            "".join("; %s %d" % (p, sum(1 for g2, c in s["pos_group"].items()
                                        if scores[(n, p)]["miss_group"][g2] == c)) for p in peers)))
        P("")
        P("| group | missed | of | " + " | ".join("%s misses" % p for p in peers) + " |")
        P("|---|---|---|" + "---|" * len(peers))
        for grp, c in s["miss_group"].most_common(a.top):
            P("| %s | %d | %d | %s |" % (grp, c, s["pos_group"][grp],
                                      " | ".join(str(scores[(n, p)]["miss_group"][grp]) for p in peers)))
        P("")
        if n != "trufflehog":
            ext = lambda r: (os.path.splitext(r["path"])[1] or "(none)").lower()
            pos_ext = collections.Counter(ext(r) for r in lab if r["label"] == "pos")
            miss_ext = collections.Counter(ext(r) for r in s["misses"])
            P("Misses by file extension: " + ", ".join(
                "%s %d/%d" % (e, c, pos_ext[e]) for e, c in miss_ext.most_common(15)))
            P("")
        P("### %s: rules behind keytrace's false positives (files per rule)" % n)
        P("")
        P("| rule | files |")
        P("|---|---|")
        for r, c in s["fp_rule"].most_common(a.top):
            P("| %s | %d |" % (r, c))
        P("")

    # ----------------------------------------------------------- real repositories
    triage = load_triage(a.triage)
    repos = [x for x in sources if not x[4]]
    if repos:
        P("## Real repositories, working tree at HEAD (unlabelled; every finding triaged by hand)")
        P("")
        P("`files` = files with findings; `product files` = those outside tests/docs/examples (path "
          "heuristic). The verdict columns count distinct (path, line) locations triaged by hand in "
          "`benches/detection/triage.tsv` (see its header for the verdicts).")
        P("")
        P("| repo | tool | findings | files | product files | %s | untriaged |" % " | ".join(VERDICTS))
        P("|---|---|---|---|---|%s---|" % ("---|" * len(VERDICTS)))
        for n, g, lab, sk, _ in repos:
            for tn, _ in tools:
                hits, _ = results[(n, tn)]
                if hits is None:
                    P("| %s | %s | ERROR | | | %s |" % (n, tn, " | ".join("" for _ in VERDICTS)))
                    continue
                nf = sum(len(v) for v in hits.values())
                prod = sum(1 for p in hits if not TESTDOC.search(p))
                counts, un = collections.Counter(), 0
                for p, hs in hits.items():
                    for ln in sorted({h[0] for h in hs}):
                        v = triage.get((n, p, ln))
                        if v in VERDICTS:
                            counts[v] += 1
                        else:
                            un += 1
                P("| %s | %s | %d | %d | %d | %s | %d |" % (
                    n, tn, nf, len(hits), prod, " | ".join(str(counts[v]) for v in VERDICTS), un))
        P("")
        P("Triage counts distinct (path, line) locations.")
        P("")

    if notes:
        P("Notes:")
        for x in notes:
            P("- " + x)
        P("")

    report = "\n".join(md)
    with open(os.path.join(work, "report.md"), "w", encoding="utf-8") as f:
        f.write(report + "\n")
    # full listings for engineers: paths, groups, case names and rules; never secret values
    with open(os.path.join(work, "misses.tsv"), "w", encoding="utf-8") as f:
        f.write("source\ttool\tgroup\tkind\tpath\tcase\n")
        for (n, tn), s in sorted(scores.items()):
            for rec in s["misses"]:
                f.write("%s\t%s\t%s\t%s\t%s\t%s\n" % (n, tn, rec["group"], rec["kind"], rec["path"],
                                                      rec.get("case", "")))
    with open(os.path.join(work, "false-positives.tsv"), "w", encoding="utf-8") as f:
        f.write("source\ttool\tgroup\tkind\tpath\trules\n")
        for (n, tn), s in sorted(scores.items()):
            for rec, rules in s["fps"]:
                f.write("%s\t%s\t%s\t%s\t%s\t%s\n" % (n, tn, rec["group"], rec["kind"], rec["path"],
                                                      ",".join(rules)))
    with open(os.path.join(work, "repo-findings.tsv"), "w", encoding="utf-8") as f:
        f.write("repo\ttool\tpath\tline\trules\ttriage\n")
        for n, g, lab, sk, _ in repos:
            for tn, _ in tools:
                hits, _ = results[(n, tn)]
                for p, hs in sorted((hits or {}).items()):
                    for ln in sorted({h[0] for h in hs}):
                        rules = sorted({h[2] for h in hs if h[0] == ln})
                        f.write("%s\t%s\t%s\t%d\t%s\t%s\n" % (n, tn, p, ln, ",".join(rules),
                                                              triage.get((n, p, ln), "")))
    with open(os.path.join(work, "labels.json"), "w", encoding="utf-8") as f:
        json.dump([r for x in sources for r in x[2]], f, indent=0)
    print(report)
    print("\n(report, misses.tsv, false-positives.tsv, repo-findings.tsv, labels.json in %s)" % work,
          file=sys.stderr)


if __name__ == "__main__":
    main()
