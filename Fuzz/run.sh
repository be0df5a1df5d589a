#!/usr/bin/env bash
# Builds the libFuzzer targets and runs one (or all) of them.
#   Fuzz/run.sh TARGET SECONDS    TARGET: pdu filter dn controls ldif
#   Fuzz/run.sh all SECONDS       each target in turn, SECONDS each
# Extra arguments after SECONDS go to libFuzzer (e.g. -jobs=1, -runs=N, a crash file).
# Seeds: Fixtures/fuzz-corpus/<target>/ (read only). New corpus: a temp dir.
# Crashes, hangs and OOMs: .build-fuzz/crashes/<target>-*.
set -euo pipefail

usage() { echo "usage: $0 {pdu|filter|dn|controls|ldif|all} SECONDS [libFuzzer options...]" >&2; exit 2; }
[ $# -ge 2 ] || usage
target=$1 seconds=$2
shift 2
[[ $seconds =~ ^[0-9]+$ ]] || usage

root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$root/.build-fuzz
crashes=$scratch/crashes
mkdir -p "$crashes"

executable() {
    case $1 in
        pdu) echo FuzzPDU ;; filter) echo FuzzFilter ;; dn) echo FuzzDN ;;
        controls) echo FuzzControls ;; ldif) echo FuzzLDIF ;; *) usage ;;
    esac
}
[ "$target" = all ] || executable "$target" >/dev/null

# -sanitize=fuzzer,address instruments every module (swift-asn1 included) and links
# libFuzzer from the toolchain's runtime; -parse-as-library because the targets have
# top-level declarations only.
echo "== building (release, -sanitize=fuzzer,address)" >&2
nice -n 19 swift build -c release --package-path "$root/Fuzz" --scratch-path "$scratch" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 \
    | { grep -v "Cannot export local symbol '__asan_extra_spill_area'" || true; } >&2

run() {
    local name=$1 bin corpus
    shift
    bin=$scratch/release/$(executable "$name")
    corpus=$(mktemp -d "${TMPDIR:-/tmp}/annuaire-fuzz-$name.XXXXXX")
    echo "== $name: ${seconds}s, new corpus in $corpus, crashes in $crashes/$name-*" >&2
    # The first directory receives new inputs; the seeds are only read.
    # libFuzzer exits non-zero on a crash: report it and go on with the next target.
    local status=0
    # SWIFT_BACKTRACE=enable=no: Swift's crash backtracer would run after a trap and
    # confuse ASan; libFuzzer and ASan print the stack themselves.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} nice -n 19 "$bin" \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$crashes/$name-" "$@" \
        "$corpus" "$root/Fixtures/fuzz-corpus/$name" || status=$?
    echo "== $name: exit status $status; corpus now $(ls "$corpus" | wc -l) new files in $corpus" >&2
    return $status
}

if [ "$target" = all ]; then
    failed=""
    for name in pdu filter dn controls ldif; do run "$name" "$@" || failed="$failed $name"; done
    [ -z "$failed" ] || { echo "== crashes in:$failed (see $crashes)" >&2; exit 1; }
else
    run "$target" "$@"
fi
