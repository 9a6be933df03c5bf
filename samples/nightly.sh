#!/usr/bin/env bash
# A nightly memory job: get tonight's dump, render its report and a diff against the
# baseline, and fail the build when memory regressed.
#
#   samples/nightly.sh                         # tonight's dump: samples/server-leak.msd
#   samples/nightly.sh tonight.msd             # any dump
#   samples/nightly.sh -- ./workload --args    # record the workload first (memscope record)
#
# Environment: MEMSCOPE (the binary), OUT (output directory, default nightly-out),
# BASELINE (default samples/server-fixed.msd), MAX_LEAKED (default 64KiB),
# MAX_GROWTH (default 10%).
# Exit: 0 no regression; 3 a limit was exceeded (see the check's lines); 1 an error.
set -euo pipefail
memscope=${MEMSCOPE:-memscope}
out=${OUT:-nightly-out}
baseline=${BASELINE:-samples/server-fixed.msd}
mkdir -p "$out"

if [ "${1:-}" = "--" ]; then
  shift
  dump="$out/tonight.msd"
  "$memscope" record -o "$dump" -- "$@" || echo "note: the workload exited with status $?" >&2
else
  dump=${1:-samples/server-leak.msd}
fi

"$memscope" render --force --quiet "$dump" -o "$out/report.html"
"$memscope" diff --force --quiet "$baseline" "$dump" -o "$out/diff.html"
"$memscope" export --csv "$out/tables" "$dump" >/dev/null
echo "report: $out/report.html  diff: $out/diff.html  tables: $out/tables/"

# The gate: absolute limits, and growth over the baseline.
"$memscope" check "$dump" \
  --max-errors 0 \
  --max-leaked "${MAX_LEAKED:-64KiB}" \
  --baseline "$baseline" --max-growth "${MAX_GROWTH:-10%}"
