/* memscope's LD_PRELOAD recorder: shared declarations.
 *
 * The recorder is plain C so that the traced program loads only libc and
 * libunwind with it (no Swift runtime). It writes a spool file that
 * `memscope record` turns into a .msd dump; docs/RECORDER.md describes both. */
#ifndef MEMSCOPE_RECORDER_H
#define MEMSCOPE_RECORDER_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MS_TLS __thread __attribute__((tls_model("initial-exec")))
#define MS_HIDDEN __attribute__((visibility("hidden")))
#define MS_EXPORT __attribute__((visibility("default")))

/* Spool layout: a 128 KiB header, then fixed-size chunks. The header: the fields below;
 * from MS_ARGV_OFFSET the command line of the current program image (u32 length, u32
 * truncated, then the bytes of /proc/self/cmdline, arguments ending in NUL; rewritten
 * after exec); from MS_RSS_OFFSET the RSS samples (u32 count, u32 interval shift, 8 bytes
 * reserved, then {u64 ts, u64 resident bytes} × count; rss.c). Each chunk belongs to one
 * thread and holds whole events; `used` is published after each event. */
#define MS_SPOOL_MAGIC "MSDSPOOL"
#define MS_SPOOL_VERSION 4u
#define MS_SPOOL_HEADER_SIZE 131072u
#define MS_ARGV_OFFSET 4096u
#define MS_RSS_OFFSET 65536u
#define MS_RSS_CAPACITY 4094u /* samples: (65536 - 16) / 16, even */
#define MS_RSS_INTERVAL_NS 10000000u /* 10 ms, doubled each time the samples fill up */
#define MS_CHUNK_SIZE (256u * 1024u)
#define MS_CHUNK_HEADER_SIZE 8u
#define MS_MAX_CHUNKS (256u * 1024u) /* 64 GiB of sparse spool at most */
#define MS_MAX_FRAMES 256
#define MS_FREE_FRAMES 16 /* default depth of a free's stack */
#define MS_MAX_STRING 4000u
#define MS_IMAGE_ARGV_BYTES 16384u /* of the command line, in an image event */
#define MS_WORDS_MAX_BYTES 4096u /* of a dying block, read for MS_EV_WORDS */

struct ms_spool_header {
    char magic[8];
    uint32_t version;
    uint32_t chunk_size;
    uint64_t next_chunk;       /* chunks reserved so far (atomic) */
    uint64_t next_stack_id;    /* last stack id handed out (atomic) */
    uint64_t next_generation;  /* program images started in this process (atomic) */
    uint64_t start_monotonic_ns;
    uint64_t start_realtime_ns;
    uint32_t pid;
    uint32_t parent_pid;       /* the recorded process we were forked from, else the OS parent at start */
    uint64_t overflowed;       /* 1 when the chunk limit was reached: events were dropped */
    uint64_t max_chunks;       /* chunks the file was sized for (64 GiB, less where the file system refuses) */
    uint32_t forked;           /* 1: a fork child's spool (its dump starts with the blocks live in its parent) */
};

struct ms_chunk_header {
    uint32_t tid;
    uint32_t used; /* bytes of whole events after this header (release-stored) */
};

