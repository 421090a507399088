#!/bin/sh
# One shard of an organisation scan, as the Indexed Job and CronJob run it.
#   REPOS        the repository list (LOCATION NAME per line; NAME is the clone URL)
#   SHARDS       the number of shards (the Job's completions)
#   DATA         the volume: mirrors under $DATA/mirrors, reports under $DATA/reports
#   JOB_COMPLETION_INDEX   set by Kubernetes: this pod's shard
# git clones or fetches this shard's repositories (with git's own credentials), then
# keytrace scans them offline and writes one JSON report per shard.
set -eu
: "${REPOS:=/config/repos.txt}" "${SHARDS:?set SHARDS to the Job's completions}" "${DATA:=/data}"
index="${JOB_COMPLETION_INDEX:?not running in an Indexed Job}"
mkdir -p "$DATA/mirrors" "$DATA/reports"
cd "$DATA/mirrors"
keytrace scan --history --repos "$REPOS" --shard-count "$SHARDS" --list-repos |
while read -r location name; do
  if [ -d "$location" ]; then
    git -C "$location" fetch --prune --quiet origin '+refs/*:refs/*' || echo "fetch failed: $name" >&2
  else
    git clone --mirror --quiet "$name" "$location" || echo "clone failed: $name" >&2
  fi
done
# Exit 1 (findings) is success for the Job; 2 (a repository could not be scanned) is
# reported in the JSON and retried by backoffLimitPerIndex.
status=0
keytrace scan --history --all --repos "$REPOS" --shard-count "$SHARDS" --quiet \
  --format json -o "$DATA/reports/shard-$index.json" || status=$?
[ "$status" -le 1 ] || exit "$status"
