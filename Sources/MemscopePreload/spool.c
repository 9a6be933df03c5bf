/* The spool: a sparse file shared between the traced process and memscope.
 * Threads write events straight into MAP_SHARED chunks of it, so every whole
 * event is in the page cache the moment it is published, whatever kills the
 * process afterwards (abort, SIGSEGV, SIGKILL, _exit). */
#include "recorder.h"

#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <x86intrin.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#ifdef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE_ MADV_POPULATE_WRITE
#else
#define MADV_POPULATE_WRITE_ 23
#endif

static int spool_fd = -1;
static struct ms_spool_header *header;

struct ms_spool_header *ms_spool_header(void) { return header; }
int ms_spool_fd(void) { return spool_fd; }

static uint64_t clock_ns(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Opens (or, after exec, reopens) the spool of this process. `inherit` carries
 * the clock origin of the process we were forked from, so dumps line up. */
bool ms_spool_open(const char *path, const struct ms_spool_header *inherit, uint32_t parent_pid) {
    bool fresh = true;
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) {
        fresh = false; /* the same process after exec: continue its spool */
        fd = open(path, O_RDWR | O_CLOEXEC);
    }
    if (fd < 0) return false;
    /* A sparse file of 64 GiB; file systems with a smaller limit get less. */
    uint64_t max_chunks = MS_MAX_CHUNKS;
    while (fresh && ftruncate(fd, (off_t)MS_SPOOL_HEADER_SIZE + (off_t)max_chunks * MS_CHUNK_SIZE) != 0) {
        max_chunks /= 4;
        if (max_chunks < 16) { close(fd); unlink(path); return false; }
    }
    void *map = mmap(NULL, MS_SPOOL_HEADER_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) { close(fd); return false; }
    /* No read-ahead for the header's few pages (see next_chunk). */
    madvise(map, MS_SPOOL_HEADER_SIZE, MADV_RANDOM);
    struct ms_spool_header *h = map;
    if (fresh) {
        memcpy(h->magic, MS_SPOOL_MAGIC, 8);
        h->version = MS_SPOOL_VERSION;
        h->chunk_size = MS_CHUNK_SIZE;
        h->start_monotonic_ns = inherit ? inherit->start_monotonic_ns : clock_ns(CLOCK_MONOTONIC);
        h->start_realtime_ns = inherit ? inherit->start_realtime_ns : clock_ns(CLOCK_REALTIME);
        h->pid = (uint32_t)getpid();
        h->parent_pid = parent_pid;
        h->forked = inherit != NULL;
        h->max_chunks = max_chunks; /* last: memscope reads the header once this is set */
    } else if (memcmp(h->magic, MS_SPOOL_MAGIC, 8) != 0) {
        munmap(map, MS_SPOOL_HEADER_SIZE);
        close(fd);
        return false;
    }
    spool_fd = fd;
    header = h;
    return true;
}

/* In a fork child: drop the parent's spool mappings without touching them. */
void ms_spool_forget_inherited(void) {
    if (ms_self.chunk) munmap(ms_self.chunk, MS_CHUNK_SIZE);
    ms_self.chunk = NULL;
    ms_self.used = 0;
    if (header) munmap(header, MS_SPOOL_HEADER_SIZE);
    header = NULL;
    if (spool_fd >= 0) close(spool_fd);
    spool_fd = -1;
}