/* Event tags; every field after the tag is an unsigned LEB128 unless noted. */
enum ms_event {
    MS_EV_ALLOC = 1,        /* ts addr size kind stack */
    MS_EV_FREE = 2,         /* ts addr stack */
    MS_EV_REALLOC = 3,      /* ts old new size stack */
    MS_EV_STACK = 4,        /* id generation depth ip×depth (innermost first) */
    MS_EV_THREAD_START = 5, /* ts parent_tid */
    MS_EV_THREAD_NAME = 6,  /* ts tid name:str */
    MS_EV_THREAD_EXIT = 7,  /* ts */
    MS_EV_MODULE = 8,       /* ts generation start end bias path:str build_id:str(bytes) */
    MS_EV_FORK = 9,         /* ts child_pid */
    MS_EV_IMAGE = 10,       /* ts generation exe:str argv:bytes truncated — a program image starts (first run or exec); argv as in the header */
    MS_EV_ANNOTATE = 11,    /* ts addr name:str type:str */
    MS_EV_SCOPE_ENTER = 12, /* ts name:str */
    MS_EV_SCOPE_EXIT = 13,  /* ts */
    MS_EV_TASK_ENTER = 14,  /* ts task_id */
    MS_EV_TASK_EXIT = 15,   /* ts */
    MS_EV_REFERENCE = 16,   /* from_block to_block interior(0/1) offset_into_to — scan results, no ts */
    MS_EV_ROOT = 17,        /* to_block offset_into_to root_kind(1 module data, 2 stack, 3 other) */
    MS_EV_END = 18,         /* ts how code (how: 0 exited, 1 signalled) */
    MS_EV_SCAN = 19,        /* ts live_blocks — a reference scan starts */
    MS_EV_MEMORY_ERROR = 20, /* ts kind(0 overflow, 1 write after free) addr size side(0 inside, 1 after, 2 before)
                                offset bytes alloc_stack free_stack found_stack — from --guard / --quarantine */
    MS_EV_WORDS = 21,       /* ts addr count (word_index value)×count — words of a dying block that may be
                               heap addresses, written just before its free or realloc (words.c) */
};

/* Allocator kinds, the .msd encoding. */
enum ms_kind {
    MS_MALLOC = 0, MS_CALLOC = 1, MS_REALLOC = 2, MS_POSIX_MEMALIGN = 3,
    MS_ALIGNED_ALLOC = 4, MS_MEMALIGN = 5, MS_VALLOC = 6, MS_PVALLOC = 7,
};

/* The real allocator (glibc exports these without a dlsym bootstrap). */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_valloc(size_t);
extern void *__libc_pvalloc(size_t);

/* A thread's heap operations published and not yet put into the scans' table (scan.c):
 * from the consecutive events [start, end) of chunk `chunk` of spool `epoch`. 536 bytes of
 * each thread's TLS. */
#define MS_DIRECT_PENDING 16
struct ms_direct_op { uint64_t ts, address, size, alloc; };
struct ms_direct_list {
    uint32_t epoch, start, end, count;
    uint64_t chunk;
    struct ms_direct_op ops[MS_DIRECT_PENDING];
};

/* Per-thread state. `busy` guards against recursion: while set, hooks call the
 * real allocator and record nothing. */
struct ms_thread {
    uint32_t tid;
    uint32_t spool_epoch; /* the spool (process) this state was set up for */
    uint8_t *chunk;       /* current chunk mapping, NULL when none */
    uint64_t chunk_index; /* its place in the spool */
    uint32_t used;
    bool exited;
    int32_t scan_left, scan_batch; /* heap events left of, and size of, its batch (schedule.c) */
    struct ms_direct_list direct;  /* scan.c */
};
extern MS_TLS int ms_busy MS_HIDDEN;
extern MS_TLS struct ms_thread ms_self MS_HIDDEN;

/* Global state (recorder.c). */
enum ms_state { MS_UNINITIALISED = 0, MS_ACTIVE = 1, MS_OFF = 2 };
extern int ms_state MS_HIDDEN;
extern uint32_t ms_spool_epoch MS_HIDDEN;
extern uint64_t ms_generation MS_HIDDEN;
extern uint64_t ms_image_start MS_HIDDEN; /* timestamp at which this program image started */
MS_HIDDEN bool ms_ensure_started(void);
MS_HIDDEN uint64_t ms_now(void);
/* The clock (spool.c): ms_clock_init at the start of a program image and in a fork child;
 * ms_clock_threaded before a second thread can exist (from then on ms_now is clock_gettime). */
