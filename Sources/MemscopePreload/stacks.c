/* Call stacks: raw return addresses from the cached-rule unwinder (unwind.c), which
 * hands what it cannot walk to libunwind (or libunwind alone, or frame pointers: see
 * MEMSCOPE_UNWIND below), deduplicated per thread so that each distinct stack is
 * written to the spool once per thread; events then carry only its id. */
#include "recorder.h"

#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

struct stack_entry {
    uint64_t hash;
    uint32_t id;
    uint32_t depth;
    uint64_t offset; /* into the thread's ip arena */
};

struct stack_table {
    struct stack_entry *entries;
    size_t capacity; /* power of two */
    size_t count;
    uintptr_t *ips;
    size_t ips_used, ips_capacity;
    struct ms_unwind_walks *walks; /* the unwinder's last walks on this thread */
    uint32_t tid;                  /* once its thread is exiting: that thread, and */
    struct stack_table *next_dead; /* the next table of an exiting thread */
};

static MS_TLS struct stack_table *table;
static MS_TLS uint32_t table_epoch;
static uintptr_t own_start, own_end;
uintptr_t ms_own_start, ms_own_end; /* the same, for unwind.c */

void ms_stacks_set_own_range(uintptr_t start, uintptr_t end) {
    own_start = start;
    own_end = end;
    ms_own_start = start;
    ms_own_end = end;
}

