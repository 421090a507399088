#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets/*.rs) for a set time with cargo-fuzz
# (libFuzzer). Only stable Rust is assumed: RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the
# nightly-only sanitizer flags it passes to rustc.
#
#   scripts/fuzz.sh                 # every target, 60 s each
#   scripts/fuzz.sh 300 matcher     # only `matcher`, 5 minutes
#   FUZZ_JOBS=2 scripts/fuzz.sh     # two libFuzzer workers per target
#
# Needs `cargo install cargo-fuzz` once. Crashes are saved under fuzz/artifacts/<target>/;
# reproduce one with `RUSTC_BOOTSTRAP=1 cargo fuzz run <target> <file>` (in fuzz/), then
# turn it into a regression test next to the code or in tests/it/adversarial.rs.
# Exits 1 if any target crashed.
set -uo pipefail
cd "$(dirname "$0")/../fuzz"

seconds="${1:-60}"
shift || true
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    targets=()
    for f in fuzz_targets/*.rs; do
        targets+=("$(basename "$f" .rs)")
    done
fi

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "fuzz.sh: cargo-fuzz is not installed: cargo install cargo-fuzz" >&2
    exit 2
fi
export RUSTC_BOOTSTRAP=1

host="$(rustc -vV | sed -n 's/^host: //p')"
mkdir -p artifacts
echo "== building ${#targets[@]} targets"
RUSTC_BOOTSTRAP=1 cargo fuzz build || exit 2

# Seeds: the rule pack and the test corpus are good starting points for the parsers and
# the matcher (copied, so fuzz/corpus/ never changes the repository's files).
seed() {
    local target="$1" dir="corpus/$1"
    mkdir -p "$dir"
    case "$target" in
        rule_file | gitleaks_config | config | manifest) cp ../patterns/*.toml "$dir"/ 2>/dev/null ;;
        matcher) find ../corpus -type f -size -64k -exec cp {} "$dir"/ \; 2>/dev/null ;;
        *) ;;
    esac
    return 0
}

failed=()
for t in "${targets[@]}"; do
    seed "$t"
    mkdir -p "artifacts/$t"
    echo "== $t for ${seconds}s"
    jobs=()
    if [ -n "${FUZZ_JOBS:-}" ]; then
        jobs=(-fork="$FUZZ_JOBS")
    fi
    # The binaries built above, run directly: `cargo fuzz run` would rebuild first.
    if ! "target/$host/release/$t" "corpus/$t" \
        -max_total_time="$seconds" "${jobs[@]}" \
        -max_len=65536 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/"; then
        failed+=("$t")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz.sh: crashes in: ${failed[*]} (see fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets ran ${seconds}s each without a crash"
