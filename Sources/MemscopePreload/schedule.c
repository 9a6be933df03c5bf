/* Reference scans while the program runs, besides SIGUSR2 and the scan at exit:
 *   MEMSCOPE_SCAN_EVERY_NS      scan every so many nanoseconds (`record --scan-every`);
 *   MEMSCOPE_SCAN_AT_PEAK       "1": scan when the resident set has grown by an eighth over
 *                               the last such scan (`record --scan-at-peak`), at most every
 *                               250 ms;
 *   MEMSCOPE_SCAN_SPACED_EVENTS scan first after so many heap events (allocations, reallocs
 *                               and frees, of every thread), then after twice the last gap
 *                               each time (`record`'s default: N, 3N, 7N, 15N… events; about
 *                               log2 of the run's events / N scans in all; `--no-spaced-scans`
 *                               turns it off). Ignored with MEMSCOPE_SCAN_EVERY_NS.
 * Like SIGUSR2, a due scan only sets ms_scan_requested: the next allocator call runs it.
 *
 * The spaced scans are counted in events, not time, so that a program recorded twice scans
 * at the same points of its run and sees the same references (a single-threaded one exactly:
 * its scan runs just before its event N + 1; with threads, within a batch per thread). Each
 * thread counts down a batch of its own events (ms_scan_count, recorder.h: one decrement of a
 * thread-local word) and adds it to the process's count when the batch is used up; the batch
 * ends exactly where the next scan is due, and the thread whose batch reaches it asks for the
 * scan. Their cost is bounded the same way, in units that do not depend on the machine: a
 * scan reads words (roots and live blocks; ms_scan_references returns how many, plus eight
 * per live block), and the next is due no sooner than 19 × that work / WORDS_PER_EVENT
 * events after it, where WORDS_PER_EVENT is what recording one event costs, in words scanned
 * (measured on sqlite3: about 300 ns an event against 5 ns a word, docs/RECORDER.md): scanning
 * keeps to about a twentieth of the run. The live blocks are kept from one scan to the next
 * (scan.c), so a scan replays only the events since the last one: that work, done once in
 * all, is not counted.
 *
 * The scans asked for by time (--scan-every, --scan-at-peak) are due no sooner than nine
 * times the last scan's duration after it ended: a tenth of the run at most. */
#include "recorder.h"

#include <stdlib.h>
#include <string.h>

#define PEAK_GAP_NS 250000000ull
#define BATCH 1024
#define WORDS_PER_EVENT 64

uint64_t ms_scan_due = UINT64_MAX;
static uint64_t every_ns, peak_due, peak_bytes, min_gap;
static int at_peak;

/* Spaced scans: heap events added up by the threads, the count at which the next scan is
 * due (UINT64_MAX: none, or one asked for and not finished), and the gap after it. */
static int spaced;
static uint64_t events, events_due = UINT64_MAX, events_gap;

void ms_scan_schedule_init(uint64_t now) {
    const char *every = getenv("MEMSCOPE_SCAN_EVERY_NS");
    every_ns = every ? strtoull(every, NULL, 10) : 0;
    if (every_ns) __atomic_store_n(&ms_scan_due, now + every_ns, __ATOMIC_RELAXED);
    const char *first = getenv("MEMSCOPE_SCAN_SPACED_EVENTS");
    uint64_t n = first && !every_ns ? strtoull(first, NULL, 10) : 0;
    spaced = n != 0;
    events = 0;
    events_gap = n;
    events_due = spaced ? n : UINT64_MAX;
    const char *peak = getenv("MEMSCOPE_SCAN_AT_PEAK");
    at_peak = peak && strcmp(peak, "1") == 0;
    peak_due = now;
}

/* Adds the thread's counted events to the process's count; returns the count. */
static uint64_t report(void) {
    int64_t counted = (int64_t)ms_self.scan_batch - ms_self.scan_left;
    ms_self.scan_batch = ms_self.scan_left = 0;
    return __atomic_add_fetch(&events, (uint64_t)(counted > 0 ? counted : 0), __ATOMIC_RELAXED);
}

/* The thread's next batch: up to the next due count, at most BATCH. */
static void refill(uint64_t count) {
    uint64_t due = __atomic_load_n(&events_due, __ATOMIC_RELAXED);
    uint64_t left = due > count ? due - count : BATCH;
    ms_self.scan_batch = ms_self.scan_left = (int32_t)(left < BATCH ? left : BATCH);
}

void ms_scan_count_passed(void) {
    if (!spaced) {
        ms_self.scan_batch = ms_self.scan_left = INT32_MAX; /* nothing to count */
        return;
    }
    uint64_t count = report();
    uint64_t due = __atomic_load_n(&events_due, __ATOMIC_RELAXED);
    /* One thread takes the due count; the others see it gone and go on counting. */
    if (count >= due && __atomic_compare_exchange_n(&events_due, &due, UINT64_MAX, false, __ATOMIC_RELAXED,
                                                    __ATOMIC_RELAXED)) {
        uint64_t gap = __atomic_load_n(&events_gap, __ATOMIC_RELAXED);
        if (gap < UINT64_MAX / 4) __atomic_store_n(&events_gap, gap * 2, __ATOMIC_RELAXED);
        __atomic_store_n(&ms_scan_requested, 1, __ATOMIC_RELAXED);
    }
    refill(count);
}

void ms_scan_due_passed(uint64_t now) {
    uint64_t due = __atomic_load_n(&ms_scan_due, __ATOMIC_RELAXED);
    if (now < due || !every_ns) return;
    /* One thread moves the deadline; the others see it moved and do nothing. */
    if (!__atomic_compare_exchange_n(&ms_scan_due, &due, now + every_ns, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) return;
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

/* Called by the thread that ran a scan while the program runs (any: spaced, SIGUSR2, timed). */
void ms_scan_finished(uint64_t started, uint64_t ended, uint64_t work) {
    min_gap = ended > started ? 9 * (ended - started) : 0;
    if (every_ns) {
        uint64_t gap = every_ns > min_gap ? every_ns : min_gap;
        __atomic_store_n(&ms_scan_due, ended + gap, __ATOMIC_RELAXED);
    }
    if (at_peak && peak_due < ended + min_gap) peak_due = ended + min_gap;
    if (spaced) {
        uint64_t count = report();
        uint64_t gap = __atomic_load_n(&events_gap, __ATOMIC_RELAXED), least = work / WORDS_PER_EVENT * 19;
        __atomic_store_n(&events_due, count + (gap > least ? gap : least), __ATOMIC_RELAXED);
        refill(count);
    }
}
