/* Reference scans while the program runs, besides SIGUSR2 and the scan at exit:
 *   MEMSCOPE_SCAN_EVERY_NS  scan every so many nanoseconds (`record --scan-every`);
 *   MEMSCOPE_SCAN_AT_PEAK   "1": scan when the resident set has grown by an eighth over
 *                           the last such scan (`record --scan-at-peak`), at most every
 *                           250 ms;
 *   MEMSCOPE_SCAN_SPACED_NS scan first after so many nanoseconds, then after twice the
 *                           last gap each time (`record`'s default, 1 ms: scans at 1, 3,
 *                           7, 15 ms… from the start, about log2 of the run in ms in all;
 *                           `--no-spaced-scans` turns it off). Ignored with
 *                           MEMSCOPE_SCAN_EVERY_NS.
 * Like SIGUSR2, a due scan only sets ms_scan_requested: the next allocator call runs it.
 * A scan reads the spool written so far, so its cost grows with the run: the next one is
 * due no sooner than nine times the last one's duration after it ended, which keeps
 * scanning under a tenth of the run's time whatever the interval asked for (nineteen
 * times for the default spaced scans: a twentieth). */
#include "recorder.h"

#include <stdlib.h>
#include <string.h>

#define PEAK_GAP_NS 250000000ull

uint64_t ms_scan_due = UINT64_MAX;
static uint64_t every_ns, peak_due, peak_bytes, min_gap;
static int at_peak, doubling;

void ms_scan_schedule_init(uint64_t now) {
    const char *every = getenv("MEMSCOPE_SCAN_EVERY_NS");
    every_ns = every ? strtoull(every, NULL, 10) : 0;
    const char *spaced = getenv("MEMSCOPE_SCAN_SPACED_NS");
    if (!every_ns && spaced) {
        every_ns = strtoull(spaced, NULL, 10);
        doubling = every_ns != 0;
    }
    if (every_ns) __atomic_store_n(&ms_scan_due, now + every_ns, __ATOMIC_RELAXED);
    const char *peak = getenv("MEMSCOPE_SCAN_AT_PEAK");
    at_peak = peak && strcmp(peak, "1") == 0;
    peak_due = now;
}

void ms_scan_due_passed(uint64_t now) {
    uint64_t due = __atomic_load_n(&ms_scan_due, __ATOMIC_RELAXED);
    if (now < due || !every_ns) return;
    /* One thread moves the deadline; the others see it moved and do nothing. */
    if (!__atomic_compare_exchange_n(&ms_scan_due, &due, now + every_ns, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) return;
    if (doubling && every_ns < UINT64_MAX / 4) __atomic_store_n(&every_ns, every_ns * 2, __ATOMIC_RELAXED);
    __atomic_store_n(&ms_scan_requested, 1, __ATOMIC_RELAXED);
}

void ms_scan_note_rss(uint64_t now, uint64_t bytes) {
    if (!at_peak || !bytes) return;
    if (!peak_bytes) {
        peak_bytes = bytes; /* the baseline: the first sample, at start */
        return;
    }
    if (bytes <= peak_bytes + peak_bytes / 8 || now < peak_due) return;
    peak_bytes = bytes;
    peak_due = now + (min_gap > PEAK_GAP_NS ? min_gap : PEAK_GAP_NS);
    __atomic_store_n(&ms_scan_requested, 1, __ATOMIC_RELAXED);
}

void ms_scan_finished(uint64_t started, uint64_t ended) {
    /* The default spaced scans keep to about a twentieth of the run, asked-for ones a tenth. */
    min_gap = ended > started ? (doubling ? 19 : 9) * (ended - started) : 0;
    uint64_t every = __atomic_load_n(&every_ns, __ATOMIC_RELAXED);
    if (every) {
        uint64_t gap = every > min_gap ? every : min_gap;
        __atomic_store_n(&ms_scan_due, ended + gap, __ATOMIC_RELAXED);
    }
    if (at_peak && peak_due < ended + min_gap) peak_due = ended + min_gap;
}
