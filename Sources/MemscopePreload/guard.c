/* `memscope record --guard` and `--quarantine`: a debugging allocator layered on glibc's.
 *
 * --guard: every block gets a red zone on both sides, filled with MS_GUARD_BYTE:
 *     base [front: left red zone] user [size bytes] [MS_RED: right red zone]
 *   `front` is MS_RED, or the alignment when larger, so the user pointer keeps its
 *   alignment. The zones are checked when the block is freed (or reallocated), and at
 *   exit for blocks still live; damage becomes a MS_EV_MEMORY_ERROR event.
 * --quarantine BYTES: a freed block is filled with MS_FREED_BYTE and held back from
 *   reuse in a FIFO, oldest out first, while the FIFO holds more than BYTES; the pattern
 *   is checked when a block leaves the FIFO, and at exit.
 *
 * Blocks are found through a table of the blocks this allocator handed out (live or in
 * quarantine), keyed by the user pointer, in mmap'ed memory under one lock. A pointer
 * the table does not know (allocated before the recorder started, or while the recorder
 * itself was allocating) goes to glibc unchanged. The lock is never held while a stack
 * is captured or a hook could run. */
#include "recorder.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MS_RED 16u
#define MS_GUARD_BYTE 0xFA
#define MS_FREED_BYTE 0xFD

enum { EMPTY = 0, LIVE = 1, QUARANTINED = 2, DELETED = 3 };
enum { ERROR_OVERFLOW = 0, ERROR_WRITE_AFTER_FREE = 1 };
enum { SIDE_INSIDE = 0, SIDE_AFTER = 1, SIDE_BEFORE = 2 };

/* A block, as the functions below handle it. */
struct slot {
    uintptr_t user;
    uintptr_t base;
    uint64_t size;
    uint32_t front; /* left red zone; the right one is MS_RED bytes when guarding */
    uint32_t stack; /* allocation stack id */
    uint32_t free_stack;
    uint32_t state;
};

/* A block, as the table stores it (24 bytes): `bits` packs the size (48 bits), the
 * left zone (log2 + 1, 0 for none; 8 bits) and the state (8 bits). */
struct entry {
    uintptr_t user;
    uint64_t bits;
    uint32_t stack;
    uint32_t free_stack;
};

#define MS_MAX_SIZE ((1ull << 48) - 1)

static inline uint32_t state_of(const struct entry *e) { return (uint32_t)(e->bits >> 56); }

static inline void set_state(struct entry *e, uint32_t state) {
    e->bits = (e->bits & ~(0xFFull << 56)) | ((uint64_t)state << 56);
}

static struct slot unpack(const struct entry *e) {
    unsigned code = (unsigned)(e->bits >> 48) & 0xFF;
    uint32_t front = code ? 1u << (code - 1) : 0;
    return (struct slot){e->user, e->user - front, e->bits & MS_MAX_SIZE, front, e->stack, e->free_stack, state_of(e)};
}

static struct entry pack(const struct slot *s) {
    uint64_t code = s->front ? (uint64_t)__builtin_ctz(s->front) + 1 : 0;
    return (struct entry){s->user, (s->size & MS_MAX_SIZE) | code << 48 | (uint64_t)s->state << 56, s->stack, s->free_stack};
}

int ms_debug;
static uint64_t budget;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *table;
static size_t capacity, used; /* used: live + quarantined + deleted slots */
static uintptr_t *fifo;       /* ring of quarantined user pointers */
static size_t fifo_capacity, fifo_head, fifo_count;
static uint64_t quarantined_bytes;

static size_t red(void) { return (ms_debug & MS_DEBUG_GUARD) ? MS_RED : 0; }

/* What a quarantined block holds back: its glibc chunk (the block, its red zones, glibc's
 * 8-byte header, rounded up to 16 bytes, 32 at least). */
static uint64_t cost(const struct slot *s) {
    uint64_t chunk = (s->size + s->front + red() + 8 + 15) & ~15ull;
    return chunk < 32 ? 32 : chunk;
}

