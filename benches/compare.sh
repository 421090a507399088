#!/usr/bin/env bash
# Side-by-side timing of keytrace and the installed peer scanners on one target.
#
#   benches/compare.sh [--mode worktree|staged|history] [--runs N] [options] TARGET
#
# Modes and what TARGET is:
#   worktree  a directory of files, best a checkout WITHOUT .git
#             (git --git-dir=X archive HEAD | tar -x -C DIR): some peers read .git's packs too
#   staged    a throwaway non-bare clone; the script appends one line to two tracked files,
#             stages them, times the pre-commit scans, then resets and restores both files
#   history   a git repository (bare or not); every tool scans the full history, all refs
#
# Options:
#   --runs N           timed runs per tool, after one untimed warm-up (default 5)
#   --budget SECS      per tool: if the warm-up took W s, do min(N, max(1, SECS/W)) timed runs,
#                      so slow Python peers finish; the table's n column says how many (default 600)
#   --timeout SECS     kill one run after SECS; the tool is then reported as TIMEOUT (default 1800)
#   --tools LIST       comma-separated subset, e.g. keytrace,gitleaks,floor,wrapper (default: all;
#                      in history mode keytrace-no-delta times keytrace reading every blob whole)
#   --no-keytrace      time the peers only
#   --staged-files A,B the two files to modify in staged mode (default: the two largest tracked
#                      text files of at most 100 KB)
#
# Environment: KEYTRACE (default target/release/keytrace of this repository), PEERS (default
# /tmp/peers; tools are looked up in $PEERS/bin, then PATH; install them with
# shared/bench/install-peers.sh).
#
# Wall time is taken around each run with bash's EPOCHREALTIME; peak RSS is /usr/bin/time's %M
# (kB of the largest single process in the tool's process tree). Every figure printed is
# measured in this run; a tool that fails, is missing or times out is shown as such. The
# machine is noisy: compare ratios from one run, not absolute times across runs.
# Not for CI: it refuses to run when CI is set unless --force is given.
set -u -o pipefail
export LC_ALL=C

usage() { sed -n '2,/^set -u/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

MODE=worktree RUNS=5 BUDGET=600 TIMEOUT=1800 TOOLS="" NO_KEYTRACE=0 STAGED_FILES="" FORCE=0
TARGET=""
while [ $# -gt 0 ]; do
  case $1 in
    --mode) MODE=${2:?}; shift 2 ;;
    --mode=*) MODE=${1#*=}; shift ;;
    --runs) RUNS=${2:?}; shift 2 ;;
    --runs=*) RUNS=${1#*=}; shift ;;
    --budget) BUDGET=${2:?}; shift 2 ;;
    --timeout) TIMEOUT=${2:?}; shift 2 ;;
    --tools) TOOLS=${2:?}; shift 2 ;;
    --no-keytrace) NO_KEYTRACE=1; shift ;;
    --staged-files) STAGED_FILES=${2:?}; shift 2 ;;
    --force) FORCE=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "compare.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) [ -z "$TARGET" ] || { echo "compare.sh: one TARGET only" >&2; exit 2; }; TARGET=$1; shift ;;
  esac
