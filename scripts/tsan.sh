#!/usr/bin/env bash
# ThreadSanitizer on the staged pipeline (issue 20, part 7): memscope built with
# -sanitize=thread renders dumps with its progress bar live (on a pseudo-terminal, so the
# reading thread's progress callback runs), renders several dumps at once (batch), diffs
# two, and records a single-process and a forking program (the spool follower, children's
# dumps on every core). Any ThreadSanitizer report fails the script and is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --sanitize=thread --scratch-path .build-tsan --product memscope
bin=.build-tsan/debug/memscope
# (grep -c reads all of nm's output: with -q, nm's SIGPIPE would fail the pipeline.)
[ "$(nm "$bin" | grep -c __tsan_init)" -gt 0 ] || { echo "tsan: $bin is not built with ThreadSanitizer" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export TSAN_OPTIONS="halt_on_error=0 exitcode=66"
failed=0
check() {  # check NAME LOG: the run's log must hold no ThreadSanitizer report
    if grep -q "WARNING: ThreadSanitizer" "$2"; then
        echo "tsan: $1: ThreadSanitizer reports:" >&2
        grep -A30 "WARNING: ThreadSanitizer" "$2" | head -120 >&2
        failed=1
    else
        echo "tsan: $1: no report"
    fi
}
# A pseudo-terminal for stderr, so the progress bar is drawn from the callbacks.
on_tty() { script -qec "$1" "$2" > /dev/null 2>&1 || true; }
for dump in samples/server-leak.msd samples/thread-handoff.msd samples/memory-errors.msd; do
    on_tty "$bin render --force $dump -o $out/report.html" "$out/render.log"
    test -s "$out/report.html" || { echo "tsan: render $dump wrote no report" >&2; cat "$out/render.log" >&2; exit 1; }
    grep -q "reading" "$out/render.log" || { echo "tsan: render $dump drew no progress" >&2; exit 1; }
    check "render $dump" "$out/render.log"
    rm -f "$out/report.html"
done
on_tty "$bin render --force samples/server-leak.msd samples/thread-handoff.msd samples/realloc-builder.msd -o $out/batch/" "$out/batch.log"
check "render of three dumps at once" "$out/batch.log"
on_tty "$bin diff --force samples/server-leak.msd samples/server-fixed.msd -o $out/diff.html" "$out/diff.log"
check "diff" "$out/diff.log"
if command -v sqlite3 > /dev/null; then
    "$bin" record -o "$out/sqlite.msd" -- sqlite3 :memory: "create table t(x); insert into t values(1); select * from t;" > "$out/record.log" 2>&1 || true
    check "record sqlite3" "$out/record.log"
fi
printf 'int main(void) { return 0; }\n' > "$out/t.c"
"$bin" record -o "$out/gcc.msd" -- gcc -O2 -c "$out/t.c" -o "$out/t.o" > "$out/gcc.log" 2>&1 || true
check "record gcc (forking)" "$out/gcc.log"
exit $failed
