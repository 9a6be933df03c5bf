#!/usr/bin/env bash
# Fuzzes every reader (memscope dumps binary and JSON Lines, heaptrack, massif, DHAT,
# memscope-rs, folded stacks) with libFuzzer and AddressSanitizer, through the analysis
# and the summary: Sources/memscope-fuzz, one target whose input's first byte picks the
# reader. Seeds come from samples/ and Tests/Fixtures/; the corpus grows in
# bench-out/fuzz/corpus across runs.
# Usage: scripts/fuzz.sh [SECONDS]  (default 600). Exit 1 when an input traps or leaks
# memory past the limits; the input is saved as bench-out/fuzz/crash-* (add it to
# Tests/Fixtures/fuzz/ with its reader byte: FuzzReplayTests replays that folder).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
./scripts/install-deps.sh
swift build --product memscope-fuzz -c release --scratch-path .build-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library 2>&1 | grep -v "Cannot export local symbol" | tail -1
out=bench-out/fuzz
mkdir -p "$out/corpus"
seed() { # reader byte, file
  [ -f "$2" ] && [ "$(stat -c %s "$2")" -le 300000 ] || return 0
  { printf "\\$(printf '%03o' "$1")"; cat "$2"; } > "$out/corpus/seed-$1-$(basename "$2")"
}
for f in samples/*.msd samples/tiny.jsonl samples/malformed/*; do seed 0 "$f"; done
for f in samples/*.msd; do seed 1 "$f"; done
seed 2 samples/tiny.jsonl
for f in Tests/Fixtures/imports/heaptrack.workload.v2 Tests/Fixtures/imports/heaptrack.workload.v3; do seed 3 "$f"; done
seed 4 Tests/Fixtures/imports/massif.out.workload
seed 5 Tests/Fixtures/imports/dhat.out.workload
for f in Tests/Fixtures/memscope-rs/*; do seed 6 "$f"; done
seed 7 Tests/Fixtures/imports/workload.allocations.folded
for f in Tests/Fixtures/fuzz/*; do cp "$f" "$out/corpus/"; done
cd "$out"
set +e
../../.build-fuzz/release/memscope-fuzz corpus -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=20 \
  -artifact_prefix=./ -print_final_stats=1 > run.log 2>&1
status=$?
set -e
grep -E "^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)" run.log || true
if [ $status -ne 0 ]; then
  echo "fuzz: a finding (exit $status); see $out/run.log and $out/crash-* or timeout-*" >&2
  tail -40 run.log >&2
  exit 1
fi
echo "fuzz: no finding in ${seconds} s"