done
case $MODE in worktree|staged|history) ;; *) echo "compare.sh: --mode must be worktree, staged or history" >&2; exit 2 ;; esac
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: --runs must be a positive integer" >&2; exit 2; }
[[ $BUDGET =~ ^[0-9]+$ && $TIMEOUT =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: --budget/--timeout take whole seconds" >&2; exit 2; }
[ -n "$TARGET" ] || { usage >&2; exit 2; }
[ -e "$TARGET" ] || { echo "compare.sh: no such target: $TARGET" >&2; exit 2; }
TARGET=$(cd "$TARGET" && pwd) || exit 2
if [ -n "${CI:-}" ] && [ $FORCE -eq 0 ]; then
  echo "compare.sh: CI is set; peer comparisons are not run in CI (use --force to override)"; exit 0
fi
command -v python3 >/dev/null || { echo "compare.sh: needs python3" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "compare.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

HERE=$(cd "$(dirname "$0")" && pwd)
KEYTRACE=${KEYTRACE:-$(realpath -m "$HERE/../target/release/keytrace")}
case $KEYTRACE in /*) ;; */*) KEYTRACE=$(realpath -m "$KEYTRACE") ;; *) KEYTRACE=$(command -v "$KEYTRACE" || echo "$KEYTRACE") ;; esac
PEERS=${PEERS:-/tmp/peers}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/keytrace-compare.XXXXXX")
RESULTS=$WORK/results.tsv   # name \t status \t findings \t note
: > "$RESULTS"
NOTES=$WORK/notes.txt
: > "$NOTES"
RESTORE=""                  # staged mode: command that undoes our changes
cleanup() { [ -z "$RESTORE" ] || eval "$RESTORE"; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

note() { echo "$*" >> "$NOTES"; }
wanted() { [ -z "$TOOLS" ] || [[ ",$TOOLS," == *",$1,"* ]]; }
find_tool() { # name -> path or empty
  if [ -x "$PEERS/bin/$1" ]; then echo "$PEERS/bin/$1"; else command -v "$1" || true; fi
}
elapsed() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.6f}")' "$1" "$2"; }

# count KIND FILE -> number of findings, or "?"
count() {
  python3 - "$1" "$2" <<'PY' 2>/dev/null || echo "?"
import json, sys
kind, path = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8", errors="replace").read()
if kind == "lines":
    print(sum(1 for l in text.splitlines() if l.strip())); sys.exit()
if kind == "jsonl":
    print(sum(1 for l in text.splitlines() if l.strip().startswith("{"))); sys.exit()
try:
    d = json.loads(text)
except ValueError:
    # JSON Lines
    print(sum(1 for l in text.splitlines() if l.strip().startswith("{"))); sys.exit()
if kind == "detect-secrets":
    print(sum(len(v) for v in d["results"].values()))
elif kind == "secretlint":
    print(sum(len(f.get("messages", [])) for f in d))
elif isinstance(d, list):
    print(len(d))
elif isinstance(d, dict) and isinstance(d.get("findings"), list):
    print(len(d["findings"]))
elif isinstance(d, dict) and isinstance(d.get("results"), list):
    print(len(d["results"]))
else:
    print("?")
PY
}

# run_once NAME DIR OUTFILE CMD... : one run under timeout and /usr/bin/time.
# Sets RC, WALL (seconds), RSS (kB).
run_once() {
  local name=$1 dir=$2 out=$3; shift 3
  local t0 t1
  t0=$EPOCHREALTIME
  ( cd "$dir" && exec /usr/bin/time -f %M -o "$WORK/$name.rss" \
      timeout --kill-after=10 "$TIMEOUT" "$@" ) > "$out" 2> "$WORK/$name.stderr" < /dev/null
  RC=$?
  t1=$EPOCHREALTIME
  WALL=$(elapsed "$t0" "$t1")
  # exit 1 means "findings" for every tool here, but also an uncaught Python exception
  if [ $RC -eq 1 ] && grep -q '^Traceback (most recent call last)' "$WORK/$name.stderr"; then RC=3; fi
  # keytrace exits 2 on a partial clone (blobs the history names are absent, counted and
  # named). The rest of the history was scanned in full, so the time is comparable: accept
  # it when that is the only error, and say so once in the notes.
  if [ $RC -eq 2 ] && [[ $name == keytrace* ]] &&
     grep -q '^keytrace: error: partial clone:' "$WORK/$name.stderr" &&
     ! grep '^keytrace: error:' "$WORK/$name.stderr" | grep -qv '^keytrace: error: partial clone:'; then
    RC=1
    [ -e "$WORK/$name.partial" ] || { touch "$WORK/$name.partial"; note "$name: exit 2 only for a partial clone's absent blobs ($(grep -o '[0-9]* blobs and [0-9]* trees' "$WORK/$name.stderr" | head -n 1)); timed as a success"; }
  fi
  RSS=$(tail -n 1 "$WORK/$name.rss" 2>/dev/null)
  [[ $RSS =~ ^[0-9]+$ ]] || RSS=""
  # GNU time reports a killed child as "Command terminated by signal"/exit status; keep rc
}

# accepted exit codes: $OKRC if set (kingfisher: 200/205 = findings), else 0 and 1 (findings)
rc_ok() { [[ " ${OKRC:-0 1} " == *" $RC "* ]]; }
timed_out() { [ $RC -eq 124 ] || [ $RC -eq 137 ]; }

# bench NAME KIND DIR  with arrays CMD (timed) and WARM (warm-up; its output is counted).
# stdout of every run goes to $WORK/NAME.out (a file, not /dev/null: ripgrep stops at the
# first match when its stdout is /dev/null) or to $OUT if set; findings are counted in
# $REPORT if set (the tool's own report file), else in that stdout.
bench() {
  local name=$1 kind=$2 dir=$3 i n
  local out=${OUT:-$WORK/$name.out}
  echo "  $name: warm-up..." >&2
  run_once "$name" "$dir" "$out" "${WARM[@]}"
  local ran=("${WARM[@]}")
  if ! rc_ok && ! timed_out && [ "${WARM[*]}" != "${CMD[*]}" ]; then
    note "$name: warm-up with a report file failed (exit $RC); retried with the timed command, findings not counted"
    kind=none ran=("${CMD[@]}")
    run_once "$name" "$dir" "$out" "${CMD[@]}"
  fi
  if timed_out; then
    printf '%s\tTIMEOUT\t-\twarm-up exceeded %ss\n' "$name" "$TIMEOUT" >> "$RESULTS"; return
  fi
  if ! rc_ok; then
    if [ "$name" = keytrace ]; then
      printf '%s\tERROR\t-\texit %s: %s mode not implemented yet, or it failed; see notes\n' "$name" "$RC" "$MODE" >> "$RESULTS"
    else
      printf '%s\tERROR\t-\texit %s\n' "$name" "$RC" >> "$RESULTS"
    fi
    note "$name failed (exit $RC): $(printf '%q ' "${ran[@]}")"
    grep -v "^[[:space:]]*$" "$WORK/$name.stderr" | head -n 4 | sed 's/^/    /' >> "$NOTES"
    return
  fi
  local findings="-"
  case $kind in none) findings="?" ;; floor) ;; *) findings=$(count "$kind" "${REPORT:-$out}") ;; esac
  n=$(python3 -c 'import sys; w, b, r = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]); print(max(1, min(r, int(b // w) if w > 0 else r)))' "$WALL" "$BUDGET" "$RUNS")
  local times=$WORK/$name.times
  : > "$times"
  for ((i = 1; i <= n; i++)); do
    echo "  $name: run $i/$n" >&2
    run_once "$name" "$dir" "$out" "${CMD[@]}"
    if timed_out; then
      printf '%s\tTIMEOUT\t%s\trun %s exceeded %ss\n' "$name" "$findings" "$i" "$TIMEOUT" >> "$RESULTS"; return
    fi
    if ! rc_ok; then
      printf '%s\tERROR\t%s\trun %s: exit %s\n' "$name" "$findings" "$i" "$RC" >> "$RESULTS"
      grep -v "^[[:space:]]*$" "$WORK/$name.stderr" | head -n 4 | sed 's/^/    /' >> "$NOTES"
      return
    fi
    echo "$WALL ${RSS:-0}" >> "$times"
  done
  printf '%s\tOK\t%s\t\n' "$name" "$findings" >> "$RESULTS"
}

