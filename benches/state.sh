#!/usr/bin/env bash
# Incremental history (`scan --history --state`), nightly style: a bare repository fetched
# at BRANCH~BACK (first run: a full scan that writes the state), then fetched forward to
# BRANCH (a new pack, as `git fetch` brings it), then ROUNDS interleaved pairs of a full
# scan and an incremental run from a fresh copy of the first run's state. Prints wall
# seconds and peak RSS of each run, checks that both reports' findings are equal, and
# prints the medians.
#
#   benches/state.sh BIN MIRROR WORKDIR [ROUNDS] [BACK] [BRANCH]
#   benches/state.sh target/release/keytrace /work/.mirror/git+git/repo /tmp/kt-state 3 50 master
set -euo pipefail
BIN=$(realpath "$1"); MIRROR=$(realpath "$2"); W=$3; ROUNDS=${4:-3}; BACK=${5:-50}; BRANCH=${6:-master}
mkdir -p "$W"
OLD=$(git -C "$MIRROR" rev-parse "$BRANCH~$BACK")
NEW=$(git -C "$MIRROR" rev-parse "$BRANCH")
if [ ! -d "$W/repo.git" ]; then
  git init -q --bare "$W/repo.git"
  git -C "$W/repo.git" fetch -q "file://$MIRROR" "$OLD:refs/heads/$BRANCH"
  git -C "$W/repo.git" symbolic-ref HEAD "refs/heads/$BRANCH"
fi
git -C "$W/repo.git" update-ref "refs/heads/$BRANCH" "$OLD"
echo "commits added by the nightly fetch: $(git -C "$MIRROR" rev-list --count "$OLD..$NEW") ($BRANCH~$BACK..$BRANCH)"

run() { # label, args...: prints "label seconds maxrss_mb"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$W/time" "$BIN" scan --history "$@" --quiet --format json \
    -o "$W/$label.json" "$W/repo.git" 2>"$W/$label.err" || [ $? -eq 1 ]
  read -r secs kb < <(tail -n 1 "$W/time")
  echo "$label $secs $((kb / 1024))"
}

rm -rf "$W/state0"
run first --state "$W/state0"
ls -l "$W/state0/history.state" | awk '{print "state file bytes:", $5}'
git -C "$W/repo.git" fetch -q "file://$MIRROR" "$BRANCH:refs/heads/$BRANCH"
for _ in $(seq "$ROUNDS"); do
  run full
  rm -rf "$W/s" && cp -r "$W/state0" "$W/s"
  run incremental --state "$W/s"
  python3 - "$W/full.json" "$W/incremental.json" <<'EOF'
import json, sys
a, b = (json.load(open(p))["findings"] for p in sys.argv[1:3])
assert a == b, "incremental findings differ from the full scan's"
print(f"equal: {len(a)} findings")
EOF
done | tee "$W/rounds"
grep -h "incremental:" "$W/incremental.err" || true
python3 - "$W/rounds" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.startswith(("full ", "incremental "))]
med = {k: statistics.median(float(r[1]) for r in rows if r[0] == k) for k in ("full", "incremental")}
rss = {k: max(int(r[2]) for r in rows if r[0] == k) for k in ("full", "incremental")}
print(f"median full {med['full']:.2f} s, incremental {med['incremental']:.2f} s, "
      f"ratio {med['incremental'] / med['full']:.3f}; peak RSS full {rss['full']} MB, incremental {rss['incremental']} MB")
EOF
