/* The spool: a sparse file shared between the traced process and memscope.
 * Threads write events straight into MAP_SHARED chunks of it, so every whole
 * event is in the page cache the moment it is published, whatever kills the
 * process afterwards (abort, SIGSEGV, SIGKILL, _exit). */
#include "recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

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
    struct ms_spool_header *h = map;
    if (fresh) {
        memcpy(h->magic, MS_SPOOL_MAGIC, 8);
        h->version = MS_SPOOL_VERSION;
        h->chunk_size = MS_CHUNK_SIZE;
        h->start_monotonic_ns = inherit ? inherit->start_monotonic_ns : clock_ns(CLOCK_MONOTONIC);
        h->start_realtime_ns = inherit ? inherit->start_realtime_ns : clock_ns(CLOCK_REALTIME);
        h->pid = (uint32_t)getpid();
        h->parent_pid = parent_pid;
        h->max_chunks = max_chunks;
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
    struct ms_chunk_header *c = map;
    c->tid = ms_self.tid;
    __atomic_store_n(&c->used, 0, __ATOMIC_RELEASE);
    ms_self.chunk = map;
    ms_self.used = 0;
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

uint64_t ms_now(void) {
    uint64_t now = clock_ns(CLOCK_MONOTONIC);
    uint64_t start = header ? header->start_monotonic_ns : 0;
    return now > start ? now - start : 0;
}