missing() { printf '%s\tMISSING\t-\t%s\n' "$1" "$2" >> "$RESULTS"; }

# ---------------------------------------------------------------- target description
echo "# keytrace peer comparison: mode=$MODE target=$TARGET"
echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) cores, $(uname -srm), runs=$RUNS (+1 warm-up), budget=${BUDGET}s/tool, timeout=${TIMEOUT}s/run"
case $MODE in
  worktree)
    [ -d "$TARGET" ] || { echo "compare.sh: worktree TARGET must be a directory" >&2; exit 2; }
    [ ! -e "$TARGET/.git" ] || echo "# warning: $TARGET has .git; some peers also read its packs. A files-only copy is fairer."
    echo "# target: $(find "$TARGET" -type f | wc -l) files, $(du -sb "$TARGET" | cut -f1) bytes"
    ;;
  staged|history)
    GITDIR=$(git -C "$TARGET" rev-parse --absolute-git-dir 2>/dev/null) ||
      { echo "compare.sh: $MODE TARGET must be a git repository" >&2; exit 2; }
    ;;
esac
if [ "$MODE" = history ]; then
  echo "# target: $(git --git-dir="$GITDIR" rev-list --all --count) commits (all refs), $(git --git-dir="$GITDIR" count-objects -v | awk '/^size-pack/{printf "%.1f MiB packed", $2/1024}')"