static bool next_chunk(void) {
    ms_thread_release_chunk();
    uint64_t index = __atomic_fetch_add(&header->next_chunk, 1, __ATOMIC_RELAXED);
    if (index >= header->max_chunks) {
        __atomic_store_n(&header->overflowed, 1, __ATOMIC_RELAXED);
        return false;
    }
    off_t offset = (off_t)MS_SPOOL_HEADER_SIZE + (off_t)index * MS_CHUNK_SIZE;
    void *map = mmap(NULL, MS_CHUNK_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, spool_fd, offset);
    if (map == MAP_FAILED) return false;
    /* A write fault on a page of the spool's hole reads it in (zeroed), and the kernel's
     * mmap read-ahead reads in its whole window with it (read_ahead_kb: 8 MiB on the
     * project's machine): in the program's time, a process that writes 300 KiB of events
     * (gcc's driver, as) had 8 MiB of page cache allocated and zeroed. So the header and a
     * process's first chunks get no read-ahead, and each such chunk's pages are made in one
     * call (MADV_POPULATE_WRITE, Linux 5.14; where it fails, the chunk keeps the default).
     * From the ninth chunk (2 MiB of events) read-ahead is left on: for a process that
     * writes much, its large batches cost less than a page at a time. */
    if (index < 8 && madvise(map, MS_CHUNK_SIZE, MADV_RANDOM) == 0 &&
        madvise(map, MS_CHUNK_SIZE, MADV_POPULATE_WRITE_) != 0)
        madvise(map, MS_CHUNK_SIZE, MADV_NORMAL);
    struct ms_chunk_header *c = map;
    c->tid = ms_self.tid;
    __atomic_store_n(&c->used, 0, __ATOMIC_RELEASE);
    ms_self.chunk = map;
    ms_self.chunk_index = index;
    ms_self.used = 0;
    ms_scan_chunk_taken(index, ms_self.tid);
    return true;
}

void ms_thread_release_chunk(void) {
    if (ms_self.chunk) munmap(ms_self.chunk, MS_CHUNK_SIZE);
    ms_self.chunk = NULL;
    ms_self.used = 0;
}

/* ms_event_begin (recorder.h) when the thread's chunk cannot take the event. */
uint8_t *ms_event_begin_slow(size_t max_bytes) {
    if (!header) return NULL;
    if (ms_self.spool_epoch != ms_spool_epoch) {
        /* First event of this thread in this process (or after fork). */
        ms_self.spool_epoch = ms_spool_epoch;
        ms_self.tid = ms_gettid();
        ms_self.chunk = NULL;
        ms_self.used = 0;
    }
    size_t room = MS_CHUNK_SIZE - MS_CHUNK_HEADER_SIZE;
    if (!ms_self.chunk || ms_self.used + max_bytes > room) {
        if (!next_chunk()) return NULL;
    }
    return ms_self.chunk + MS_CHUNK_HEADER_SIZE + ms_self.used;
}

uint8_t *ms_put_string(uint8_t *p, const char *s, size_t len) {
    if (len > MS_MAX_STRING) len = MS_MAX_STRING;
    p = ms_put(p, len);
    memcpy(p, s, len);
    return p + len;
}

/* The clock of events: CLOCK_MONOTONIC in ns since the spool's start.
 *
 * While the process has one thread, and the processor has an invariant TSC that the kernel
 * uses as its clocksource, most readings come from `rdtsc` instead of clock_gettime (about
 * 10 ns against 25–35 on the project's machine, whose vDSO pays for an ordered read): every
 * millisecond (and at the first reading after one) an anchor pairs a clock_gettime reading
 * with the TSC read around it, and readings in between are the last anchor's time plus the
 * ticks since, converted at the rate measured from the first anchor to the last (so at
 * least 2 ms of baseline). Each anchor puts the clock back on CLOCK_MONOTONIC, so nothing
 * accumulates: a reading is off by at most the difference between that rate and
 * CLOCK_MONOTONIC's over the ticks since the anchor (< 1 ms), at most 0.5 µs with the 500
 * ppm the kernel lets NTP slew, and readings are clamped to never go back. The plain
 * `rdtsc` is not ordered with the loads before it, which is harmless on one thread but
 * could stamp a free on one thread before the allocation it frees on another: before a
 * second thread can exist (pthread_create, threads.c), ms_clock_threaded() waits until
 * clock_gettime has passed the last reading, and from then on every reading is a
 * clock_gettime. MEMSCOPE_CLOCK=monotonic: clock_gettime always. */
int ms_threaded;
static bool tsc_usable;
static uint32_t tsc_thread;
static int tsc_busy; /* an anchor is being taken (a signal handler reading the clock then uses clock_gettime) */
static uint64_t first_tsc, first_ns, anchor_tsc, anchor_ns, next_anchor, ns_per_tick; /* 32.32 fixed point */
static uint64_t last_reading;

