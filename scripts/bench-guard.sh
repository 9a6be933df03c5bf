#!/usr/bin/env bash
# The cost of the memory-error options: scripts/bench-record.c (1M allocations and 1M
# frees from 50 stacks; 0 and 8 passes of work over each block) under `memscope record`
# plain, with --guard, with --quarantine 64MiB and with both, best of RUNS (default 5).
# "program" is the time until the traced program exits, "total" adds writing the dump.
# Peak RSS is the traced program's (GNU time, with the recorder preloaded directly and
# the options given through its environment variables, as `memscope record` sets them).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product memscope >/dev/null
runs="${RUNS:-5}"
out=bench-out/guard
mkdir -p "$out"
gcc -O2 -g -o "$out/bench-record" scripts/bench-record.c
program="$out/bench-record"
memscope=.build/release/memscope
preload=.build/release/memscope_memscope.resources/libmemscope-preload.so
quarantine=$((64 * 1024 * 1024))

best() { sort -g | head -1; }
wall_and_rss() { /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt"; cat "$out/time.txt"; }
program_seconds() { sed -n 's/.*the program ran \([0-9.]*\) s.*/\1/p' "$out/stderr.txt"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f×", (b > 0 ? a / b : 0) }'; }

echo "best of $runs runs, $(nproc) cores, $(date -u +%F)"
echo "| workload | run | program s | total s | program vs plain record | peak RSS MiB | RSS vs plain record |"
echo "|---|---|---:|---:|---:|---:|---:|"
for passes in 0 8; do
  args=(200000 "$passes")
  declare -A prog total rss
  for mode in plain guard quarantine both; do
    flags=(); env=()
    case $mode in
      guard) flags=(--guard); env=(MEMSCOPE_GUARD=1) ;;
      quarantine) flags=(--quarantine 64MiB); env=(MEMSCOPE_QUARANTINE=$quarantine) ;;
      both) flags=(--guard --quarantine 64MiB); env=(MEMSCOPE_GUARD=1 MEMSCOPE_QUARANTINE=$quarantine) ;;
    esac
    p=(); w=(); m=()
    for _ in $(seq "$runs"); do
      read -r t _ < <(wall_and_rss "$memscope" record "${flags[@]}" -o "$out/bench.msd" -- "$program" "${args[@]}")
      w+=("$t"); p+=("$(program_seconds)")
      rm -f "$out"/sp.*
      read -r _ kib < <(wall_and_rss env MEMSCOPE_SPOOL="$PWD/$out/sp" "${env[@]}" LD_PRELOAD="$PWD/$preload" "$program" "${args[@]}")
      m+=("$kib"); rm -f "$out"/sp.*
    done
    prog[$mode]=$(printf '%s\n' "${p[@]}" | best); total[$mode]=$(printf '%s\n' "${w[@]}" | best)
    rss[$mode]=$(printf '%s\n' "${m[@]}" | best)
  done
  for mode in plain guard quarantine both; do
    label="memscope record"
    case $mode in guard) label+=" --guard" ;; quarantine) label+=" --quarantine 64MiB" ;; both) label+=" --guard --quarantine 64MiB" ;; esac
    mib=$(awk -v k="${rss[$mode]}" 'BEGIN { printf "%.1f", k / 1024 }')
    echo "| $passes passes | $label | ${prog[$mode]} | ${total[$mode]} | $(ratio "${prog[$mode]}" "${prog[plain]}") | $mib | $(ratio "${rss[$mode]}" "${rss[plain]}") |"
  done
done