fi

if [ "$MODE" = staged ]; then
  [ "$(git -C "$TARGET" rev-parse --is-bare-repository)" = false ] ||
    { echo "compare.sh: staged TARGET must have a work tree" >&2; exit 2; }
  git -C "$TARGET" diff --cached --quiet ||
    { echo "compare.sh: $TARGET already has staged changes; use a clean throwaway clone" >&2; exit 2; }
  if [ -n "$STAGED_FILES" ]; then
    IFS=, read -r SF1 SF2 <<< "$STAGED_FILES"
  else
    # the two largest tracked text files of at most 100 KB (git grep -I skips binaries)
    mapfile -t cands < <(git -C "$TARGET" ls-tree -r -l HEAD | awk '$2=="blob" && $4<=102400 {print $4 "\t" substr($0, index($0, "\t")+1)}' | sort -t$'\t' -k1,1 -n -r | head -n 50 | cut -f2-)
    SF1="" SF2=""
    for f in "${cands[@]}"; do
      git -C "$TARGET" grep -I -q -e '' -- ":(literal)$f" 2>/dev/null || continue
      if [ -z "$SF1" ]; then SF1=$f; elif [ -z "$SF2" ]; then SF2=$f; break; fi
    done
  fi
  [ -n "${SF1:-}" ] && [ -n "${SF2:-}" ] || { echo "compare.sh: could not pick two files to stage" >&2; exit 2; }
  for f in "$SF1" "$SF2"; do
    [ -f "$TARGET/$f" ] || { echo "compare.sh: not a file: $f" >&2; exit 2; }
    git -C "$TARGET" diff --quiet -- "$f" || { echo "compare.sh: $f has unstaged changes; refusing to touch it" >&2; exit 2; }
  done
  RESTORE="git -C $(printf %q "$TARGET") reset -q -- $(printf %q "$SF1") $(printf %q "$SF2"); git -C $(printf %q "$TARGET") checkout -q -- $(printf %q "$SF1") $(printf %q "$SF2")"
  for f in "$SF1" "$SF2"; do
    printf '\nkeytrace bench: one staged line added by benches/compare.sh\n' >> "$TARGET/$f"
  done
  git -C "$TARGET" add -- "$SF1" "$SF2"
  echo "# staged: $SF1 ($(stat -c %s "$TARGET/$SF1") bytes), $SF2 ($(stat -c %s "$TARGET/$SF2") bytes), one added line each; restored afterwards"
fi

# ---------------------------------------------------------------- versions
version_of() {
  case $1 in
    gitleaks|betterleaks) "$2" version 2>/dev/null | head -n 1 ;;
    *) "$2" --version 2>/dev/null | head -n 1 ;;
  esac
}
echo "# tools:"

# ---------------------------------------------------------------- keytrace
KT_OK=0
if [ $NO_KEYTRACE -eq 1 ] || ! wanted keytrace; then
  echo "#   keytrace: not run (--no-keytrace or --tools)"
