#!/usr/bin/env bash
# The recorder's overhead: scripts/bench-record.c (allocation-heavy, 1M allocations +
# 1M frees; 50 distinct stacks 6-55 frames deep, or 6 stacks 10-15 deep; with 0 and
# with 8 passes of work over each block) run natively, under `memscope record` with
# its default unwinder, with libunwind alone (MEMSCOPE_UNWIND=libunwind, the default
# before the cached-rule unwinder) and with frame pointers, and under heaptrack, best
# of RUNS (default 5).
# Times are wall seconds; "program" is the time until the traced program exits,
# "total" includes writing the dump (memscope: symbolization; heaptrack: its
# interpret step); "CPU" is the total's user + system seconds, all processes. Peak RSS of the program is measured by GNU time with the
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
# Wall seconds, peak RSS KiB, and CPU seconds (user + system, of the command and every
# process it waited for: the program, memscope's follower, heaptrack's helpers). On a
# shared machine the CPU time says what the wall time would be on an idle one.
wall_and_rss() {
  /usr/bin/time -f "%e %M %U %S" -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt"
  awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$out/time.txt"
}
program_seconds() { sed -n 's/.*the program ran \([0-9.]*\) s.*/\1/p' "$out/stderr.txt"; }

rm -f "$out"/sp.*
read -r _ preload_rss _ < <(wall_and_rss env MEMSCOPE_SPOOL="$PWD/$out/sp" LD_PRELOAD="$PWD/$preload" "$program")
spool_bytes=$(du -B1 "$out"/sp.* | awk '{s+=$1} END {print s}'); rm -f "$out"/sp.*
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", (b > 0 ? a / b : 0) }'; }
echo "best of $runs runs, $(nproc) cores, $(date -u +%F), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| workload | run | program s | total s | CPU s | program vs native | total vs heaptrack total | CPU vs heaptrack CPU |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for workload in "0 passes" "8 passes" "0 passes, stacks 10-15 deep" "8 passes, stacks 10-15 deep"; do
  passes=${workload%% *}
  args=(200000 "$passes")
  case $workload in *10-15*) args+=(5 10) ;; esac
  native=(); native_rss=()
  native_cpu=()
  for _ in $(seq "$runs"); do read -r t m c < <(wall_and_rss "$program" "${args[@]}"); native+=("$t"); native_rss+=("$m"); native_cpu+=("$c"); done
  declare -A prog total cpu
  for mode in default libunwind fp noscan; do
    flag=(); unwind=()
    [ "$mode" = fp ] && flag=(--frame-pointers)
    [ "$mode" = noscan ] && flag=(--no-scan-on-free)
    [ "$mode" = libunwind ] && unwind=(MEMSCOPE_UNWIND=libunwind)
    p=(); w=(); c=()
    for _ in $(seq "$runs"); do
      # As heaptrack's files below, the last run's dump is removed outside the timing: writing
      # over it made memscope free its 36 MB of page cache and blocks first (10-40 ms, ext4).
      rm -f "$out/bench.msd"
      read -r t _ u < <(wall_and_rss env "${unwind[@]}" "$memscope" record "${flag[@]}" -o "$out/bench.msd" -- "$program" "${args[@]}")
      w+=("$t"); p+=("$(program_seconds)"); c+=("$u")
    done
    prog[$mode]=$(printf '%s\n' "${p[@]}" | best); total[$mode]=$(printf '%s\n' "${w[@]}" | best); cpu[$mode]=$(printf '%s\n' "${c[@]}" | best)
  done
  h=(); h_rss=(); h_cpu=()
  for _ in $(seq "$runs"); do read -r t m c < <(wall_and_rss heaptrack -o "$out/heaptrack" "$program" "${args[@]}"); h+=("$t"); h_rss+=("$m"); h_cpu+=("$c"); rm -f "$out"/heaptrack*; done
  n=$(printf '%s\n' "${native[@]}" | best); nc=$(printf '%s\n' "${native_cpu[@]}" | best)
  hb=$(printf '%s\n' "${h[@]}" | best); hc=$(printf '%s\n' "${h_cpu[@]}" | best)
  if [ "$workload" = "0 passes" ]; then
    nr=$(printf '%s\n' "${native_rss[@]}" | sort -g | head -1); hr=$(printf '%s\n' "${h_rss[@]}" | sort -g | head -1)
  fi
  echo "| $workload | native | $n | $n | $nc | 1.0× | | |"
  for mode in default libunwind fp noscan; do
    case $mode in
      default) label="memscope record" ;;
      libunwind) label="memscope record, MEMSCOPE_UNWIND=libunwind" ;;
      fp) label="memscope record --frame-pointers" ;;
      noscan) label="memscope record --no-scan-on-free" ;;
    esac
    echo "| $workload | $label | ${prog[$mode]} | ${total[$mode]} | ${cpu[$mode]} | $(ratio "${prog[$mode]}" "$n") | $(ratio "${total[$mode]}" "$hb") | $(ratio "${cpu[$mode]}" "$hc") |"
  done
  echo "| $workload | heaptrack | | $hb | $hc | $(ratio "$hb" "$n") (total) | 1.0× | 1.0× |"
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
echo "| real program | events | distinct frames | program s | writing dumps s | budget s (0.5 µs/event + 50 µs/frame) | memscope total s (CPU s) | MEMSCOPE_UNWIND=libunwind total s (CPU s) | heaptrack total s (CPU s) | total vs heaptrack | CPU vs heaptrack |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
sql="create table t(id integer primary key, name text, value real);
with recursive c(x) as (select 1 union all select x + 1 from c where x < 200000)
insert into t select x, printf('row number %d', x), x * 0.5 from c;
create index t_name on t(name); select count(*) from t;"
printf '#include <stdio.h>\n#include <stdlib.h>\nint main(void) { char *p = malloc(8); printf("%%p\\n", (void *)p); return 0; }\n' > "$out/small.c"
# Interpreters whose heaps are dense with pointers (the scans write millions of references):
# Debian's python3 (memscope runs it with PYTHONMALLOC=malloc unless set; heaptrack is given the
# same, or it would see only pymalloc's arenas) and perl (which leaves its heap to the exit).
py='import json
d = {f"k{i}": {"id": i, "tags": [str(i % 7), "x" * (i % 13)]} for i in range(30000)}
print(len(json.loads(json.dumps(d))))'
pl='my %h; for my $i (1..60000) { $h{"k$i"} = [$i, "v" x ($i % 50)]; } my $n = 0; for my $k (keys %h) { delete $h{$k} if $n++ % 2 } print scalar(keys %h), "\n";'
for name in sqlite3 gcc python3 perl; do
  case $name in
    sqlite3) cmd=(sqlite3 :memory: "$sql") ;;
    gcc) cmd=(gcc -O2 -c "$out/small.c" -o "$out/small.o") ;;
    python3) command -v /usr/bin/python3 > /dev/null || continue; cmd=(/usr/bin/python3 -c "$py") ;;
    perl) command -v perl > /dev/null || continue; cmd=(perl -e "$pl") ;;
  esac
  # In the environment, not through env(1): heaptrack would then trace env, not what it execs.
  if [ "$name" = python3 ]; then export PYTHONMALLOC=malloc; else unset PYTHONMALLOC; fi
  w=(); p=(); d=(); wc=()
  for _ in $(seq "$runs"); do
    rm -f "$out"/real.msd*
    read -r t _ c < <(wall_and_rss "$memscope" record -o "$out/real.msd" -- "${cmd[@]}")
    w+=("$t"); p+=("$(program_seconds)"); wc+=("$c")
    d+=("$(sed -n 's/.*writing the dumps took \([0-9.]*\) s.*/\1/p' "$out/stderr.txt")")
  done
  events=$(sed -n 's/.*wrote .* (\([0-9]*\) events.*/\1/p' "$out/stderr.txt" | awk '{s+=$1} END {print s}')
  frames=0
  for f in "$out"/real.msd*; do frames=$((frames + $("$memscope" inspect --stage parse "$f" | grep -c ' frame id='))); done
  l=(); lc=()
  for _ in $(seq "$runs"); do
    rm -f "$out"/real.msd*
    read -r t _ c < <(wall_and_rss env MEMSCOPE_UNWIND=libunwind "$memscope" record -o "$out/real.msd" -- "${cmd[@]}"); l+=("$t"); lc+=("$c")
  done
  h=(); hcs=()
  for _ in $(seq "$runs"); do read -r t _ c < <(wall_and_rss heaptrack -o "$out/heaptrack" "${cmd[@]}"); h+=("$t"); hcs+=("$c"); rm -f "$out"/heaptrack*; done
  budget=$(awk -v e="$events" -v f="$frames" 'BEGIN { printf "%.3f", e * 0.5e-6 + f * 50e-6 }')
  wb=$(printf '%s\n' "${w[@]}" | best); hb=$(printf '%s\n' "${h[@]}" | best)
  wcb=$(printf '%s\n' "${wc[@]}" | best); hcb=$(printf '%s\n' "${hcs[@]}" | best)
  echo "| $name | $events | $frames | $(printf '%s\n' "${p[@]}" | best) | $(printf '%s\n' "${d[@]}" | best) | $budget | $wb ($wcb) | $(printf '%s\n' "${l[@]}" | best) ($(printf '%s\n' "${lc[@]}" | best)) | $hb ($hcb) | $(ratio "$wb" "$hb") | $(ratio "$wcb" "$hcb") |"
  echo "load after $name: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
