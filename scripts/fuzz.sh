#!/usr/bin/env bash
# Fuzzes memscope with libFuzzer and AddressSanitizer: one target per reader (memscope
# dumps binary and JSON Lines, heaptrack, massif, DHAT, memscope-rs JSON and binary,
# folded stacks; each fed from memory, reading only), the analysis on records made from
# the input, the HTML report of a tiny analysis whose strings come from the input (a tag
# or attribute the template does not produce is a finding), and the whole pipeline
# (reader, analysis, summary, layouts; the input's first byte picks the reader).
# Sources/memscope-fuzz, built with MEMSCOPE_FUZZ_BUILD=1 (see Package.swift). Seeds come
# from samples/ and Tests/Fixtures/; each target's corpus grows in bench-out/fuzz/TARGET/.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (SECONDS per target, default 600; every
# target by default; MEMSCOPE_FUZZ_RUNS=N also stops a target after N executions). Prints each target's executions; exit 1 when an input traps, hangs
# or leaks: the input is saved as bench-out/fuzz/TARGET--crash-* (or timeout-, leak-,
# oom-); fix the bug, then add the file to Tests/Fixtures/fuzz/ under that name
# (FuzzReplayTests replays every file there through the target its name starts with).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
all=(msd jsonl heaptrack massif dhat memscope-rs-json memscope-rs-binary folded analysis report pipeline)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
./scripts/install-deps.sh
MEMSCOPE_FUZZ_BUILD=1 swift build --product memscope-fuzz -c release --scratch-path .build-fuzz --manifest-cache none 2>&1 \
  | grep -v "Cannot export local symbol" | tail -1
out=bench-out/fuzz
mkdir -p "$out"
# A copy per run of this script: two runs at once (long runs on two cores) do not overwrite
# each other's binary, and a rebuild during a long run does not change what it runs.
binary="$out/memscope-fuzz-$$"
cp .build-fuzz/release/memscope-fuzz "$binary"
trap 'rm -f "$binary"' EXIT

# The longest input a target is given: enough for its seeds' interesting parts (their
# first bytes: a cut dump is a valid input), short enough for thousands of executions a
# second (a reader's time grows with its input).
max_len() {
  case "$1" in
    massif|pipeline) echo 8192 ;;
    report) echo 1024 ;;
    *) echo 4096 ;;
  esac
}

# seed TARGET FILE...: the first max_len bytes of each file (a cut dump is a valid input).
seed() {
  local target=$1; shift
  local dir="$out/$target/corpus"
  for f in "$@"; do
    [ -f "$f" ] || continue
    head -c "$(max_len "$target")" "$f" > "$dir/seed-$(basename "$f")"
  done
}

# The pipeline's inputs are led by their reader's byte (Sources/memscope-fuzz/Targets.swift).
seed_pipeline() {
  local byte=$1 f=$2
  [ -f "$f" ] || return 0
  { printf "\\$(printf '%03o' "$byte")"; head -c 8000 "$f"; } > "$out/pipeline/corpus/seed-$byte-$(basename "$f")"
}

# Leak checks stay on for the readers. The analysis, the report and the pipeline end most
# runs holding more blocks than they began with (caches that stay reachable, never a leak
# found), so libFuzzer would run the leak scan after nearly every input: 4 to 6 times slower.
leaks() {
  case "$1" in
    analysis|report|pipeline) echo 0 ;;
    *) echo 1 ;;
  esac
}

findings=0
for target in "${targets[@]}"; do
  mkdir -p "$out/$target/corpus"
  case "$target" in
    msd) seed msd samples/*.msd samples/recorded/*.msd samples/malformed/*.msd ;;
    jsonl) seed jsonl samples/tiny.jsonl samples/malformed/*.jsonl ;;
    heaptrack) seed heaptrack Tests/Fixtures/imports/heaptrack.workload.* ;;
    massif) seed massif Tests/Fixtures/imports/massif.out.workload Tests/Fixtures/imports/massif.out.workload-ms ;;
    dhat) seed dhat Tests/Fixtures/imports/dhat.out.workload ;;
    memscope-rs-json) seed memscope-rs-json Tests/Fixtures/memscope-rs/*/*.json ;;
    memscope-rs-binary) seed memscope-rs-binary Tests/Fixtures/memscope-rs/v0.1/*.memscope ;;
    folded) seed folded Tests/Fixtures/imports/*.folded ;;
    analysis|report) seed "$target" samples/tiny.jsonl Tests/Fixtures/imports/workload.allocations.folded ;;
    pipeline)
      for f in samples/memory-errors.msd samples/tiny.jsonl samples/malformed/*; do seed_pipeline 0 "$f"; done
      seed_pipeline 1 samples/memory-errors.msd
      seed_pipeline 2 samples/tiny.jsonl
      seed_pipeline 3 Tests/Fixtures/imports/heaptrack.workload.v3
      seed_pipeline 4 Tests/Fixtures/imports/massif.out.workload
      seed_pipeline 5 Tests/Fixtures/imports/dhat.out.workload
      seed_pipeline 6 Tests/Fixtures/memscope-rs/v0.1/demo.memscope
      seed_pipeline 7 Tests/Fixtures/imports/workload.allocations.folded ;;
    *) echo "fuzz: no target $target (the targets: ${all[*]})" >&2; exit 2 ;;
  esac
  for f in Tests/Fixtures/fuzz/"$target"--*; do [ -f "$f" ] && cp "$f" "$out/$target/corpus/"; done
  log="$out/$target/run.log"
  set +e
  MEMSCOPE_FUZZ_TARGET="$target" "$binary" "$out/$target/corpus" -max_total_time="$seconds" -max_len="$(max_len "$target")" -detect_leaks="$(leaks "$target")" \
    ${MEMSCOPE_FUZZ_RUNS:+-runs=$MEMSCOPE_FUZZ_RUNS} -rss_limit_mb=2048 -timeout=20 -artifact_prefix="$out/$target--" -print_final_stats=1 > "$log" 2>&1
  status=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
  line=$(printf "%-20s %12s executions %7s/s in %s s" "$target" "${runs:-?}" "${rate:-?}" "${took:-$seconds}")
  if [ $status -ne 0 ]; then
    findings=$((findings + 1))
    line="$line  FINDING (exit $status), see $log"
    tail -30 "$log" >&2
  fi
  echo "$line"
done
echo "fuzz: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
if [ $findings -ne 0 ]; then
  echo "fuzz: $findings target(s) found something; the inputs are bench-out/fuzz/TARGET--*" >&2
  exit 1
fi
echo "fuzz: no finding"