elif [ ! -x "$KEYTRACE" ]; then
  echo "#   keytrace: not found at $KEYTRACE (build it with cargo build --release, or set KEYTRACE)"
  missing keytrace "no binary at $KEYTRACE"
else
  echo "#   keytrace: $KEYTRACE ($("$KEYTRACE" --version 2>/dev/null | head -n 1))"
  KT_OK=1
fi

# ---------------------------------------------------------------- run
declare -A SKIP_IN_MODE=()
peer() { # name mode-support check; prints version line, returns path in P
  P=""
  wanted "$1" || return 1
  P=$(find_tool "$2")
  if [ -z "$P" ]; then echo "#   $1: not installed"; missing "$1" "not installed"; return 1; fi
  echo "#   $1: $P ($(version_of "$1" "$P"))"
}
REPORT=""

echo "# timing..." >&2
case $MODE in
worktree)
  D=$TARGET
  if [ $KT_OK -eq 1 ]; then
    CMD=("$KEYTRACE" scan "$D" --format json -o /dev/null)
    WARM=("$KEYTRACE" scan "$D" --format json -o "$WORK/keytrace.json")
    REPORT=$WORK/keytrace.json bench keytrace json "$D"
  fi
  if peer gitleaks gitleaks; then
    CMD=("$P" dir --no-banner --exit-code 0 -f json -r "$WORK/gitleaks.json" "$D"); WARM=("${CMD[@]}")
    REPORT=$WORK/gitleaks.json bench gitleaks json "$D"
  fi
  if peer betterleaks betterleaks; then
    # betterleaks 2.0 names its directory mode "filesystem"/"fs" (it has no "dir" command)
    CMD=("$P" fs --no-banner --exit-code 0 -o "$WORK/betterleaks.json" "$D"); WARM=("${CMD[@]}")
    REPORT=$WORK/betterleaks.json bench betterleaks json "$D"
  fi
  if peer kingfisher kingfisher; then
    CMD=("$P" scan "$D" --no-validate --no-update-check -q -f json -o "$WORK/kingfisher.json"); WARM=("${CMD[@]}")
    OKRC="0 200 205" REPORT=$WORK/kingfisher.json bench kingfisher json "$D"
  fi
  if peer detect-secrets detect-secrets; then
    # -C: detect-secrets silently drops path arguments outside its root (scans 0 files)
    CMD=("$P" -C "$D" scan --all-files); WARM=("${CMD[@]}")
    bench detect-secrets detect-secrets "$D"
  fi
  if peer ripsecrets ripsecrets; then
    CMD=("$P" "$D"); WARM=("${CMD[@]}")
    bench ripsecrets lines "$D"
  fi
  if peer secretlint secretlint; then
    CMD=("$P" --secretlintrcJSON '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}'
         --format json --output "$WORK/secretlint.json" "**/*"); WARM=("${CMD[@]}")
    REPORT=$WORK/secretlint.json bench secretlint secretlint "$D"
  fi
  if peer trufflehog3 trufflehog3; then
    CMD=("$P" -z --no-history -f JSON -o "$WORK/trufflehog3.json" "$D"); WARM=("${CMD[@]}")
    REPORT=$WORK/trufflehog3.json bench trufflehog3 json "$D"
  fi
  note "trufflehog2 has no directory mode; not run in worktree mode"
  if wanted floor; then
    RG=$(find_tool rg)
    if [ -z "$RG" ]; then
      note "floor: rg not installed; skipped"
    elif [ $KT_OK -ne 1 ]; then
      note "floor: skipped, it needs the keywords from \`keytrace rules list --keywords\` and keytrace was not run"
    elif ! "$KEYTRACE" rules list --keywords > "$WORK/keywords.raw" 2> "$WORK/keywords.err"; then
      note "floor: skipped, \`keytrace rules list --keywords\` failed: $(head -n 1 "$WORK/keywords.err")"
    else
      grep -v '^[[:space:]]*$' "$WORK/keywords.raw" | sort -u > "$WORK/keywords.txt"
      if [ ! -s "$WORK/keywords.txt" ]; then
        note "floor: skipped, \`keytrace rules list --keywords\` printed no keywords"
      else
        echo "#   floor: $RG -i -F -f <$(wc -l < "$WORK/keywords.txt") keywords> ($("$RG" --version | head -n 1))"
        CMD=("$RG" -i -F -f "$WORK/keywords.txt" "$D"); WARM=("${CMD[@]}")
        bench "floor:rg" floor "$D"
      fi
    fi
  fi
  ;;