MS_HIDDEN void ms_clock_init(void);
MS_HIDDEN void ms_clock_threaded(void);
extern int ms_threaded MS_HIDDEN; /* set before a second thread can exist */
MS_HIDDEN uint32_t ms_gettid(void);

/* Spool writing (spool.c). */
MS_HIDDEN bool ms_spool_open(const char *path, const struct ms_spool_header *inherit, uint32_t parent_pid);
MS_HIDDEN void ms_spool_forget_inherited(void);
MS_HIDDEN struct ms_spool_header *ms_spool_header(void);
MS_HIDDEN int ms_spool_fd(void);
MS_HIDDEN uint8_t *ms_event_begin_slow(size_t max_bytes);
MS_HIDDEN void ms_thread_release_chunk(void);

/* Room for one event of at most `max_bytes` in the thread's chunk, or NULL (nothing is
 * recorded). Inline for the common case: the thread has a chunk of this process's spool
 * with room left (a fork child's threads and a thread whose chunk is full, or released,
 * take the slow path). */
static inline uint8_t *ms_event_begin(size_t max_bytes) {
    if (__builtin_expect(ms_self.chunk != NULL && ms_self.spool_epoch == ms_spool_epoch &&
                         ms_self.used + max_bytes <= MS_CHUNK_SIZE - MS_CHUNK_HEADER_SIZE, 1))
        return ms_self.chunk + MS_CHUNK_HEADER_SIZE + ms_self.used;
    return ms_event_begin_slow(max_bytes);
}

/* Publishes the event that ends at `end`. */
static inline void ms_event_end(uint8_t *end) {
    ms_self.used = (uint32_t)(end - (ms_self.chunk + MS_CHUNK_HEADER_SIZE));
    struct ms_chunk_header *c = (struct ms_chunk_header *)ms_self.chunk;
    __atomic_store_n(&c->used, ms_self.used, __ATOMIC_RELEASE);
}

static inline uint8_t *ms_put(uint8_t *p, uint64_t v) {
    while (v >= 0x80) { *p++ = (uint8_t)(v | 0x80); v >>= 7; }
    *p++ = (uint8_t)v;
    return p;
}
MS_HIDDEN uint8_t *ms_put_string(uint8_t *p, const char *s, size_t len);

/* Stacks (stacks.c): captures the caller's stack and returns its id, defining it
 * in the spool the first time this thread sees it. 0 when unwinding failed.
 * A free's stack keeps only its innermost MEMSCOPE_FREE_FRAMES frames. */
MS_HIDDEN uint32_t ms_capture_stack(bool for_free);
MS_HIDDEN void ms_stacks_reset_thread(void);
MS_HIDDEN void ms_stacks_thread_exiting(void); /* its table is unmapped once the thread is gone */
MS_HIDDEN void ms_stacks_set_own_range(uintptr_t start, uintptr_t end);

/* The default unwinder (unwind.c): DWARF CFA rules cached per return address. Fills
 * `ips` innermost first, from the first frame outside the recorder; -1 when a frame needs
 * libunwind. `kind`: 0 an allocation's stack, 1 a free's; `walks`: the thread's recent walks
 * (ms_unwind_walks_size() zeroed bytes; NULL: no prediction); `*same`: when the stack is one
 * of the thread's recent stacks of that kind, frame for frame, that stack's id, and `ips`
 * left unwritten; else 0 (`same` NULL: `ips` always written). After a walk that returned
 * n >= 0 and no id, ms_unwind_set_id gives the id of the stack it found. */
struct ms_unwind_walks;
MS_HIDDEN size_t ms_unwind_walks_size(void);
MS_HIDDEN int ms_unwind_fast(uintptr_t *ips, int max, int kind, uint32_t *same, struct ms_unwind_walks *walks);
MS_HIDDEN void ms_unwind_set_id(struct ms_unwind_walks *walks, int kind, uint32_t id);
MS_HIDDEN void ms_unwind_forget_rules(void);
extern uintptr_t ms_own_start MS_HIDDEN, ms_own_end MS_HIDDEN; /* the recorder's own code */