void ms_debug_init(void) {
    const char *guard = getenv("MEMSCOPE_GUARD");
    const char *quarantine = getenv("MEMSCOPE_QUARANTINE");
    int mode = 0;
    if (guard && strcmp(guard, "1") == 0) mode |= MS_DEBUG_GUARD;
    if (quarantine && quarantine[0]) {
        budget = strtoull(quarantine, NULL, 10);
        if (budget) mode |= MS_DEBUG_QUARANTINE;
    }
    ms_debug = mode;
}

bool ms_debug_owns(uintptr_t start, uintptr_t end) {
    uintptr_t t = (uintptr_t)table, f = (uintptr_t)fifo;
    return (table && t < end && start < t + capacity * sizeof *table) ||
           (fifo && f < end && start < f + fifo_capacity * sizeof *fifo);
}

static void *map(size_t bytes) {
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static size_t home(uintptr_t user, size_t cap) { return (size_t)((user * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1); }

/* Called with the lock held. */
static struct entry *find(uintptr_t user) {
    if (!table) return NULL;
    for (size_t i = home(user, capacity);; i = (i + 1) & (capacity - 1)) {
        uint32_t state = state_of(&table[i]);
        if (state == EMPTY) return NULL;
        if (table[i].user == user && state != DELETED) return &table[i];
    }
}

static bool holds(const struct entry *e) { return state_of(e) == LIVE || state_of(e) == QUARANTINED; }

/* Called with the lock held; false when out of memory. */
static bool grow(void) {
    size_t kept = 0;
    for (size_t i = 0; i < capacity; i++) kept += holds(&table[i]);
    size_t new_capacity = 1u << 14; /* at most 2/3 full after growing, 3/4 before */
    while (new_capacity * 2 < kept * 3) new_capacity *= 2;
    struct entry *new_table = map(new_capacity * sizeof *new_table);
    if (!new_table) return false;
    for (size_t i = 0; i < capacity; i++) {
        if (!holds(&table[i])) continue;
        size_t j = home(table[i].user, new_capacity);
        while (state_of(&new_table[j]) != EMPTY) j = (j + 1) & (new_capacity - 1);
        new_table[j] = table[i];
    }
    if (table) munmap(table, capacity * sizeof *table);
    table = new_table;
    capacity = new_capacity;
    used = kept;
    return true;
}

static bool insert(const struct slot *s) {
    pthread_mutex_lock(&lock);
    bool ok = true;
    if ((used + 1) * 4 > capacity * 3) ok = grow();
    if (ok) {
        size_t i = home(s->user, capacity);
        while (holds(&table[i])) i = (i + 1) & (capacity - 1); /* a deleted slot is reused */
        if (state_of(&table[i]) == EMPTY) used++;
        table[i] = pack(s);
    }
    pthread_mutex_unlock(&lock);
    return ok;
}

static void report(int kind, const struct slot *s, int side, uint64_t offset, uint64_t bytes, uint32_t found) {
    uint8_t *e = ms_event_begin(96);
    if (!e) return;
    *e++ = MS_EV_MEMORY_ERROR;
    e = ms_put(e, ms_now());
    e = ms_put(e, (uint64_t)kind);
    e = ms_put(e, s->user);
    e = ms_put(e, s->size);
    e = ms_put(e, (uint64_t)side);
    e = ms_put(e, offset);
    e = ms_put(e, bytes);
    e = ms_put(e, s->stack);
    e = ms_put(e, s->free_stack);
    e = ms_put(e, found);
    ms_event_end(e);
}

/* Checks both red zones of a guarded block. */
static void check_zones(const struct slot *s, uint32_t found) {
    if (!(ms_debug & MS_DEBUG_GUARD)) return;
    const uint8_t *left = (const uint8_t *)s->base;
    uint64_t damaged = 0, nearest = 0;
    for (size_t i = 0; i < s->front; i++)
        if (left[i] != MS_GUARD_BYTE) { damaged++; nearest = s->front - i; }
    if (damaged) report(ERROR_OVERFLOW, s, SIDE_BEFORE, nearest, damaged, found);
    const uint8_t *right = (const uint8_t *)s->user + s->size;
    damaged = 0;
    uint64_t first = 0;
    for (size_t i = MS_RED; i-- > 0;)
        if (right[i] != MS_GUARD_BYTE) { damaged++; first = i; }
    if (damaged) report(ERROR_OVERFLOW, s, SIDE_AFTER, first, damaged, found);
}

/* Checks the fill pattern of a quarantined block. */
static void check_pattern(const struct slot *s, uint32_t found) {
    const uint8_t *p = (const uint8_t *)s->user;
    uint64_t damaged = 0, first = 0;
    for (size_t i = s->size; i-- > 0;)
        if (p[i] != MS_FREED_BYTE) { damaged++; first = i; }
    if (damaged) report(ERROR_WRITE_AFTER_FREE, s, SIDE_INSIDE, first, damaged, found);
}

/* A new block from glibc with its red zones filled, tracked under `stack`; NULL when glibc
 * has no memory or the table no room (then nothing is left allocated). */
static void *new_block(size_t alignment, size_t size, uint32_t stack) {
    if (size > MS_MAX_SIZE) return NULL;
    if (alignment & (alignment - 1)) alignment = (size_t)1 << (64 - __builtin_clzll(alignment)); /* as glibc */
    size_t front = red();
    if (alignment > front && front) front = alignment;
    size_t total;
    if (__builtin_add_overflow(size, front + red(), &total)) return NULL;
    void *base = alignment > 16 ? __libc_memalign(alignment, total) : __libc_malloc(total);
    if (!base) return NULL;
    uint8_t *user = (uint8_t *)base + front;
    if (front) memset(base, MS_GUARD_BYTE, front);
    if (red()) memset(user + size, MS_GUARD_BYTE, red());
    struct slot s = {(uintptr_t)user, (uintptr_t)base, size, (uint32_t)front, stack, 0, LIVE};
    if (!insert(&s)) {
        __libc_free(base);
        return NULL;
    }
    return user;
}

void *ms_debug_alloc(size_t alignment, size_t size, bool zero, int kind) {
    uint32_t stack = ms_capture_stack(false);
    void *p = new_block(alignment, size, stack);
    if (!p) errno = ENOMEM;
    else if (zero) memset(p, 0, size);
    ms_write_alloc(p, size, kind, stack);
    return p;
}

/* Frees for real the blocks that overflow the quarantine budget, oldest first. */
static void evict(uint32_t found, bool recording) {
    for (;;) {
        pthread_mutex_lock(&lock);
        if (quarantined_bytes <= budget || fifo_count == 0) {
            pthread_mutex_unlock(&lock);
            return;
        }
        uintptr_t user = fifo[fifo_head];
        fifo_head = (fifo_head + 1) % fifo_capacity;
        fifo_count--;
        struct entry *held = find(user);
        struct slot s = held ? unpack(held) : (struct slot){0};
        if (held) {
            set_state(held, DELETED);
            uint64_t c = cost(&s);
            quarantined_bytes -= c < quarantined_bytes ? c : quarantined_bytes;
        }
        pthread_mutex_unlock(&lock);
        if (!held) continue;
        if (recording) check_pattern(&s, found);
        __libc_free((void *)s.base);
    }
}

static bool push_quarantine(uintptr_t user, uint64_t cost) {
    pthread_mutex_lock(&lock);
    if (fifo_count == fifo_capacity) {
        size_t new_capacity = fifo_capacity ? fifo_capacity * 2 : 1u << 14;
        uintptr_t *ring = map(new_capacity * sizeof *ring);
        if (!ring) {
            pthread_mutex_unlock(&lock);
            return false;
        }
        for (size_t i = 0; i < fifo_count; i++) ring[i] = fifo[(fifo_head + i) % fifo_capacity];
        if (fifo) munmap(fifo, fifo_capacity * sizeof *fifo);
        fifo = ring;
        fifo_capacity = new_capacity;
        fifo_head = 0;
    }
    fifo[(fifo_head + fifo_count) % fifo_capacity] = user;
    fifo_count++;
    quarantined_bytes += cost;
    pthread_mutex_unlock(&lock);
    return true;
}

/* A released block: checked, then quarantined or freed. `s` is no longer in the table as LIVE. */
static void retire(struct slot *s, uint32_t found, bool recording) {
    if (recording) check_zones(s, found);
    if (ms_debug & MS_DEBUG_QUARANTINE) {
        memset((void *)s->user, MS_FREED_BYTE, s->size);
        if (push_quarantine(s->user, cost(s))) {
            evict(found, recording);
            return;
        }
        pthread_mutex_lock(&lock);
        struct entry *kept = find(s->user);
        if (kept) set_state(kept, DELETED);
        pthread_mutex_unlock(&lock);
    }
    __libc_free((void *)s->base);
}

/* True when the 16 bytes before p are an intact left red zone: p is most likely a guarded
 * block freed already (a double free), which glibc must not see. */
static bool looks_guarded(uintptr_t p) {
    if (!(ms_debug & MS_DEBUG_GUARD) || p < 4096 || (p & 15)) return false;
    const uint8_t *zone = (const uint8_t *)p - MS_RED;
    for (size_t i = 0; i < MS_RED; i++)
        if (zone[i] != MS_GUARD_BYTE) return false;
    return true;
}

/* Takes the block at `user` out of the live set: its slot, or false when unknown. A
 * quarantined block is left where it is, and `*again` set. */
static bool take(uintptr_t user, uint32_t free_stack, struct slot *out, bool *again) {
    *again = false;
    pthread_mutex_lock(&lock);
    struct entry *e = find(user);
    bool live = e && state_of(e) == LIVE;
    if (e && state_of(e) == QUARANTINED) *again = true;
    if (live) {
        e->free_stack = free_stack;
        *out = unpack(e);
        set_state(e, (ms_debug & MS_DEBUG_QUARANTINE) ? QUARANTINED : DELETED);
    }
    pthread_mutex_unlock(&lock);
    return live;
}

void ms_debug_free(void *p, bool recording) {
    uint32_t stack = recording ? ms_record_free(p) : 0;
    struct slot s;
    bool again;
    if (take((uintptr_t)p, stack, &s, &again)) {
        retire(&s, stack, recording);
        return;
    }
    if (again || looks_guarded((uintptr_t)p)) return; /* a double free: the analysis reports it */
    __libc_free(p);
}

void *ms_debug_realloc(void *old, size_t size, bool recording) {
    if (!old) {
        if (!recording) return __libc_malloc(size);
        uint32_t stack = ms_capture_stack(false);
        void *p = new_block(0, size, stack);
        if (!p) errno = ENOMEM;
        ms_write_realloc(NULL, p, size, stack); /* as without --guard: realloc(NULL, n) */
        return p;
    }
    pthread_mutex_lock(&lock);
    struct entry *known = find((uintptr_t)old);
    struct slot current = known ? unpack(known) : (struct slot){0};
    pthread_mutex_unlock(&lock);
    if (!known) {
        if (looks_guarded((uintptr_t)old)) { /* realloc after free: a new block, nothing to copy */
            if (!recording) return NULL;
            uint32_t stack = ms_capture_stack(false);
            void *p = new_block(0, size, stack);
            ms_write_realloc(old, p, size, stack);
            return p;
        }
        void *p = __libc_realloc(old, size);
        if (recording) ms_record_realloc(old, p, size);
        return p;
    }
    if (current.state != LIVE) { /* realloc of a quarantined block: refused, the analysis reports it */
        if (recording) ms_record_realloc(old, NULL, size ? size : 1);
        errno = ENOMEM;
        return NULL;
    }
    struct slot s;
    bool again;
    if (!recording) { /* not recording (a fork child with --no-follow-fork): plain blocks from now on */
        void *p = size ? __libc_malloc(size) : NULL;
        if (size && !p) return NULL;
        if (p) memcpy(p, old, current.size < size ? current.size : size);
        if (take((uintptr_t)old, 0, &s, &again)) retire(&s, 0, false);
        return p;
    }
    uint32_t stack = ms_capture_stack(false);
    if (size == 0) { /* glibc: frees the block and returns NULL */
        ms_write_realloc(old, NULL, 0, stack);
        if (take((uintptr_t)old, stack, &s, &again)) retire(&s, stack, true);
        return NULL;
    }
    void *p = new_block(0, size, stack);
    if (!p) { /* the old block stays */
        ms_write_realloc(old, NULL, size, stack);
        errno = ENOMEM;
        return NULL;
    }
    memcpy(p, old, current.size < size ? current.size : size);
    ms_write_realloc(old, p, size, stack);
    if (take((uintptr_t)old, stack, &s, &again)) retire(&s, stack, true);
    return p;
}

/* The requested size of a block this allocator handed out, or SIZE_MAX when unknown. */
size_t ms_debug_usable_size(void *p) {
    pthread_mutex_lock(&lock);
    struct entry *e = find((uintptr_t)p);
    size_t size = e && state_of(e) == LIVE ? (size_t)unpack(e).size : SIZE_MAX;
    pthread_mutex_unlock(&lock);
    return size;
}

static bool damaged(const struct slot *s) {
    if (s->state == QUARANTINED) {
        const uint8_t *p = (const uint8_t *)s->user;
        for (size_t i = 0; i < s->size; i++)
            if (p[i] != MS_FREED_BYTE) return true;
        return false;
    }
    if (s->state != LIVE || !(ms_debug & MS_DEBUG_GUARD)) return false;
    const uint8_t *left = (const uint8_t *)s->base, *right = (const uint8_t *)s->user + s->size;
    for (size_t i = 0; i < s->front; i++)
        if (left[i] != MS_GUARD_BYTE) return true;
    for (size_t i = 0; i < MS_RED; i++)
        if (right[i] != MS_GUARD_BYTE) return true;
    return false;
}

static int by_address(const void *a, const void *b) {
    uintptr_t x = ((const struct slot *)a)->user, y = ((const struct slot *)b)->user;
    return x < y ? -1 : x > y;
}

/* At exit: the red zones of every live block and the pattern of every quarantined one,
 * reported in address order (the table's order depends on where the heap was mapped). */
void ms_debug_check_at_exit(void) {
    if (!ms_debug) return;
    pthread_mutex_lock(&lock);
    size_t count = 0;
    for (size_t i = 0; i < capacity; i++) {
        struct slot s = unpack(&table[i]);
        count += damaged(&s);
    }
    struct slot *found = count ? map(count * sizeof *found) : NULL;
    size_t n = 0;
    for (size_t i = 0; found && i < capacity; i++) {
        struct slot s = unpack(&table[i]);
        if (damaged(&s)) found[n++] = s;
    }
    pthread_mutex_unlock(&lock);
    if (!found) return;
    qsort(found, n, sizeof *found, by_address); /* ms_busy is set: a malloc here goes straight to glibc */
    for (size_t i = 0; i < n; i++) {
        if (found[i].state == LIVE) check_zones(&found[i], 0);
        else check_pattern(&found[i], 0);
    }
    munmap(found, count * sizeof *found);
}

void ms_debug_before_fork(void) {
    if (ms_debug) pthread_mutex_lock(&lock);
}

void ms_debug_after_fork(void) {
    if (ms_debug) pthread_mutex_unlock(&lock);
}
