/* The process's resident set size, sampled at most every 10 ms on heap events (no
 * thread of its own: the program keeps its threads), at start and at exit. The
 * samples live in the spool header (MS_RSS_OFFSET), not among the events, at most
 * MS_RSS_CAPACITY of them: when full, every other one is dropped and the interval
 * doubles, so a long run keeps an even, bounded series. */
#include "recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

uint64_t ms_rss_due;
static int sampling;

/* Resident bytes from /proc/self/statm (its second field, in pages); 0 when unreadable. */
static uint64_t resident_bytes(void) {
    char text[160];
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return 0;
    text[n] = 0;
    const char *p = text;
    while (*p && *p != ' ') p++; /* size */
    while (*p == ' ') p++;
    uint64_t pages = 0;
    while (*p >= '0' && *p <= '9') pages = pages * 10 + (uint64_t)(*p++ - '0');
    return pages * (uint64_t)sysconf(_SC_PAGESIZE);
}

void ms_rss_sample(uint64_t now, bool force) {
    if (!force && now < __atomic_load_n(&ms_rss_due, __ATOMIC_RELAXED)) return;
    if (__atomic_exchange_n(&sampling, 1, __ATOMIC_ACQUIRE)) return; /* another thread samples */
    struct ms_spool_header *h = ms_spool_header();
    if (h) {
        int saved = errno;
        uint8_t *area = (uint8_t *)h + MS_RSS_OFFSET;
        uint32_t *count = (uint32_t *)area, *shift = (uint32_t *)(area + 4);
        uint64_t *samples = (uint64_t *)(area + 16);
        /* The program's: the recorder's own resident tables left out. */
        uint64_t bytes = resident_bytes(), own = bytes ? ms_recorder_resident_bytes() : 0;
        bytes = own < bytes ? bytes - own : bytes;
        ms_scan_note_rss(now, bytes);
        uint32_t n = *count;
        if (bytes) {
            if (n >= MS_RSS_CAPACITY) {
                for (uint32_t i = 0; i < MS_RSS_CAPACITY / 2; i++) {
                    samples[2 * i] = samples[4 * i];
                    samples[2 * i + 1] = samples[4 * i + 1];
                }
                n = MS_RSS_CAPACITY / 2;
                *shift += 1;
            }
            samples[2 * n] = now;
            samples[2 * n + 1] = bytes;
            __atomic_store_n(count, n + 1, __ATOMIC_RELEASE);
        }
        uint32_t s = *shift < 20 ? *shift : 20;
        __atomic_store_n(&ms_rss_due, now + ((uint64_t)MS_RSS_INTERVAL_NS << s), __ATOMIC_RELAXED);
        errno = saved;
    }
    __atomic_store_n(&sampling, 0, __ATOMIC_RELEASE);
}