staged)
  D=$TARGET
  if [ $KT_OK -eq 1 ]; then
    CMD=("$KEYTRACE" scan --staged)
    WARM=("$KEYTRACE" scan --staged --format json --output "$WORK/keytrace.json")
    REPORT=$WORK/keytrace.json bench keytrace json "$D"
  fi
  if peer gitleaks gitleaks; then
    CMD=("$P" git --pre-commit --staged --no-banner --exit-code 0 -f json -r "$WORK/gitleaks.json" .); WARM=("${CMD[@]}")
    REPORT=$WORK/gitleaks.json bench gitleaks json "$D"
  fi
  if peer betterleaks betterleaks; then
    CMD=("$P" git --staged --no-banner --exit-code 0 -o "$WORK/betterleaks.json" .); WARM=("${CMD[@]}")
    REPORT=$WORK/betterleaks.json bench betterleaks json "$D"
  fi
  if peer kingfisher kingfisher; then
    CMD=("$P" scan . --staged --no-validate --no-update-check -q -f json -o "$WORK/kingfisher.json"); WARM=("${CMD[@]}")
    OKRC="0 200 205" REPORT=$WORK/kingfisher.json bench kingfisher json "$D"
  fi
  note "detect-secrets, ripsecrets, secretlint, trufflehog2, trufflehog3: no staged-diff mode; not run in staged mode"
  if wanted floor; then
    echo "#   floor: git diff --cached -U0 ($(git --version))"
    CMD=(git diff --cached -U0); WARM=("${CMD[@]}")
    bench "floor:git-diff" floor "$D"
  fi
  ;;
history)
  D=$TARGET
  if [ $KT_OK -eq 1 ]; then
    CMD=("$KEYTRACE" scan --history --all "$D")
    WARM=("$KEYTRACE" scan --history --all "$D" --format json --output "$WORK/keytrace.json")
    REPORT=$WORK/keytrace.json bench keytrace json "$D"
    if wanted keytrace-no-delta; then
      # The same scan reading every blob whole: what the delta-aware mode saves.
      CMD=("$KEYTRACE" scan --history --all --no-delta "$D")
      WARM=("$KEYTRACE" scan --history --all --no-delta "$D" --format json --output "$WORK/keytrace-no-delta.json")
      REPORT=$WORK/keytrace-no-delta.json bench keytrace-no-delta json "$D"
    fi
  fi
  if peer gitleaks gitleaks; then
    CMD=("$P" git --no-banner --exit-code 0 -f json -r "$WORK/gitleaks.json" "$D"); WARM=("${CMD[@]}")
    REPORT=$WORK/gitleaks.json bench gitleaks json "$D"
  fi
  if peer betterleaks betterleaks; then
    CMD=("$P" git --no-banner --exit-code 0 -o "$WORK/betterleaks.json" "$D"); WARM=("${CMD[@]}")
    REPORT=$WORK/betterleaks.json bench betterleaks json "$D"
  fi
  if peer kingfisher kingfisher; then
    CMD=("$P" scan "$D" --no-validate --no-update-check -q -f json -o "$WORK/kingfisher.json"); WARM=("${CMD[@]}")
    OKRC="0 200 205" REPORT=$WORK/kingfisher.json bench kingfisher json "$D"
  fi
  if peer trufflehog3 trufflehog3; then
    CMD=("$P" -z --no-current --depth 1000000000 -f JSON -o "$WORK/trufflehog3.json" "$D"); WARM=("${CMD[@]}")
    REPORT=$WORK/trufflehog3.json bench trufflehog3 json "$D"
  fi
  if [ "$(git -C "$D" rev-parse --is-bare-repository)" = true ]; then
    note "trufflehog2: not run, it needs a non-bare clone with an origin remote (it fetches origin's branches)"
  elif peer trufflehog2 trufflehog2; then
    # --repo_path: scan the local repository instead of cloning git_url
    CMD=("$P" --json --regex --entropy=False --repo_path "$D" "file://$D"); WARM=("${CMD[@]}")
    bench trufflehog2 jsonl "$D"
  fi
  note "detect-secrets, ripsecrets, secretlint: no git-history mode; not run in history mode"
  if wanted floor; then
    echo "#   floor: git cat-file --batch-all-objects --batch --unordered >/dev/null ($(git --version))"
    CMD=(git --git-dir="$GITDIR" cat-file --batch-all-objects --batch --unordered); WARM=("${CMD[@]}")
    # 5+ GB of output on big repositories: this one goes to /dev/null (git does not special-case it)
    OUT=/dev/null bench "floor:cat-file" floor "$D"
  fi
  ;;