static bool invariant_tsc(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(0x80000000u, &a, &b, &c, &d) || a < 0x80000007u) return false;
    __get_cpuid(0x80000007u, &a, &b, &c, &d);
    if (!(d & (1u << 8))) return false;
    char name[32] = {0};
    int fd = open("/sys/devices/system/clocksource/clocksource0/current_clocksource", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t n = read(fd, name, sizeof name - 1);
    close(fd);
    return n >= 3 && memcmp(name, "tsc", 3) == 0 && (n == 3 || name[3] == '\n');
}

void ms_clock_init(void) {
    static int checked;
    if (!checked) {
        const char *mode = getenv("MEMSCOPE_CLOCK");
        tsc_usable = !(mode && strcmp(mode, "monotonic") == 0) && invariant_tsc();
        checked = 1;
    }
    /* At start, and in a fork child (its only thread, whose ms_self still names the parent's
     * thread until its first event). */
    tsc_thread = ms_self.tid = ms_gettid();
}

void ms_clock_threaded(void) {
    if (__atomic_load_n(&ms_threaded, __ATOMIC_RELAXED)) return;
    uint64_t start = header ? header->start_monotonic_ns : 0;
    for (int i = 0; i < 100000 && clock_ns(CLOCK_MONOTONIC) - start <= last_reading; i++) {}
    __atomic_store_n(&ms_threaded, 1, __ATOMIC_RELEASE);
}

/* A clock_gettime reading, kept as an anchor when the TSC read around it is close enough. */
static uint64_t take_anchor(void) {
    uint64_t t0 = __rdtsc();
    uint64_t ns = clock_ns(CLOCK_MONOTONIC);
    uint64_t t1 = __rdtsc();
    if (t1 < t0 || t1 - t0 > 8192) return ns; /* interrupted in between, or a TSC going back */
    uint64_t t = t0 + (t1 - t0) / 2;
    if (!first_tsc) {
        first_tsc = t;
        first_ns = ns;
        return ns;
    }
    if (t <= first_tsc || ns <= first_ns) return ns;
    if (ns - first_ns < 2000000) return ns; /* too short a baseline for the rate yet */
    ns_per_tick = (uint64_t)(((unsigned __int128)(ns - first_ns) << 32) / (t - first_tsc));
    if (!ns_per_tick) return ns;
    anchor_tsc = t;
    anchor_ns = ns;
    next_anchor = t + (uint64_t)(((unsigned __int128)1000000 << 32) / ns_per_tick);
    return ns;
}

uint64_t ms_now(void) {
    uint64_t start = header ? header->start_monotonic_ns : 0;
    if (tsc_usable && !__atomic_load_n(&ms_threaded, __ATOMIC_RELAXED)) {
        if (ms_self.tid != tsc_thread || tsc_busy) {
            /* A thread pthread_create did not announce (glibc's own helpers, a raw clone):
             * no more TSC (written once: threads only read it). */
            if (ms_self.tid && ms_self.tid != tsc_thread) __atomic_store_n(&ms_threaded, 1, __ATOMIC_RELAXED);
            goto monotonic;
        }
        tsc_busy = 1;
        uint64_t t = __rdtsc(), now;
        if (__builtin_expect(ns_per_tick && t >= anchor_tsc && t < next_anchor, 1))
            now = anchor_ns + (((t - anchor_tsc) * ns_per_tick) >> 32);
        else
            now = take_anchor();
        now = now > start ? now - start : 0;
        if (now < last_reading) now = last_reading;
        last_reading = now;
        tsc_busy = 0;
        return now;
    }
monotonic:;
    uint64_t now = clock_ns(CLOCK_MONOTONIC);
    now = now > start ? now - start : 0;
    /* The TSC's thread never goes back to before its last TSC reading. */
    if (tsc_usable && ms_self.tid == tsc_thread && now < last_reading) now = last_reading;
    return now;
}