static void *map_zeroed(size_t bytes) {
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void *grow(void *old, size_t old_bytes, size_t new_bytes) {
    if (!old) return map_zeroed(new_bytes);
    void *p = mremap(old, old_bytes, new_bytes, MREMAP_MAYMOVE);
    return p == MAP_FAILED ? NULL : p;
}

static void table_unmap(struct stack_table *t) {
    if (t->entries) munmap(t->entries, t->capacity * sizeof(struct stack_entry));
    if (t->ips) munmap(t->ips, t->ips_capacity * sizeof(uintptr_t));
    if (t->walks) munmap(t->walks, ms_unwind_walks_size());
    munmap(t, sizeof *t);
}

static void table_free(struct stack_table *t) {
    if (t) table_unmap(t);
}

/* Tables of exiting threads. A thread's exit event comes from a thread-specific-data
 * destructor, after which the thread may still allocate and free (later destructors, C++
 * thread_locals) with its table; it is unmapped once the thread is gone (tgkill with
 * signal 0 fails with ESRCH; a tid reused by a new thread only delays it), when the next
 * thread makes its table. A list with atomic exchanges: no lock, nothing a signal handler
 * can block on (one that finds the list taken leaves it for later). */
static struct stack_table *dead_tables;

static void push_dead(struct stack_table *first, struct stack_table *last) {
    struct stack_table *head = __atomic_load_n(&dead_tables, __ATOMIC_RELAXED);
    do last->next_dead = head;
    while (!__atomic_compare_exchange_n(&dead_tables, &head, first, true, __ATOMIC_RELEASE, __ATOMIC_RELAXED));
}

void ms_stacks_thread_exiting(void) {
    struct stack_table *t = table;
    if (!t || table_epoch != ms_spool_epoch || t->tid) return;
    t->tid = ms_gettid();
    push_dead(t, t);
}

static void reap_dead_tables(void) {
    if (!__atomic_load_n(&dead_tables, __ATOMIC_RELAXED)) return;
    struct stack_table *list = __atomic_exchange_n(&dead_tables, NULL, __ATOMIC_ACQUIRE);
    struct stack_table *keep = NULL, *keep_last = NULL;
    pid_t pid = getpid();
    int saved = errno;
    while (list) {
        struct stack_table *next = list->next_dead;
        if (syscall(SYS_tgkill, pid, list->tid, 0) != 0 && errno == ESRCH) {
            table_unmap(list);
        } else {
            list->next_dead = keep;
            keep = list;
            if (!keep_last) keep_last = list;
        }
        list = next;
    }
    errno = saved;
    if (keep) push_dead(keep, keep_last);
}

/* After fork the child must define its stacks again in its own spool. The child's only
 * thread drops the tables of the others (copies of the parent's) too. */
void ms_stacks_reset_thread(void) {
    struct stack_table *list = dead_tables;
    dead_tables = NULL;
    while (list) {
        struct stack_table *next = list->next_dead;
        if (list != table) table_unmap(list);
        list = next;
    }
    table_free(table);
    table = NULL;
}

/* The scanning thread's own table (other threads' tables hold return addresses, stack
 * addresses, rules and hashes: nothing a block's address is made of but by chance). */
int ms_stacks_own_ranges(struct ms_range *out, int max) {
    struct stack_table *t = table;
    if (!t || table_epoch != ms_spool_epoch) return 0;
    int n = 0;
    if (n < max) out[n++] = (struct ms_range){(uintptr_t)t, (uintptr_t)(t + 1)};
    if (t->entries && n < max) out[n++] = (struct ms_range){(uintptr_t)t->entries, (uintptr_t)(t->entries + t->capacity)};
    if (t->ips && n < max) out[n++] = (struct ms_range){(uintptr_t)t->ips, (uintptr_t)(t->ips + t->ips_capacity)};
    if (t->walks && n < max) out[n++] = (struct ms_range){(uintptr_t)t->walks, (uintptr_t)t->walks + ms_unwind_walks_size()};
    return n;
}

static struct stack_table *thread_table(void) {
    if (table && table_epoch == ms_spool_epoch) return table;
    if (table) table_free(table); /* inherited through fork: stacks were defined in the parent's spool */
    reap_dead_tables();
    table = map_zeroed(sizeof *table);
    if (!table) return NULL;
    table->capacity = 1024;
    table->entries = map_zeroed(table->capacity * sizeof(struct stack_entry));
    if (!table->entries) { munmap(table, sizeof *table); table = NULL; return NULL; }
    table->walks = map_zeroed(ms_unwind_walks_size()); /* NULL: walks without prediction */
    table_epoch = ms_spool_epoch;
    return table;
}

static bool rehash(struct stack_table *t) {
    size_t capacity = t->capacity * 2;
    struct stack_entry *entries = map_zeroed(capacity * sizeof(struct stack_entry));
    if (!entries) return false;
    for (size_t i = 0; i < t->capacity; i++) {
        struct stack_entry e = t->entries[i];
        if (!e.id) continue;
        size_t slot = e.hash & (capacity - 1);
        while (entries[slot].id) slot = (slot + 1) & (capacity - 1);
        entries[slot] = e;
    }
    munmap(t->entries, t->capacity * sizeof(struct stack_entry));
    t->entries = entries;
    t->capacity = capacity;
    return true;
}

static int unwind_frame_pointers(uintptr_t *ips, int max) {
    uintptr_t *fp = __builtin_frame_address(0);
    int n = 0;
    while (fp && n < max) {
        uintptr_t ip = fp[1];
        if (!ip) break;
        ips[n++] = ip;
        uintptr_t *next = (uintptr_t *)fp[0];
        /* Frames grow upward; a chain that goes backward or jumps far is not a chain. */
        if (next <= fp || (uintptr_t)next - (uintptr_t)fp > (8u << 20) || ((uintptr_t)next & 7)) break;
        fp = next;
    }
    return n;
}

/* MEMSCOPE_UNWIND: unset or "fast" the cached-rule unwinder (unwind.c), which hands
 * a stack it cannot walk to libunwind; "libunwind" libunwind for every stack; "fp"
 * frame pointers; "check" both the fast unwinder and libunwind, every difference
 * written to stderr. */
enum { UNWIND_FAST, UNWIND_LIBUNWIND, UNWIND_FP, UNWIND_CHECK };
static int unwind_mode = -1;

static int unwind_libunwind(uintptr_t *ips, int max) {
    static MS_TLS bool cache_set;
    if (!cache_set) {
        unw_set_caching_policy(unw_local_addr_space, UNW_CACHE_PER_THREAD);
        cache_set = true;
    }
    return unw_backtrace((void **)ips, max);
}

static int skip_own(const uintptr_t *ips, int n) {
    int skip = 0;
    while (skip < n && ips[skip] >= own_start && ips[skip] < own_end) skip++;
    return skip;
}

static char *put_hex(char *p, uintptr_t v) {
    *p++ = '0'; *p++ = 'x';
    int shift = 60;
    while (shift > 0 && !(v >> shift)) shift -= 4;
    for (; shift >= 0; shift -= 4) *p++ = "0123456789abcdef"[(v >> shift) & 15];
    return p;
}

/* UNWIND_CHECK: the fast unwinder's stack against libunwind's, both after the
 * recorder's own frames; a difference goes to stderr (no stdio: it may allocate). */
static void check_against_libunwind(const uintptr_t *fast, int fast_n, int max) {
    uintptr_t slow[MS_MAX_FRAMES + 8];
    int slow_n = unwind_libunwind(slow, max);
    int fs = skip_own(fast, fast_n), ss = skip_own(slow, slow_n);
    int a = fast_n - fs, b = slow_n - ss;
    int limit = max - 8;
    if (a > limit) a = limit;
    if (b > limit) b = limit;
    int first = 0;
    while (first < a && first < b && fast[fs + first] == slow[ss + first]) first++;
    if (first == a && a == b) return;
    char line[256], *p = line;
    const char *text = "memscope: unwinders differ at frame ";
    memcpy(p, text, strlen(text)); p += strlen(text);
    p = put_hex(p, (uintptr_t)first);
    *p++ = ':'; *p++ = ' ';
    p = first < a ? put_hex(p, fast[fs + first]) : (memcpy(p, "end", 3), p + 3);
    memcpy(p, " (fast) ", 8); p += 8;
    p = first < b ? put_hex(p, slow[ss + first]) : (memcpy(p, "end", 3), p + 3);
    memcpy(p, " (libunwind), depths ", 21); p += 21;
    p = put_hex(p, (uintptr_t)a); *p++ = ' '; p = put_hex(p, (uintptr_t)b);
    *p++ = '\n';
    ssize_t ignored = write(2, line, (size_t)(p - line));
    (void)ignored;
}

/* `same` (may be NULL): set to the stack's id when it is one of the thread's recent stacks
 * of this kind (allocation or free), in which case `ips` is left unwritten; else 0. */
static int unwind(uintptr_t *ips, int max, bool for_free, uint32_t *same, struct ms_unwind_walks *walks) {
    if (same) *same = 0;
    if (unwind_mode < 0) {
        const char *mode = getenv("MEMSCOPE_UNWIND");
        unwind_mode = !mode || !mode[0] || strcmp(mode, "fast") == 0 ? UNWIND_FAST
            : strcmp(mode, "fp") == 0 ? UNWIND_FP
            : strcmp(mode, "libunwind") == 0 ? UNWIND_LIBUNWIND
            : strcmp(mode, "check") == 0 ? UNWIND_CHECK : UNWIND_FAST;
    }
    if (unwind_mode == UNWIND_FP) return unwind_frame_pointers(ips, max);
    if (unwind_mode == UNWIND_LIBUNWIND) return unwind_libunwind(ips, max);
    int n = ms_unwind_fast(ips, max, for_free, unwind_mode == UNWIND_CHECK ? NULL : same, walks);
    if (n < 0) return unwind_libunwind(ips, max);
    if (unwind_mode == UNWIND_CHECK) check_against_libunwind(ips, n, max);
    return n;
}

/* Four independent lanes (a multiply's latency is paid once per four frames, not per
 * frame), then mixed. Collisions only cost a comparison. */
static uint64_t hash_ips(const uintptr_t *ips, int depth) {
    const uint64_t k = 0xFF51AFD7ED558CCDull;
    uint64_t a = 0x9E3779B97F4A7C15ull ^ (uint64_t)depth, b = 0xC2B2AE3D27D4EB4Full, c = 0x165667B19E3779F9ull, d = 0x27D4EB2F165667C5ull;
    int i = 0;
    for (; i + 4 <= depth; i += 4) {
        a = (a ^ ips[i]) * k;
        b = (b ^ ips[i + 1]) * k;
        c = (c ^ ips[i + 2]) * k;
        d = (d ^ ips[i + 3]) * k;
    }
    for (; i < depth; i++) a = (a ^ ips[i]) * k;
    uint64_t h = a ^ (b << 17 | b >> 47) ^ (c << 31 | c >> 33) ^ (d << 47 | d >> 17);
    h ^= h >> 32;
    h *= k;
    h ^= h >> 29;
    return h ? h : 1;
}

static uint32_t define_stack(struct stack_table *t, uint64_t hash, const uintptr_t *ips, int depth, size_t slot) {
    if (t->ips_used + (size_t)depth > t->ips_capacity) {
        size_t capacity = t->ips_capacity ? t->ips_capacity * 2 : 16384;
        while (capacity < t->ips_used + (size_t)depth) capacity *= 2;
        uintptr_t *ips_new = grow(t->ips, t->ips_capacity * sizeof(uintptr_t), capacity * sizeof(uintptr_t));
        if (!ips_new) return 0;
        t->ips = ips_new;
        t->ips_capacity = capacity;
    }
    uint8_t *p = ms_event_begin(40 + (size_t)depth * 10);
    if (!p) return 0;
    uint32_t id = (uint32_t)__atomic_add_fetch(&ms_spool_header()->next_stack_id, 1, __ATOMIC_RELAXED);
    *p++ = MS_EV_STACK;
    p = ms_put(p, id);
    p = ms_put(p, ms_generation);
    p = ms_put(p, (uint64_t)depth);
    for (int i = 0; i < depth; i++) p = ms_put(p, ips[i]);
    ms_event_end(p);

    memcpy(t->ips + t->ips_used, ips, (size_t)depth * sizeof(uintptr_t));
    t->entries[slot] = (struct stack_entry){hash, id, (uint32_t)depth, t->ips_used};
    t->ips_used += (size_t)depth;
    t->count++;
    if (t->count * 2 > t->capacity) rehash(t);
    return id;
}

/* Frames kept for frees (MEMSCOPE_FREE_FRAMES): the innermost ones name the call
 * site; a shallower walk makes the most frequent call cheaper. */
static int free_frames = -1;

static int free_frame_limit(void) {
    if (free_frames < 0) {
        const char *value = getenv("MEMSCOPE_FREE_FRAMES");
        long n = value ? strtol(value, NULL, 10) : MS_FREE_FRAMES;
        free_frames = n < 1 ? 1 : n > MS_MAX_FRAMES ? MS_MAX_FRAMES : (int)n;
    }
    return free_frames;
}

uint32_t ms_capture_stack(bool for_free) {
    uintptr_t raw[MS_MAX_FRAMES + 8];
    int limit = (for_free ? free_frame_limit() : MS_MAX_FRAMES) + 8;
    struct stack_table *t = thread_table();
    uint32_t same = 0;
    struct ms_unwind_walks *walks = t ? t->walks : NULL;
    int n = unwind(raw, limit, for_free, t ? &same : NULL, walks);
    if (same) return same;
    int skip = skip_own(raw, n);
    const uintptr_t *ips = raw + skip;
    int depth = n - skip;
    int max_depth = for_free ? free_frame_limit() : MS_MAX_FRAMES;
    if (depth > max_depth) depth = max_depth;
    if (depth <= 0 || !t) return 0;

    uint64_t hash = hash_ips(ips, depth);
    size_t slot = hash & (t->capacity - 1);
    uint32_t id = 0;
    while (t->entries[slot].id) {
        struct stack_entry *e = &t->entries[slot];
        if (e->hash == hash && e->depth == (uint32_t)depth &&
            memcmp(t->ips + e->offset, ips, (size_t)depth * sizeof(uintptr_t)) == 0) {
            id = e->id;
            break;
        }
        slot = (slot + 1) & (t->capacity - 1);
    }
    if (!id) id = define_stack(t, hash, ips, depth, slot);
    ms_unwind_set_id(walks, for_free, id);
    return id;
}
