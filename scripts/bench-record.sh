#!/usr/bin/env bash
# The recorder's overhead: scripts/bench-record.c (allocation-heavy, 1M allocations +
# 1M frees; 50 distinct stacks 6-55 frames deep, or 6 stacks 10-15 deep; with 0 and
# with 8 passes of work over each block) run natively, under `memscope record` with
# its default unwinder, with libunwind alone (MEMSCOPE_UNWIND=libunwind, the default
# before the cached-rule unwinder) and with frame pointers, and under heaptrack, best
# of RUNS (default 5).
# Times are wall seconds; "program" is the time until the traced program exits,
# "total" includes writing the dump (memscope: symbolization; heaptrack: its
# interpret step). Peak RSS of the program is measured by GNU time with the
# recorder preloaded directly (memscope's own process would be counted otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
swift build -c release --product memscope >/dev/null
runs="${RUNS:-5}"
out=bench-out/record
mkdir -p "$out"
gcc -O2 -g -o "$out/bench-record" scripts/bench-record.c
program="$out/bench-record"
memscope=.build/release/memscope
preload=.build/release/memscope_memscope.resources/libmemscope-preload.so

best() { sort -g | head -1; }
wall_and_rss() { /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt"; cat "$out/time.txt"; }
program_seconds() { sed -n 's/.*the program ran \([0-9.]*\) s.*/\1/p' "$out/stderr.txt"; }

rm -f "$out"/sp.*
read -r _ preload_rss < <(wall_and_rss env MEMSCOPE_SPOOL="$PWD/$out/sp" LD_PRELOAD="$PWD/$preload" "$program")
spool_bytes=$(du -B1 "$out"/sp.* | awk '{s+=$1} END {print s}'); rm -f "$out"/sp.*
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", (b > 0 ? a / b : 0) }'; }
echo "best of $runs runs, $(nproc) cores, $(date -u +%F), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| workload | run | program s | total s | program vs native | total vs heaptrack total |"
echo "|---|---|---:|---:|---:|---:|"
for workload in "0 passes" "8 passes" "0 passes, stacks 10-15 deep" "8 passes, stacks 10-15 deep"; do
  passes=${workload%% *}
  args=(200000 "$passes")
  case $workload in *10-15*) args+=(5 10) ;; esac
  native=(); native_rss=()
  for _ in $(seq "$runs"); do read -r t m < <(wall_and_rss "$program" "${args[@]}"); native+=("$t"); native_rss+=("$m"); done
  declare -A prog total
  for mode in default libunwind fp; do
    flag=(); unwind=()
    [ "$mode" = fp ] && flag=(--frame-pointers)
    [ "$mode" = libunwind ] && unwind=(MEMSCOPE_UNWIND=libunwind)
    p=(); w=()
    for _ in $(seq "$runs"); do
      read -r t _ < <(wall_and_rss env "${unwind[@]}" "$memscope" record "${flag[@]}" -o "$out/bench.msd" -- "$program" "${args[@]}")
      w+=("$t"); p+=("$(program_seconds)")
    done
    prog[$mode]=$(printf '%s\n' "${p[@]}" | best); total[$mode]=$(printf '%s\n' "${w[@]}" | best)
  done
  h=(); h_rss=()
  for _ in $(seq "$runs"); do read -r t m < <(wall_and_rss heaptrack -o "$out/heaptrack" "$program" "${args[@]}"); h+=("$t"); h_rss+=("$m"); rm -f "$out"/heaptrack*; done
  n=$(printf '%s\n' "${native[@]}" | best)
  hb=$(printf '%s\n' "${h[@]}" | best)
  if [ "$workload" = "0 passes" ]; then
    nr=$(printf '%s\n' "${native_rss[@]}" | sort -g | head -1); hr=$(printf '%s\n' "${h_rss[@]}" | sort -g | head -1)
  fi
  echo "| $workload | native | $n | $n | 1.0× | |"
  echo "| $workload | memscope record | ${prog[default]} | ${total[default]} | $(ratio "${prog[default]}" "$n") | $(ratio "${total[default]}" "$hb") |"
  echo "| $workload | memscope record, MEMSCOPE_UNWIND=libunwind | ${prog[libunwind]} | ${total[libunwind]} | $(ratio "${prog[libunwind]}" "$n") | $(ratio "${total[libunwind]}" "$hb") |"
  echo "| $workload | memscope record --frame-pointers | ${prog[fp]} | ${total[fp]} | $(ratio "${prog[fp]}" "$n") | $(ratio "${total[fp]}" "$hb") |"
  echo "| $workload | heaptrack | | $hb | $(ratio "$hb" "$n") (total) | 1.0× |"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
