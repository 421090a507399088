#!/usr/bin/env bash
# Peak memory of one command, sampled from /proc every 100 ms: VmHWM (peak RSS, includes the
# memory-mapped pack files) and the largest RssAnon seen (anonymous memory: heap, stacks;
# what actually grows with a repository's size).
#
#   benches/memory.sh -- keytrace scan --history --all /path/to/repo.git
#
# Linux only. Prints one line: wall seconds, peak RSS MB, peak RssAnon MB, exit code.
set -u
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || { echo "usage: benches/memory.sh -- COMMAND..." >&2; exit 2; }
start=$(date +%s.%N)
"$@" > /dev/null 2> /dev/null &
pid=$!
anon=0 hwm=0
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
awk -v s="$start" -v e="$end" -v h="$hwm" -v a="$anon" -v c="$code" \
  'BEGIN { printf "wall %.2f s, peak RSS %.0f MB, peak RssAnon %.0f MB, exit %d\n", e - s, h / 1024, a / 1024, c }'