/* Events (events.c). Heap events return the id of the stack they captured. */
MS_HIDDEN uint32_t ms_record_alloc(void *p, size_t size, int kind);
MS_HIDDEN uint32_t ms_record_free(void *p);
MS_HIDDEN uint32_t ms_record_realloc(void *old, void *p, size_t size);
/* The same with a stack captured beforehand. */
MS_HIDDEN void ms_write_alloc(void *p, size_t size, int kind, uint32_t stack);
MS_HIDDEN void ms_write_realloc(void *old, void *p, size_t size, uint32_t stack);
MS_HIDDEN void ms_record_thread_start(uint32_t parent);
MS_HIDDEN void ms_record_thread_name(uint32_t tid, const char *name);
MS_HIDDEN void ms_record_simple(int tag);
MS_HIDDEN void ms_record_end(int how, int code);

/* Words of dying blocks (words.c): on unless MEMSCOPE_SCAN_ON_FREE=0 (off under --guard and
 * --quarantine, whose blocks are not glibc's). Every recorded allocation notes its range. */
extern int ms_scan_on_free MS_HIDDEN;
MS_HIDDEN void ms_words_init(void);
MS_HIDDEN void ms_record_words_marker(void);
MS_HIDDEN void ms_note_heap_range(uintptr_t start, size_t size);
MS_HIDDEN bool ms_in_heap_granule(uintptr_t address); /* some noted range shares its 2 MiB granule */
MS_HIDDEN size_t ms_block_usable(const void *p);
MS_HIDDEN void ms_record_words(uint64_t ts, uintptr_t address, const void *contents, size_t bytes);
MS_HIDDEN void ms_clear_new_block(void *p, size_t from);
/* A realloc whose old block had `old_usable` bytes (0: not read): its words when it moved. */
MS_HIDDEN uint32_t ms_record_realloc_words(void *old, void *p, size_t size, size_t old_usable);

/* RSS samples (rss.c): ms_rss_tick on heap events samples when ms_rss_due has passed. */
extern uint64_t ms_rss_due MS_HIDDEN;
MS_HIDDEN void ms_rss_sample(uint64_t now, bool force);
/* Scans while the program runs (schedule.c): spaced by heap events (the default),
 * --scan-every and --scan-at-peak. */
extern uint64_t ms_scan_due MS_HIDDEN;
MS_HIDDEN void ms_scan_schedule_init(uint64_t now);
MS_HIDDEN void ms_scan_due_passed(uint64_t now);
MS_HIDDEN void ms_scan_note_rss(uint64_t now, uint64_t bytes);
MS_HIDDEN void ms_scan_finished(uint64_t started, uint64_t ended, uint64_t work);
MS_HIDDEN void ms_scan_count_passed(void);
/* Counts a heap event towards the spaced scans: the thread's batch is used up now and then. */
static inline void ms_scan_count(void) {
    if (__builtin_expect(--ms_self.scan_left <= 0, 0)) ms_scan_count_passed();
}
static inline void ms_rss_tick(uint64_t now) {
    if (__builtin_expect(now >= __atomic_load_n(&ms_rss_due, __ATOMIC_RELAXED), 0)) ms_rss_sample(now, false);
    if (__builtin_expect(now >= __atomic_load_n(&ms_scan_due, __ATOMIC_RELAXED), 0)) ms_scan_due_passed(now);
}

/* Module map (modules.c). */
MS_HIDDEN void ms_record_modules(void);
MS_HIDDEN void ms_record_image(void);

/* Threads (threads.c). */
MS_HIDDEN void ms_threads_init(void);
MS_HIDDEN void ms_thread_attach(void);
MS_HIDDEN bool ms_is_dead_thread_stack(uintptr_t start, uintptr_t end);
MS_HIDDEN void ms_threads_after_fork(void);

