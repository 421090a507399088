#!/usr/bin/env bash
# Peak memory of one command, sampled from /proc every 100 ms: VmHWM (peak RSS, includes the
# memory-mapped pack files) and the largest RssAnon seen (anonymous memory: heap, stacks;
# what actually grows with a repository's size).
#
#   benches/memory.sh -- keytrace scan --history --all /path/to/repo.git
#
# Prints one line: wall seconds, peak RSS MB, peak RssAnon MB, exit code.
#
#   benches/memory.sh --packings REPO [KEYTRACE]
#
# The history bound of issue 14 item 5 (at most BOUND_MB, default 300, of anonymous memory
# whatever the packing): `scan --history --all` of REPO as it is (an ordinary clone: packed
# as it was fetched) and of a tight copy of it (`git repack -adf --depth=50 --window=250`,
# made in TMPDIR and deleted after, unless TIGHT names one already made; repacking git/git
# takes 10+ minutes on two cores). One line each; exits 1 when either is over the bound.
#
# Linux only.
set -u

# peak COMMAND...: runs it, prints the line, sets $peak_anon_mb.
peak() {
  local start end pid code a h anon=0 hwm=0
  start=$(date +%s.%N)
  "$@" > /dev/null 2> /dev/null &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if [ -r "/proc/$pid/status" ]; then
      a=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
      h=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
      [ -n "$a" ] && [ "$a" -gt "$anon" ] && anon=$a
      [ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm=$h
    fi
    sleep 0.1
  done
  wait "$pid"
  code=$?
  end=$(date +%s.%N)
  peak_anon_mb=$((anon / 1024))
  awk -v s="$start" -v e="$end" -v h="$hwm" -v a="$anon" -v c="$code" \
    'BEGIN { printf "wall %.2f s, peak RSS %.0f MB, peak RssAnon %.0f MB, exit %d\n", e - s, h / 1024, a / 1024, c }'
}

if [ "${1:-}" = "--packings" ]; then
  repo=${2:?usage: benches/memory.sh --packings REPO [KEYTRACE]}
  kt=${3:-keytrace}
  bound=${BOUND_MB:-300}
  tight=${TIGHT:-}
  made=""
  if [ -z "$tight" ]; then
    tight=$(mktemp -d "${TMPDIR:-/tmp}/keytrace-tight.XXXXXX")/repo.git
    made=$(dirname "$tight")
    trap '[ -n "$made" ] && rm -rf "$made"' EXIT
    git clone -q --mirror "$repo" "$tight" &&
      git -C "$tight" repack -q -adf --depth=50 --window=250 ||
      { echo "cannot make a tight copy of $repo" >&2; exit 2; }
  fi
  over=0
  for r in "$repo" "$tight"; do
    packs=$(du -cm "$r"/objects/pack/*.pack 2>/dev/null | tail -1 | cut -f1)
    printf '%s (packs %s MB): ' "$r" "$packs"
    peak "$kt" scan --history --all -q --format json --output /dev/null "$r"
    [ "$peak_anon_mb" -gt "$bound" ] && over=1
  done
  [ "$over" = 0 ] || { echo "over the bound of $bound MB" >&2; exit 1; }
  exit 0
fi

[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || { echo "usage: benches/memory.sh -- COMMAND... | --packings REPO [KEYTRACE]" >&2; exit 2; }
peak "$@"