esac

# The cost of the measuring itself (subshell, /usr/bin/time, timeout), timed the same way:
# it is included in every figure above and matters only for millisecond-scale runs.
if wanted wrapper; then
  CMD=(true); WARM=("${CMD[@]}")
  bench "wrapper:true" floor "$TARGET" 2>/dev/null
fi

# ---------------------------------------------------------------- table
echo
python3 - "$RESULTS" "$WORK" <<'PY'
import os, statistics, sys
results, work = sys.argv[1], sys.argv[2]
rows = []
for line in open(results):
    name, status, findings, note = (line.rstrip("\n").split("\t") + [""] * 4)[:4]
    times, rss = [], []
    tf = os.path.join(work, name + ".times")
    if status == "OK" and os.path.exists(tf):
        for l in open(tf):
            w, r = l.split()
            times.append(float(w)); rss.append(int(r))
    rows.append((name, status, findings, note, times, rss))
med = {r[0]: statistics.median(r[4]) for r in rows if r[4]}
kt = med.get("keytrace")
floor = next((v for k, v in med.items() if k.startswith("floor:")), None)
def fmt(s):
    return f"{s:.3f}" if s < 10 else f"{s:.2f}" if s < 100 else f"{s:.1f}"
problems = []
hdr = ["tool", "n", "median s", "min s", "max s", "x keytrace", "x floor", "findings", "peak RSS MB"]
out = []
for name, status, findings, note, times, rss in rows:
    if times:
        m = med[name]
        out.append([name, str(len(times)), fmt(m), fmt(min(times)), fmt(max(times)),
                    f"{m / kt:.2f}" if kt else "-", f"{m / floor:.1f}" if floor else "-",
                    findings, f"{max(rss) / 1024:.0f}" if any(rss) else "?"])
    else:
        out.append([name, "0", status, "", "", "", "", findings, ""])
        if note:
            problems.append(f"{name}: {status.lower()}: {note}")
w = [max(len(r[i]) for r in out + [hdr]) for i in range(len(hdr))]
def line(r):
    return "| " + " | ".join(c.ljust(w[i]) if i in (0, 2) else c.rjust(w[i]) for i, c in enumerate(r)) + " |"
print("n = timed runs (after one warm-up); x = median / keytrace's or the floor's median;")
print("peak RSS = largest single process of the tool's process tree; wrapper:true = the")
print("measuring overhead (subshell + /usr/bin/time + timeout running `true`), included in every row\n")
print(line(hdr))
print("|" + "|".join("-" * (x + 2) for x in w) + "|")
for r in out:
    print(line(r))
print()
for p in problems:
    print(p)
if kt is None:
    print("keytrace was not timed in this run, so there are no ratios to it.")
PY
if [ -s "$NOTES" ]; then echo "notes:"; sed 's/^/  /' "$NOTES"; fi
