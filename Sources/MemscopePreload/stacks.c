/* Call stacks: raw return addresses from libunwind (or frame pointers when
 * MEMSCOPE_UNWIND=fp), deduplicated per thread so that each distinct stack is
 * written to the spool once per thread; events then carry only its id. */
#include "recorder.h"

#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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
};

static MS_TLS struct stack_table *table;
static MS_TLS uint32_t table_epoch;
static uintptr_t own_start, own_end;
static int use_frame_pointers = -1;

void ms_stacks_set_own_range(uintptr_t start, uintptr_t end) {
    own_start = start;
    own_end = end;
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

static void table_free(struct stack_table *t) {
    if (!t) return;
    if (t->entries) munmap(t->entries, t->capacity * sizeof(struct stack_entry));
    if (t->ips) munmap(t->ips, t->ips_capacity * sizeof(uintptr_t));
    munmap(t, sizeof *t);
}

/* After fork the child must define its stacks again in its own spool. */
void ms_stacks_reset_thread(void) {
    table_free(table);
    table = NULL;
}

static struct stack_table *thread_table(void) {
    if (table && table_epoch == ms_spool_epoch) return table;
    if (table) table_free(table); /* inherited through fork: stacks were defined in the parent's spool */
    table = map_zeroed(sizeof *table);
    if (!table) return NULL;
    table->capacity = 1024;
    table->entries = map_zeroed(table->capacity * sizeof(struct stack_entry));
    if (!table->entries) { munmap(table, sizeof *table); table = NULL; return NULL; }
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

static int unwind(uintptr_t *ips, int max) {
    if (use_frame_pointers < 0) {
        const char *mode = getenv("MEMSCOPE_UNWIND");
        use_frame_pointers = mode && strcmp(mode, "fp") == 0;
    }
    if (use_frame_pointers) return unwind_frame_pointers(ips, max);
    static MS_TLS bool cache_set;
    if (!cache_set) {
        unw_set_caching_policy(unw_local_addr_space, UNW_CACHE_PER_THREAD);
        cache_set = true;
    }
    return unw_backtrace((void **)ips, max);
}

static uint64_t hash_ips(const uintptr_t *ips, int depth) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)depth;
    for (int i = 0; i < depth; i++) {
        h ^= ips[i];
        h *= 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
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
    int n = unwind(raw, limit);
    int skip = 0;
    while (skip < n && raw[skip] >= own_start && raw[skip] < own_end) skip++;
    const uintptr_t *ips = raw + skip;
    int depth = n - skip;
    int max_depth = for_free ? free_frame_limit() : MS_MAX_FRAMES;
    if (depth > max_depth) depth = max_depth;
    if (depth <= 0) return 0;

    struct stack_table *t = thread_table();
    if (!t) return 0;
    uint64_t hash = hash_ips(ips, depth);
    size_t slot = hash & (t->capacity - 1);
    while (t->entries[slot].id) {
        struct stack_entry *e = &t->entries[slot];
        if (e->hash == hash && e->depth == (uint32_t)depth &&
            memcmp(t->ips + e->offset, ips, (size_t)depth * sizeof(uintptr_t)) == 0)
            return e->id;
        slot = (slot + 1) & (t->capacity - 1);
    }
    return define_stack(t, hash, ips, depth, slot);
}