dump_bytes=$(stat -c %s "$out/bench.msd")
echo
echo "peak RSS (0 passes): native $nr KiB; with the recorder $preload_rss KiB; heaptrack (program + its helper) $hr KiB"
echo "spool $spool_bytes bytes on disk (sparse); dump $dump_bytes bytes"

# Writing the dumps on real programs nobody here wrote: symbolizing (inline chains from
# DWARF, symbol tables of stripped modules) and encoding. Targets: at most 0.5 µs per
# event plus 50 µs per distinct frame. heaptrack's total includes its interpret step.
echo
echo "| real program | events | distinct frames | program s | writing dumps s | budget s (0.5 µs/event + 50 µs/frame) | memscope total s | total, MEMSCOPE_UNWIND=libunwind s | heaptrack total s | total vs heaptrack |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
sql="create table t(id integer primary key, name text, value real);
with recursive c(x) as (select 1 union all select x + 1 from c where x < 200000)
insert into t select x, printf('row number %d', x), x * 0.5 from c;
create index t_name on t(name); select count(*) from t;"
printf '#include <stdio.h>\n#include <stdlib.h>\nint main(void) { char *p = malloc(8); printf("%%p\\n", (void *)p); return 0; }\n' > "$out/small.c"
for name in sqlite3 gcc; do
  case $name in
    sqlite3) cmd=(sqlite3 :memory: "$sql") ;;
    gcc) cmd=(gcc -O2 -c "$out/small.c" -o "$out/small.o") ;;
  esac
  w=(); p=(); d=()
  for _ in $(seq "$runs"); do
    rm -f "$out"/real.msd*
    read -r t _ < <(wall_and_rss "$memscope" record -o "$out/real.msd" -- "${cmd[@]}")
    w+=("$t"); p+=("$(program_seconds)")
    d+=("$(sed -n 's/.*writing the dumps took \([0-9.]*\) s.*/\1/p' "$out/stderr.txt")")
  done
  events=$(sed -n 's/.*wrote .* (\([0-9]*\) events.*/\1/p' "$out/stderr.txt" | awk '{s+=$1} END {print s}')
  frames=0
  for f in "$out"/real.msd*; do frames=$((frames + $("$memscope" inspect --stage parse "$f" | grep -c ' frame id='))); done
  l=()
  for _ in $(seq "$runs"); do
    rm -f "$out"/real.msd*
    read -r t _ < <(wall_and_rss env MEMSCOPE_UNWIND=libunwind "$memscope" record -o "$out/real.msd" -- "${cmd[@]}"); l+=("$t")
  done
  h=()
  for _ in $(seq "$runs"); do read -r t _ < <(wall_and_rss heaptrack -o "$out/heaptrack" "${cmd[@]}"); h+=("$t"); rm -f "$out"/heaptrack*; done
  budget=$(awk -v e="$events" -v f="$frames" 'BEGIN { printf "%.3f", e * 0.5e-6 + f * 50e-6 }')
  wb=$(printf '%s\n' "${w[@]}" | best); hb=$(printf '%s\n' "${h[@]}" | best)
  echo "| $name | $events | $frames | $(printf '%s\n' "${p[@]}" | best) | $(printf '%s\n' "${d[@]}" | best) | $budget | $wb | $(printf '%s\n' "${l[@]}" | best) | $hb | $(ratio "$wb" "$hb") |"
done
