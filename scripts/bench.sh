#!/usr/bin/env bash
# The benchmark: read + analyze of generated 1M and 10M event dumps, with the C
# baseline loop and heaptrack_print on the same events in the same run.
# Extra arguments go to memscope-bench (e.g. --events 1000000 --runs 5).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
swift build -c release --product memscope
swift build -c release --product memscope-bench
mkdir -p bench-out
gcc -O2 -o bench-out/baseline scripts/bench-baseline.c
.build/release/memscope-bench "$@"
# Render with every default view beside memray flamegraph and heaptrack_print, at 1M, 10M and
# 100M events (set BENCH_RENDER_SIZES to change them; memray is pip-installed if missing).
python3 scripts/bench_render.py --sizes "${BENCH_RENDER_SIZES:-1000000,10000000,100000000}"
# The recorder's overhead against native and heaptrack (docs/RECORDER.md).
./scripts/bench-record.sh
# The cost of record --guard and --quarantine against a plain record (docs/RECORDER.md).
./scripts/bench-guard.sh
