#!/usr/bin/env bash
# Records the import fixtures in Tests/Fixtures/imports with the real tools, from the C
# programs in Tests/Fixtures/programs, and writes each tool's own figures next to them.
# Run it by hand when the programs change; the tests only read the committed files
# (re-running changes addresses and pids, not the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
programs=Tests/Fixtures/programs
out=Tests/Fixtures/imports
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# -O0 -g, and a relative source name, so frames carry files and lines.
(cd "$programs" && gcc -O0 -g -o "$work/workload" workload.c)

# heaptrack: format 3 (zstd) as heaptrack writes it, and the same data as gzip, plain,
# and rewritten as format 2 (strings without length prefixes).
(cd "$work" && heaptrack -o "$work/heaptrack.workload" ./workload >/dev/null)
cp "$work/heaptrack.workload.zst" "$out/heaptrack.workload.zst"
zstd -dcq "$out/heaptrack.workload.zst" > "$out/heaptrack.workload.v3"
gzip -9nc "$out/heaptrack.workload.v3" > "$out/heaptrack.workload.gz"
awk 'NR == 1 { $3 = 2; print; next }
     /^s / { sub(/^s [0-9a-f]+ /, "s "); print; next }
     { print }' "$out/heaptrack.workload.v3" > "$out/heaptrack.workload.v2"
for f in heaptrack.workload.zst heaptrack.workload.gz; do
  heaptrack_print "$out/$f" > "$out/$f.heaptrack_print.txt"
done
# heaptrack_print picks plain text by name; give it a copy with a neutral name.
cp "$out/heaptrack.workload.v2" "$work/v2" && heaptrack_print "$work/v2" > "$out/heaptrack.workload.v2.heaptrack_print.txt"

# Folded stacks, as heaptrack_print -F writes them (allocations and leaked bytes).
heaptrack_print -F "$out/workload.allocations.folded" --flamegraph-cost-type allocations "$out/heaptrack.workload.zst" >/dev/null
heaptrack_print -F "$out/workload.leaked.folded" --flamegraph-cost-type leaked "$out/heaptrack.workload.zst" >/dev/null

# Valgrind massif (time unit: instructions, and milliseconds) and DHAT.
(cd "$work" && valgrind -q --tool=massif --massif-out-file=massif.out ./workload)
cp "$work/massif.out" "$out/massif.out.workload"
ms_print "$out/massif.out.workload" > "$out/massif.out.workload.ms_print.txt"
(cd "$work" && valgrind -q --tool=massif --time-unit=ms --massif-out-file=massif-ms.out ./workload)
cp "$work/massif-ms.out" "$out/massif.out.workload-ms"
ms_print "$out/massif.out.workload-ms" > "$out/massif.out.workload-ms.ms_print.txt"
# DHAT prints its totals on stderr (lines "==pid== Total: …"); keep them without the pid.
(cd "$work" && valgrind --tool=dhat --dhat-out-file=dhat.out ./workload 2> "$work/dhat.txt" || true)
cp "$work/dhat.out" "$out/dhat.out.workload"
sed -n 's/^==[0-9]*== //p' "$work/dhat.txt" | grep -E "^(Total|At t-gmax|At t-end|Reads|Writes):" > "$out/dhat.out.workload.valgrind.txt"
echo "recorded into $out"