/* Debugging allocator (guard.c): red zones (--guard) and a quarantine of freed blocks
 * (--quarantine). `ms_debug` is set once, at start, from MEMSCOPE_GUARD and
 * MEMSCOPE_QUARANTINE, and never cleared: frees must find the blocks it handed out even
 * when nothing is recorded any more. */
enum { MS_DEBUG_GUARD = 1, MS_DEBUG_QUARANTINE = 2 };
extern int ms_debug MS_HIDDEN;
MS_HIDDEN void ms_debug_init(void);
MS_HIDDEN void *ms_debug_alloc(size_t alignment, size_t size, bool zero, int kind); /* recording */
MS_HIDDEN void ms_debug_free(void *p, bool recording);
MS_HIDDEN void *ms_debug_realloc(void *old, size_t size, bool recording);
MS_HIDDEN size_t ms_debug_usable_size(void *p); /* SIZE_MAX when not one of its blocks */
MS_HIDDEN void ms_debug_check_at_exit(void);
MS_HIDDEN bool ms_debug_owns(uintptr_t start, uintptr_t end);
MS_HIDDEN void ms_debug_before_fork(void);
MS_HIDDEN void ms_debug_after_fork(void);

/* The recorder's own memory that a root scan must not read as the program's (its bss's bitmap
 * of heap granules, the unwinder's rule table, the scanning thread's stack table, its table of
 * threads): each
 * appends [start, end) ranges to `out` (at most `max`) and returns how many. */
struct ms_range { uintptr_t start, end; };
MS_HIDDEN int ms_words_own_ranges(struct ms_range *out, int max);
MS_HIDDEN int ms_unwind_own_ranges(struct ms_range *out, int max);
MS_HIDDEN int ms_stacks_own_ranges(struct ms_range *out, int max);
MS_HIDDEN int ms_threads_own_ranges(struct ms_range *out, int max);

/* Reference scan (scan.c): at exit, or while the program runs (SIGUSR2, schedule.c).
 * Returns its work: words read, plus eight per live block. */
MS_HIDDEN uint64_t ms_scan_references(bool at_exit);
/* The recorder's own resident memory (its tables), left out of the RSS samples. */
MS_HIDDEN uint64_t ms_recorder_resident_bytes(void);
/* One scan at a time (recorder.c): they share what the last one kept, as do direct pushes. */
extern int ms_scan_running MS_HIDDEN;
/* A heap event just published in the thread's chunk, bytes [start, end): while the process has
 * one thread, put into the scans' table now instead of when the next scan replays it. */
enum { MS_DIRECT_ALLOC, MS_DIRECT_FREE, MS_DIRECT_REALLOC };
MS_HIDDEN void ms_scan_direct_op(int op, uint32_t start, uint32_t end, uint64_t ts, uintptr_t old, uintptr_t address, uint64_t size);
extern int ms_scan_direct_on MS_HIDDEN; /* a scan has set the table up in this process */
static inline void ms_scan_direct(int op, uint32_t start, uint32_t end, uint64_t ts, uintptr_t old, uintptr_t address, uint64_t size) {
    if (__builtin_expect(__atomic_load_n(&ms_scan_direct_on, __ATOMIC_RELAXED), 1))
        ms_scan_direct_op(op, start, end, ts, old, address, size);
}
/* Before a second thread can exist (pthread_create): the thread's pending direct operations
 * are left to the replay, and its list emptied (no direct operations once threaded). */
MS_HIDDEN void ms_scan_direct_drop(void);
/* The thread took chunk `index` of the spool (spool.c). */
MS_HIDDEN void ms_scan_chunk_taken(uint64_t index, uint32_t tid);
extern int ms_scan_requested MS_HIDDEN;
MS_HIDDEN void ms_scan_on_request(void);

#endif
