/* The reference scan (at exit, and while the program runs): which live blocks point to
 * which, and which are pointed to from the roots (writable memory that is not heap:
 * module data and bss, the stacks of threads still running, other anonymous mappings),
 * so that memscope can classify leaks as memcheck does. The live blocks come from this
 * process's own spool, replayed into a table kept from one scan to the next: each scan
 * reads only what was written since the last one. The results are observations: any
 * word whose value equals a block's address counts, even when it is an integer. */
#include "recorder.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <ucontext.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

struct block { uintptr_t start; size_t size; };

/* The latest operation seen on each address: whichever came last in time decides
 * whether a block lives there at exit. Threads' chunks are read one after the
 * other, so the time stamp (then the reading order, which keeps each thread's
 * order) says which operation was last; no global sort is needed. */
struct latest { uint64_t address, ts, order, size; }; /* order: the sequence number << 1, | 1 for an allocation */
/* 32 bytes: two to a cache line, none across two (at 40 bytes, 3 in 8 were). */
_Static_assert(sizeof(struct latest) == 32, "struct latest: two to a cache line");
static inline bool is_alloc(const struct latest *e) { return e->order & 1; }
struct ops { struct latest *items; size_t count, capacity; uint64_t seq; };

static struct block *blocks; /* the live blocks of the scan under way, by start address */
static size_t block_count;

static void *map_anonymous(size_t bytes) {
    void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* Blocks close in memory get slots close in the table (a 1 KiB window of addresses maps to
 * consecutive slots, each window at its own hashed offset): the replay's operations on
 * neighbouring and recently reused blocks then share cache lines instead of each missing.
 * The windows were 1 MiB until 2026-12-08: each a run of 65,536 slots, which overlapped
 * into clusters that linear probing walked, on a dense heap, for 1,370 slots an insert on
 * average (Debian's python3: 72% of the recorded program's time in `push`, 51 s against
 * 3 s). With 1 KiB, 1.2 (the same 1.78 million addresses; perl 1.9, clang 1.1). */
static size_t slot_of(uint64_t address, size_t capacity) {
    uint64_t window = ((address >> 10) * 0x9E3779B97F4A7C15ull) >> 40;
    return (size_t)((address >> 4) + window) & (capacity - 1);
}

static bool grow(struct ops *o) {
    size_t capacity = o->capacity ? o->capacity * 2 : 4096; /* walked at every scan: no bigger than needed */
    struct latest *items = map_anonymous(capacity * sizeof *items);
    if (!items) return false;
    for (size_t i = 0; i < o->capacity; i++) {
        if (!o->items[i].address) continue;
        size_t slot = slot_of(o->items[i].address, capacity);
        while (items[slot].address) slot = (slot + 1) & (capacity - 1);
        items[slot] = o->items[i];
    }
    if (o->items) munmap(o->items, o->capacity * sizeof *o->items);
    o->items = items;
    o->capacity = capacity;
    return true;
}

static bool push(struct ops *o, uint64_t ts, uint64_t address, uint64_t size, int alloc) {
    if (ts < ms_image_start) return true; /* a block of an image replaced by exec: gone */
    if ((o->count + 1) * 2 > o->capacity && !grow(o)) return false;
    uint64_t seq = ++o->seq;
    size_t slot = slot_of(address, o->capacity);
    while (o->items[slot].address && o->items[slot].address != address) slot = (slot + 1) & (o->capacity - 1);
    struct latest *e = &o->items[slot];
    if (!e->address) {
        o->count++;
    } else if (e->ts > ts || (e->ts == ts && (e->order >> 1) > seq)) {
        return true; /* an earlier operation, read after a later one */
    }
    *e = (struct latest){address, ts, seq << 1 | (alloc != 0), size};
    return true;
}

static const uint8_t *get(const uint8_t *p, const uint8_t *end, uint64_t *out) {
    uint64_t v = 0;
    for (unsigned shift = 0; p < end; shift += 7) {
        uint8_t b = *p++;
        if (shift < 64) v |= (uint64_t)(b & 0x7f) << shift;
        if (b < 0x80) { *out = v; return p; }
    }
    return NULL;
}

/* get() for the fields of heap events, nearly all of a spool: a field of up to 8 bytes
 * (every value below 2^56) decoded from one unaligned load, without a loop. */
static inline const uint8_t *get_fast(const uint8_t *p, const uint8_t *end, uint64_t *out) {
    if (__builtin_expect(end - p >= 8, 1)) {
        uint64_t w;
        memcpy(&w, p, 8);
        uint64_t stops = ~w & 0x8080808080808080ull;
        if (__builtin_expect(stops != 0, 1)) {
            unsigned n = ((unsigned)__builtin_ctzll(stops) >> 3) + 1;
            /* The eight 7-bit groups packed together: pairs, then fours, then eights. */
            uint64_t v = w & 0x7f7f7f7f7f7f7f7full;
            v = (v & 0x007f007f007f007full) | ((v >> 1) & 0x3f803f803f803f80ull);
            v = (v & 0x00003fff00003fffull) | ((v >> 2) & 0x0fffc0000fffc000ull);
            v = (v & 0x000000000fffffffull) | ((v >> 4) & 0x00fffffff0000000ull);
            *out = v & ((1ull << (7 * n)) - 1);
            return p + n;
        }
    }
    return get(p, end, out);
}

/* Steps over `fields` (1 or 2) fields without decoding them. */
static inline const uint8_t *skip_fast(const uint8_t *p, const uint8_t *end, int fields) {
    if (__builtin_expect(end - p >= 8, 1)) {
        uint64_t w;
        memcpy(&w, p, 8);
        uint64_t stops = ~w & 0x8080808080808080ull;
        if (fields == 2) stops &= stops - 1;
        if (__builtin_expect(stops != 0, 1)) return p + ((unsigned)__builtin_ctzll(stops) >> 3) + 1;
    }
    uint64_t ignored;
    for (int i = 0; i < fields && p; i++) p = get(p, end, &ignored);
    return p;
}

/* Steps over any number of fields, counting their last bytes 8 at a time: a scan's
 * references, a stack's return addresses, a dying block's words. */
static const uint8_t *skip_fields(const uint8_t *p, const uint8_t *end, uint64_t fields) {
    while (fields && end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        uint64_t stops = ~w & 0x8080808080808080ull;
        uint64_t n = ((stops >> 7) * 0x0101010101010101ull) >> 56; /* last bytes among the 8 */
        if (n >= fields) {
            while (--fields) stops &= stops - 1;
            return p + ((unsigned)__builtin_ctzll(stops) >> 3) + 1;
        }
        fields -= n;
        p += 8;
    }
    uint64_t ignored;
    for (; fields && p; fields--) p = get(p, end, &ignored);
    return p;
}

static const uint8_t *skip_string(const uint8_t *p, const uint8_t *end) {
    uint64_t n;
    p = get(p, end, &n);
    return p && n <= (uint64_t)(end - p) ? p + n : NULL;
}

/* Heap operations of one chunk, in order. Returns false on a malformed chunk. */
static bool collect_chunk(const uint8_t *p, const uint8_t *end, struct ops *o) {
    static const int plain_fields[] = {
        [MS_EV_THREAD_START] = 2, [MS_EV_THREAD_EXIT] = 1, [MS_EV_FORK] = 2, [MS_EV_SCOPE_EXIT] = 1,
        [MS_EV_TASK_ENTER] = 2, [MS_EV_TASK_EXIT] = 1, [MS_EV_REFERENCE] = 4, [MS_EV_ROOT] = 3,
        [MS_EV_END] = 3, [MS_EV_SCAN] = 2,
    };
    while (p && p < end) {
        uint8_t tag = *p++;
        uint64_t f[5];
        switch (tag) {
        case MS_EV_ALLOC: /* ts addr size kind stack */
            for (int i = 0; i < 3 && p; i++) p = get_fast(p, end, &f[i]);
            if (p) p = skip_fast(p, end, 2);
            if (p && f[1] && !push(o, f[0], f[1], f[2], 1)) return false;
            break;
        case MS_EV_FREE: /* ts addr stack */
            for (int i = 0; i < 2 && p; i++) p = get_fast(p, end, &f[i]);
            if (p) p = skip_fast(p, end, 1);
            if (p && !push(o, f[0], f[1], 0, 0)) return false;
            break;
        case MS_EV_REALLOC: /* ts old new size stack */
            for (int i = 0; i < 5 && p; i++) p = get_fast(p, end, &f[i]);
            if (!p) break;
            if (f[2] == 0 && f[3] > 0) break; /* failed: the old block stays */
            if (f[1] && !push(o, f[0], f[1], 0, 0)) return false;
            if (f[2] && !push(o, f[0], f[2], f[3], 1)) return false;
            break;
        case MS_EV_STACK: {
            uint64_t depth;
            for (int i = 0; i < 2 && p; i++) p = get(p, end, &f[i]);
            if (p) p = get(p, end, &depth);
            if (p) p = skip_fields(p, end, depth);
            break;
        }
        case MS_EV_THREAD_NAME:
            for (int i = 0; i < 2 && p; i++) p = get(p, end, &f[i]);
            if (p) p = skip_string(p, end);
            break;
        case MS_EV_MODULE:
            for (int i = 0; i < 5 && p; i++) p = get(p, end, &f[0]);
            if (p) p = skip_string(p, end);
            if (p) p = skip_string(p, end);
            break;
        case MS_EV_IMAGE: /* ts generation exe argv truncated */
            for (int i = 0; i < 2 && p; i++) p = get(p, end, &f[0]);
            if (p) p = skip_string(p, end);
            if (p) p = skip_string(p, end);
            if (p) p = get(p, end, &f[0]);
            break;
        case MS_EV_ANNOTATE:
            for (int i = 0; i < 2 && p; i++) p = get(p, end, &f[0]);
            if (p) p = skip_string(p, end);
            if (p) p = skip_string(p, end);
            break;
        case MS_EV_WORDS: {
            uint64_t count;
            for (int i = 0; i < 2 && p; i++) p = get(p, end, &f[0]);
            if (p) p = get(p, end, &count);
            if (p) p = skip_fields(p, end, 2 * count);
            break;
        }
        case MS_EV_SCOPE_ENTER:
            if (p) p = get(p, end, &f[0]);
            if (p) p = skip_string(p, end);
            break;
        default:
            if (tag >= sizeof plain_fields / sizeof plain_fields[0] || !plain_fields[tag]) return false;
            p = skip_fields(p, end, (uint64_t)plain_fields[tag]);
        }
    }
    return true;
}

/* Sorts blocks by start address: least significant digit first, 11 bits of the address
 * (from bit 4: blocks are 16-aligned) a pass, a pass skipped when every block has the same
 * digit there. `spare` holds as many blocks. Returns where the sorted blocks are. */
static uint32_t counts[2048];
static struct block *sort_blocks(struct block *items, struct block *spare, size_t n) {
    for (unsigned shift = 4; shift < 48; shift += 11) {
        memset(counts, 0, sizeof counts);
        for (size_t i = 0; i < n; i++) counts[(items[i].start >> shift) & 2047]++;
        if (n && counts[(items[0].start >> shift) & 2047] == n) continue;
        uint32_t sum = 0;
        for (size_t d = 0; d < 2048; d++) {
            uint32_t c = counts[d];
            counts[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) spare[counts[(items[i].start >> shift) & 2047]++] = items[i];
        struct block *t = items;
        items = spare;
        spare = t;
    }
    return items;
}

/* What one scan leaves for the next: the latest operation on each address and, per chunk
 * of the spool, how far it was replayed. A chunk's new events are read with pread, from there
 * to what its thread has published (only its header's page is mapped, for a moment: mapping
 * each whole chunk at every scan cost page faults and munmaps, and mapped pages would count
 * in the program's resident set). A chunk is finished
 * once its thread has taken a later one (threads fill their chunks one at a time); finished
 * chunks below `first_open` are not looked at again. A fork child, which writes a spool of
 * its own, starts again (`epoch`); after exec the new image's recorder does. */
#define CHUNK_SEEN 0x80000000u     /* done[i]: its thread is known; the low bits: bytes replayed */
#define CHUNK_FINISHED 0xffffffffu /* done[i]: replayed to its end, and its thread writes elsewhere */
struct thread_chunk { uint64_t tid, chunk; }; /* a thread's latest chunk (tid 0: empty slot) */
static struct {
    uint32_t epoch;
    struct ops ops;
    uint32_t *done;
    uint64_t done_capacity, first_open;
    struct thread_chunk *latest;
    size_t latest_count, latest_capacity;
    uint8_t *buffer; /* MS_CHUNK_SIZE bytes: a chunk's new events */
    struct block *blocks;
    size_t blocks_capacity;
    struct block *starts; /* the live blocks by start address (index_starts) */
    size_t starts_capacity, starts_used; /* starts_used: this scan's slots, 0 outside a scan */
    uint8_t *first_states; /* per live block (starts_with_vtable) */
    size_t first_states_capacity;
} kept;

static void forget_kept(void) {
    if (kept.ops.items) munmap(kept.ops.items, kept.ops.capacity * sizeof *kept.ops.items);
    if (kept.done) munmap(kept.done, kept.done_capacity * sizeof *kept.done);
    if (kept.latest) munmap(kept.latest, kept.latest_capacity * sizeof *kept.latest);
    if (kept.buffer) munmap(kept.buffer, MS_CHUNK_SIZE);
    if (kept.blocks) munmap(kept.blocks, kept.blocks_capacity * sizeof *kept.blocks);
    if (kept.starts) munmap(kept.starts, kept.starts_capacity * sizeof *kept.starts);
    if (kept.first_states) munmap(kept.first_states, kept.first_states_capacity);
    memset(&kept, 0, sizeof kept);
}

static bool replay_chunk(int fd, uint64_t chunk);

/* A thread's later chunk seen: its earlier one is complete, replayed to its end now. */
static bool note_thread_chunk(int fd, uint32_t tid, uint64_t chunk) {
    if ((kept.latest_count + 1) * 2 > kept.latest_capacity) {
        size_t capacity = kept.latest_capacity ? kept.latest_capacity * 2 : 256;
        struct thread_chunk *table = map_anonymous(capacity * sizeof *table);
        if (!table) return false;
        for (size_t i = 0; i < kept.latest_capacity; i++) {
            if (!kept.latest[i].tid) continue;
            size_t slot = (kept.latest[i].tid * 0x9E3779B1u) & (capacity - 1);
            while (table[slot].tid) slot = (slot + 1) & (capacity - 1);
            table[slot] = kept.latest[i];
        }
        if (kept.latest) munmap(kept.latest, kept.latest_capacity * sizeof *kept.latest);
        kept.latest = table;
        kept.latest_capacity = capacity;
    }
    size_t slot = (tid * 0x9E3779B1u) & (kept.latest_capacity - 1);
    while (kept.latest[slot].tid && kept.latest[slot].tid != tid) slot = (slot + 1) & (kept.latest_capacity - 1);
    struct thread_chunk *t = &kept.latest[slot];
    if (!t->tid) {
        kept.latest_count++;
    } else if (t->chunk < chunk) {
        if (!replay_chunk(fd, t->chunk)) return false;
        kept.done[t->chunk] = CHUNK_FINISHED;
    }
    *t = (struct thread_chunk){tid, chunk};
    return true;
}

#define HEADER_PAGE 4096 /* a chunk's first page, which holds its header */

/* Replays a chunk's events published since the last scan. False when the spool cannot be read. */
static bool replay_chunk(int fd, uint64_t chunk) {
    uint32_t done = kept.done[chunk];
    if (done == CHUNK_FINISHED) return true;
    off_t offset = (off_t)MS_SPOOL_HEADER_SIZE + (off_t)chunk * MS_CHUNK_SIZE;
    /* The header is read from a mapping of its page, with the acquire load its writer's release
     * store pairs with: a pread copies bytes in no particular width and could tear `used`. */
    const struct ms_chunk_header *h = mmap(NULL, HEADER_PAGE, PROT_READ, MAP_SHARED, fd, offset);
    if (h == MAP_FAILED) return false;
    struct ms_chunk_header c = {__atomic_load_n(&h->tid, __ATOMIC_RELAXED), __atomic_load_n(&h->used, __ATOMIC_ACQUIRE)};
    munmap((void *)h, HEADER_PAGE);
    if (!c.tid) return true; /* taken, not set up yet */
    if (c.used > MS_CHUNK_SIZE - MS_CHUNK_HEADER_SIZE) {
        kept.done[chunk] = CHUNK_FINISHED; /* malformed: left out */
        return true;
    }
    if (!(done & CHUNK_SEEN)) {
        kept.done[chunk] = done = CHUNK_SEEN;
        if (!note_thread_chunk(fd, c.tid, chunk)) return false;
    }
    uint32_t from = done & ~CHUNK_SEEN;
    if (c.used <= from) return true;
    size_t n = c.used - from;
    if (pread(fd, kept.buffer, n, offset + MS_CHUNK_HEADER_SIZE + from) != (ssize_t)n) return false;
    bool ok = collect_chunk(kept.buffer, kept.buffer + n, &kept.ops);
    kept.done[chunk] = ok ? (CHUNK_SEEN | c.used) : CHUNK_FINISHED; /* a malformed chunk: the rest left out */
    return true;
}

/* A free in the direct pushes: the address's entry goes (backward-shift deletion, so that
 * no probe sequence is cut), instead of staying as a dead block's latest operation. Dead
 * entries are needed only to put a thread's earlier operation, replayed after another
 * thread's later free, in its place; a direct push comes from the process's only thread ever,
 * in its order, with nothing of another thread left to replay. So the table holds the live
 * blocks (plus the dead ones of the first replay), not every address the program ever used:
 * Debian's python3 used 1.78 million (4 million slots, 160 MB of its resident set at 40 bytes
 * a slot) where at most 0.9 million blocks were live at once. */
static bool forget(struct ops *o, uint64_t ts, uint64_t address) {
    if (ts < ms_image_start || !o->items) return true;
    size_t mask = o->capacity - 1, hole = slot_of(address, o->capacity);
    while (o->items[hole].address && o->items[hole].address != address) hole = (hole + 1) & mask;
    if (!o->items[hole].address) return true; /* not known (allocated before the recording): nothing to forget */
    if (o->items[hole].ts > ts) return true;  /* a later operation is there already */
    for (size_t next = (hole + 1) & mask; o->items[next].address; next = (next + 1) & mask) {
        size_t home = slot_of(o->items[next].address, o->capacity);
        /* The entry at `next` may fill the hole when its home is not in (hole, next], cyclically. */
        bool stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
        if (stays) continue;
        o->items[hole] = o->items[next];
        hole = next;
    }
    o->items[hole] = (struct latest){0};
    o->count--;
    return true;
}

/* Direct pushes. While the process has one thread, each heap operation goes into the table
 * from the hook that published it, instead of being decoded again by the next scan's replay
 * (about a fifth of a recorded program's instructions on bench-record.c). The hook only
 * notes the operation in its thread's pending list (ms_self.direct, recorder.h: a few stores);
 * every MS_DIRECT_PENDING operations, before a scan and when the thread takes another chunk,
 * the list goes into the table at once, under the scans' own lock, taken with one exchange
 * for the whole list (an exchange per event drained the store buffer, full of the spool's
 * writes: 4% of a recorded bench-record.c's samples), its slots prefetched first (their cache
 * misses overlap instead of coming one after another: 5% of the samples). Allowed only when
 * every byte of the chunk before the list's first event is accounted for (done == SEEN |
 * start) and the list's events follow one another in the chunk, so the table gets each
 * operation once and in the thread's order, whichever of the two put it there; the replay
 * then goes on from the chunk's mark. A list not put in (another thread scanning, a scan's
 * replay having read its events first, a fork child's copy of its parent's) is dropped: its
 * events are in the spool, past the chunk's mark, and the replay reads them. A chunk the
 * thread takes is marked seen at once (and its previous one replayed to its end and
 * finished), as the replay would. Nothing here before the first scan has set the table up,
 * in a fork child before its own first scan, or once a second thread exists. */
int ms_scan_direct_on;

static inline bool direct_ready(uint64_t chunk) {
    return kept.epoch == ms_spool_epoch && kept.done && chunk < kept.done_capacity &&
           !__atomic_load_n(&ms_threaded, __ATOMIC_RELAXED);
}

/* Empties the thread's list. The addresses go too: the list is in the thread's TLS, which a
 * scan reads as a root, and a block's address left there would count as a reference to it. */
static void drop_direct(struct ms_direct_list *d) {
    for (uint32_t i = 0; i < d->count; i++) d->ops[i].address = 0;
    d->count = 0;
}

/* Puts the thread's pending operations into the table; the caller holds the scans' lock. */
static void flush_direct_locked(void) {
    struct ms_direct_list *d = &ms_self.direct;
    if (d->count && d->epoch == ms_spool_epoch && direct_ready(d->chunk) && kept.done[d->chunk] == (CHUNK_SEEN | d->start)) {
        bool ok = true;
        /* A free removes the address's entry (forget): the list comes from the process's only
         * thread ever, in its order. */
        for (uint32_t i = 0; i < d->count && ok; i++)
            ok = d->ops[i].alloc ? push(&kept.ops, d->ops[i].ts, d->ops[i].address, d->ops[i].size, 1)
                                 : forget(&kept.ops, d->ops[i].ts, d->ops[i].address);
        if (ok) kept.done[d->chunk] = CHUNK_SEEN | d->end; /* else the replay reads them again (the same operations) */
    }
    drop_direct(d);
}

void ms_scan_direct_drop(void) {
    drop_direct(&ms_self.direct);
}

static void flush_direct(void) {
    struct ms_direct_list *d = &ms_self.direct;
    if (!d->count) return;
    if (d->epoch != ms_spool_epoch || !direct_ready(d->chunk) || kept.done[d->chunk] != (CHUNK_SEEN | d->start)) {
        drop_direct(d);
        return;
    }
    for (uint32_t i = 0; i < d->count; i++)
        __builtin_prefetch(&kept.ops.items[slot_of(d->ops[i].address, kept.ops.capacity)], 1);
    if (__atomic_exchange_n(&ms_scan_running, 1, __ATOMIC_ACQUIRE)) {
        drop_direct(d); /* another thread is scanning: left to the replay */
        return;
    }
    flush_direct_locked();
    __atomic_store_n(&ms_scan_running, 0, __ATOMIC_RELEASE);
}

static inline void note_direct(uint64_t ts, uint64_t address, uint64_t size, uint64_t alloc) {
    struct ms_direct_list *d = &ms_self.direct;
    d->ops[d->count++] = (struct ms_direct_op){ts, address, size, alloc};
}

void ms_scan_direct_op(int op, uint32_t start, uint32_t end, uint64_t ts, uintptr_t old, uintptr_t address, uint64_t size) {
    struct ms_direct_list *d = &ms_self.direct;
    uint64_t chunk = ms_self.chunk_index;
    /* The list holds consecutive events of one chunk of this process's spool. */
    if (d->count && (d->chunk != chunk || d->end != start || d->epoch != ms_spool_epoch)) flush_direct();
    if (!d->count) {
        if (!direct_ready(chunk) || kept.done[chunk] != (CHUNK_SEEN | start)) return;
        d->epoch = ms_spool_epoch;
        d->chunk = chunk;
        d->start = start;
    }
    switch (op) { /* as collect_chunk replays them */
    case MS_DIRECT_ALLOC:
        if (address) note_direct(ts, address, size, 1);
        break;
    case MS_DIRECT_FREE:
        note_direct(ts, old, 0, 0);
        break;
    default:
        if (address == 0 && size > 0) break; /* failed: the old block stays */
        if (old) note_direct(ts, old, 0, 0);
        if (address) note_direct(ts, address, size, 1);
    }
    d->end = end;
    if (d->count > MS_DIRECT_PENDING - 2) flush_direct(); /* room for a realloc's two */
}

void ms_scan_chunk_taken(uint64_t index, uint32_t tid) {
    flush_direct(); /* the list is of the thread's previous chunk */
    if (!direct_ready(index) || kept.done[index] != 0) return;
    if (__atomic_exchange_n(&ms_scan_running, 1, __ATOMIC_ACQUIRE)) return;
    if (kept.done[index] == 0) {
        kept.done[index] = CHUNK_SEEN;
        if (!note_thread_chunk(ms_spool_fd(), tid, index)) kept.done[index] = 0; /* left to the replay */
    }
    __atomic_store_n(&ms_scan_running, 0, __ATOMIC_RELEASE);
}

/* Brings the table of latest operations up to what the spool holds now. */
static bool replay_spool(void) {
    struct ms_spool_header *h = ms_spool_header();
    if (!h) return false;
    if (kept.epoch != ms_spool_epoch) {
        forget_kept(); /* a fork child's copy of its parent's */
        kept.epoch = ms_spool_epoch;
    }
    if (!kept.done) {
        kept.done_capacity = h->max_chunks;
        kept.done = map_anonymous(kept.done_capacity * sizeof *kept.done);
        kept.buffer = map_anonymous(MS_CHUNK_SIZE);
        if (!kept.done || !kept.buffer) return false;
    }
    /* From now on the hooks put operations into the table (a fork child's copy of the flag stays
     * on: direct_ready checks the epoch). MEMSCOPE_SCAN_DIRECT=0: every operation replayed. */
    static int direct_off = -1;
    if (direct_off < 0) {
        const char *value = getenv("MEMSCOPE_SCAN_DIRECT");
        direct_off = value && strcmp(value, "0") == 0;
    }
    if (!direct_off) __atomic_store_n(&ms_scan_direct_on, 1, __ATOMIC_RELAXED);
    uint64_t chunks = __atomic_load_n(&h->next_chunk, __ATOMIC_ACQUIRE);
    if (chunks > kept.done_capacity) chunks = kept.done_capacity;
    int fd = ms_spool_fd();
    for (uint64_t i = kept.first_open; i < chunks; i++)
        if (!replay_chunk(fd, i)) break;
    while (kept.first_open < chunks && kept.done[kept.first_open] == CHUNK_FINISHED) kept.first_open++;
    return true;
}

/* The blocks whose address's last operation is an allocation, sorted by address, into
 * `blocks`. Returns how many. */
static size_t live_blocks(void) {
    struct ops *o = &kept.ops;
    size_t half = kept.blocks_capacity / 2;
    if (half < o->count || !kept.blocks) {
        if (kept.blocks) munmap(kept.blocks, kept.blocks_capacity * sizeof *kept.blocks);
        half = o->capacity / 2 > o->count ? o->capacity / 2 : o->count + 1;
        kept.blocks_capacity = 2 * half; /* the blocks, and as many for sorting them */
        kept.blocks = map_anonymous(kept.blocks_capacity * sizeof *kept.blocks);
        if (!kept.blocks) {
            kept.blocks_capacity = 0;
            return 0;
        }
    }
    size_t n = 0;
    for (size_t i = 0; i < o->capacity; i++)
        if (o->items[i].address && is_alloc(&o->items[i])) kept.blocks[n++] = (struct block){o->items[i].address, o->items[i].size};
    blocks = sort_blocks(kept.blocks, kept.blocks + half, n);
    return n;
}

/* Reads go through process_vm_readv (see scan_range). */
static bool careful_reads;
static pid_t scan_pid; /* getpid() once per scan, not once per read */

/* True when some live block starts in [start, end). */
static bool holds_blocks(uintptr_t start, uintptr_t end) {
    size_t low = 0, high = block_count;
    while (low < high) {
        size_t mid = (low + high) / 2;
        if (blocks[mid].start < start) low = mid + 1; else high = mid;
    }
    return low < block_count && blocks[low].start < end;
}

/* The live blocks of this scan by start address, at most half full: a word equal to a
 * block's start (most pointers) is found in one probe. The replay's table of every address
 * ever used answered that before, 40 bytes a slot for dead blocks too: on a recorded perl,
 * whose 53 MB of live memory at exit is mostly pointers, the probe's cache miss was 55% of
 * the exit scan. Returns false (the binary search answers alone) when it cannot be mapped. */
static struct block *starts; /* this scan's table: kept.starts, or the sort's spare half */

static bool index_starts(size_t count) {
    size_t capacity = 1024;
    while (capacity < 2 * count) capacity *= 2;
    /* The sort's spare half of kept.blocks, when a power of two of it keeps the table at most
     * two thirds full (as it mostly does: the half is at least the table of operations' half);
     * else a mapping of its own, kept for the next scans. */
    size_t half = kept.blocks_capacity / 2, spare = 1;
    while (spare * 2 <= half) spare *= 2;
    if (half && count * 3 <= spare * 2) {
        starts = blocks == kept.blocks ? kept.blocks + half : kept.blocks;
        capacity = spare;
    } else {
        if (capacity > kept.starts_capacity) {
            if (kept.starts) munmap(kept.starts, kept.starts_capacity * sizeof *kept.starts);
            kept.starts = map_anonymous(capacity * sizeof *kept.starts);
            kept.starts_capacity = kept.starts ? capacity : 0;
            if (!kept.starts) return false;
        }
        starts = kept.starts;
    }
    kept.starts_used = capacity;
    memset(starts, 0, capacity * sizeof *starts);
    for (size_t i = 0; i < count; i++) {
        size_t slot = slot_of(blocks[i].start, capacity);
        while (starts[slot].start) slot = (slot + 1) & (capacity - 1);
        starts[slot] = blocks[i];
    }
    return true;
}

/* kept.first_states for this scan's `count` blocks, all "not known yet"; NULL (every
 * interior pointer tested in full) when it cannot be mapped. */
static void clear_first_states(size_t count) {
    if (count > kept.first_states_capacity) {
        if (kept.first_states) munmap(kept.first_states, kept.first_states_capacity);
        size_t capacity = count < 4096 ? 4096 : count * 2;
        kept.first_states = map_anonymous(capacity);
        kept.first_states_capacity = kept.first_states ? capacity : 0;
    }
    if (kept.first_states) memset(kept.first_states, 0, count);
}

/* The block whose range holds `value` (a zero-size block holds only its start), or NULL: an
 * entry of the live blocks' table, or of `blocks` (always for an interior pointer).
 * Most words that point into a block point to its start: the live blocks' table finds those
 * in one probe, near where the last one was. The others are searched for. */
static const struct block *block_at(uintptr_t value) {
    size_t capacity = kept.starts_used;
    for (size_t slot = slot_of(value, capacity); capacity; slot = (slot + 1) & (capacity - 1)) {
        const struct block *e = &starts[slot];
        if (e->start == value) return e;
        if (!e->start) break;
    }
    if (!block_count || value < blocks[0].start) return NULL;
    /* The last block starting at or below `value`, without a branch to mispredict (a
     * heap's pointers go every which way): a conditional move per halving. */
    const struct block *b = blocks;
    for (size_t n = block_count; n > 1; n -= n / 2)
        b = b[n / 2].start <= value ? b + n / 2 : b;
    if (value != b->start && value >= b->start + b->size) return NULL;
    return b;
}

static void emit_reference(uint8_t tag, uint64_t from_or_region, uintptr_t to, uintptr_t word) {
    uint8_t *e = ms_event_begin(48);
    if (!e) return;
    *e++ = tag;
    if (tag == MS_EV_REFERENCE) {
        e = ms_put(e, from_or_region);
        e = ms_put(e, to);
        e = ms_put(e, word == to ? 0 : 1);
        e = ms_put(e, word - to);
    } else {
        e = ms_put(e, to);
        e = ms_put(e, word - to);
        e = ms_put(e, from_or_region);
    }
    ms_event_end(e);
}

/* Scans [start, end) word by word; each distinct target once per (source, start/interior). */
/* Other threads may free and unmap memory under the scan (while the program runs,
 * or even during exit): such reads go through process_vm_readv, which fails
 * instead of faulting. That is every read of an on-demand scan, and at exit the
 * roots and the large blocks (glibc unmaps those when they are freed). */
static uintptr_t read_buffer[8192];

/* File-backed mappings (from /proc/self/maps), for the multipleinheritance
 * heuristic's test of a vtable: read-only or executable parts of modules. */
struct file_map { uintptr_t start, end; bool readable, executable; };
static struct file_map *file_maps;
static size_t file_map_count, file_map_capacity;

static const struct file_map *file_map_at(uintptr_t address) {
    size_t low = 0, high = file_map_count;
    while (low < high) {
        size_t mid = (low + high) / 2;
        if (file_maps[mid].end <= address) low = mid + 1; else high = mid;
    }
    return low < file_map_count && file_maps[low].start <= address ? &file_maps[low] : NULL;
}

/* Reads one word; through process_vm_readv when the memory may go away under the scan. */
static bool read_word(uintptr_t address, bool careful, uintptr_t *out) {
    if (!careful) { *out = *(const uintptr_t *)address; return true; }
    struct iovec local = {out, sizeof *out}, remote = {(void *)address, sizeof *out};
    return process_vm_readv(scan_pid, &local, 1, &remote, 1, 0) == (ssize_t)sizeof *out;
}

/* memcheck's aligned_ptr_above_page0_is_vtable_addr: `p` lies in a readable file
 * mapping and the first of its (up to 20) words that are not null are at least two
 * pointers into executable file mappings. */
static bool looks_like_vtable(uintptr_t p) {
    const struct file_map *m = file_map_at(p);
    if (!m || !m->readable) return false;
    uintptr_t last = p + 20 * sizeof(uintptr_t);
    if (last > m->end - sizeof(uintptr_t)) last = m->end - sizeof(uintptr_t);
    int functions = 0;
    for (uintptr_t at = p; at <= last; at += sizeof(uintptr_t)) {
        uintptr_t f;
        if (!read_word(at, careful_reads, &f)) return false;
        if (!f) continue;
        const struct file_map *code = file_map_at(f);
        if (!code || !code->executable) return false;
        if (++functions == 2) return true;
    }
    return false;
}

/* Whether a block's first word is a vtable address, per live block of the scan under way
 * (by its index in `blocks`: 0 not known yet, 1 no, 2 yes; kept.first_states, cleared by each
 * scan). The multipleinheritance test asks it for every interior pointer, and a perl's heap
 * at exit is mostly interior pointers into a few thousand arenas, whose first words are no
 * vtables: reading each one's first word again, and the word the pointer points to, was a
 * cache miss per pointer (most of the exit scan). */
static bool first_word_is_vtable(const struct block *b, bool careful) {
    const size_t w = sizeof(uintptr_t);
    uintptr_t first;
    return read_word(b->start, careful, &first) && (first & (w - 1)) == 0 && first >= 4096 && looks_like_vtable(first);
}

static bool starts_with_vtable(const struct block *b, bool careful) {
    uintptr_t at = (uintptr_t)b, first_block = (uintptr_t)blocks;
    if (!kept.first_states || at < first_block || at >= first_block + block_count * sizeof *b)
        return first_word_is_vtable(b, careful); /* no slot to keep the answer in */
    size_t index = (at - first_block) / sizeof *b;
    if (!kept.first_states[index]) kept.first_states[index] = first_word_is_vtable(b, careful) ? 2 : 1;
    return kept.first_states[index] == 2;
}

/* memcheck's leak-check heuristics (--leak-check-heuristics, default all): an
 * interior pointer of one of these shapes counts as a pointer to the block's start.
 *   stdstring: at offset 24 of a block [length, capacity, refcount, chars..., 0]
 *              of size 24 + capacity + 1 with length <= capacity (old-ABI std::string);
 *   length64:  at offset 8 of a block whose first word is its size - 8 (sqlite3MemMalloc);
 *   newarray:  at offset 8 of a block whose first word n > 0 has (size - 8) / n > 0
 *              (the element count of new[] for elements with a destructor);
 *   multipleinheritance: an aligned pointer to a word holding a vtable address, in a
 *              block whose first word holds a vtable address too. */
static bool heuristic_start(const struct block *b, uintptr_t word) {
    const size_t w = sizeof(uintptr_t);
    bool careful = careful_reads || b->size >= 65536;
    if (b->size < w) return false;
    if (word == b->start + 3 * w || word == b->start + w) {
        uintptr_t first, second;
        if (!read_word(b->start, careful, &first)) return false;
        if (word == b->start + 3 * w && b->size >= 2 * w && read_word(b->start + w, careful, &second)) {
            if (3 * w + second + 1 == b->size && first <= second) return true; /* stdstring */
        }
        if (word == b->start + w) {
            if (first > 0 && b->size - w == first) return true;      /* length64 */
            if (first > 0 && (b->size - w) / first > 0) return true; /* newarray */
        }
    }
    if ((word & (w - 1)) == 0 && word + w <= b->start + b->size) { /* multipleinheritance */
        uintptr_t inner;
        if (starts_with_vtable(b, careful) && read_word(word, careful, &inner) && (inner & (w - 1)) == 0 &&
            inner >= 4096 && looks_like_vtable(inner))
            return true;
    }
    return false;
}

/* Words read by the scan under way: its cost, in a unit that is the same from run to run. */
static uint64_t words_read;

static void scan_words(const uintptr_t *words, size_t count, uint8_t tag, uint64_t source,
                       uintptr_t *last_to, uintptr_t *last_word) {
    words_read += count;
    for (size_t i = 0; i < count; i++) {
        uintptr_t word = words[i];
        if (word < blocks[0].start || !ms_in_heap_granule(word)) continue; /* no block there: no search */
        const struct block *found = block_at(word);
        if (!found || (tag == MS_EV_REFERENCE && found->start == source)) continue;
        struct block b = *found;
        /* glibc lets a block's last 8 bytes overlap the next chunk's header; a
         * 16-aligned word pointing there is the allocator's pointer to that chunk
         * (its bins, its top chunk), not a reference to this block. */
        if (word != b.start && (word & 15) == 0 && word + 8 >= b.start + b.size) continue;
        /* An interior pointer that one of memcheck's heuristics accepts is written as
         * a start pointer (the record has no field to say "via heuristic"). */
        if (word != b.start && heuristic_start(found, word)) word = b.start;
        if (b.start == *last_to && (word == b.start) == (*last_word == b.start)) continue;
        *last_to = b.start;
        *last_word = word;
        emit_reference(tag, source, b.start, word);
    }
}

static void scan_range(uintptr_t start, uintptr_t end, uint8_t tag, uint64_t source) {
    start = (start + sizeof(uintptr_t) - 1) & ~(uintptr_t)(sizeof(uintptr_t) - 1);
    if (end < start + sizeof(uintptr_t)) return;
    size_t count = (end - start) / sizeof(uintptr_t);
    uintptr_t last_to = 0, last_word = 0;
    if (!careful_reads && (tag == MS_EV_REFERENCE && end - start < 65536)) {
        scan_words((const uintptr_t *)start, count, tag, source, &last_to, &last_word);
        return;
    }
    size_t capacity = sizeof read_buffer / sizeof read_buffer[0];
    for (size_t done = 0; done < count;) {
        size_t n = count - done < capacity ? count - done : capacity;
        struct iovec local = {read_buffer, n * sizeof(uintptr_t)};
        struct iovec remote = {(void *)(start + done * sizeof(uintptr_t)), n * sizeof(uintptr_t)};
        ssize_t got = process_vm_readv(scan_pid, &local, 1, &remote, 1, 0);
        if (got <= 0) return; /* gone meanwhile */
        scan_words(read_buffer, (size_t)got / sizeof(uintptr_t), tag, source, &last_to, &last_word);
        done += (size_t)got / sizeof(uintptr_t);
    }
}

/* The live blocks' words. Blocks of 64 KiB or more (glibc unmaps those when they are
 * freed) go through scan_range's careful reads; smaller ones are read in place when
 * `in_place` (at exit, and while the program runs if it has one thread: then nothing can
 * free them under the scan, which runs inside an allocator call), else many to a
 * process_vm_readv call, one iovec a block, up to read_buffer's 64 KiB: a call per block
 * was most of a running scan's cost. A block the call could not read (freed and unmapped
 * meanwhile) is left out, as before. */
#define BATCH_BLOCKS 256
static void scan_blocks(bool in_place) {
    struct iovec remote[BATCH_BLOCKS];
    size_t i = 0;
    while (i < block_count) {
        const struct block *b = &blocks[i];
        size_t bytes = b->size & ~(size_t)(sizeof(uintptr_t) - 1);
        if (b->size >= 65536) {
            scan_range(b->start, b->start + b->size, MS_EV_REFERENCE, b->start);
            i++;
            continue;
        }
        if (in_place) {
            uintptr_t last_to = 0, last_word = 0;
            scan_words((const uintptr_t *)b->start, bytes / sizeof(uintptr_t), MS_EV_REFERENCE, b->start, &last_to,
                       &last_word);
            i++;
            continue;
        }
        size_t n = 0, total = 0;
        while (i + n < block_count && n < BATCH_BLOCKS) {
            const struct block *c = &blocks[i + n];
            size_t length = c->size & ~(size_t)(sizeof(uintptr_t) - 1);
            if (c->size >= 65536 || total + length > sizeof read_buffer) break;
            remote[n++] = (struct iovec){(void *)c->start, length};
            total += length;
        }
        struct iovec local = {read_buffer, total};
        ssize_t got = total ? process_vm_readv(scan_pid, &local, 1, remote, n, 0) : 0;
        size_t offset = 0, k = 0;
        for (; k < n; k++) {
            size_t length = remote[k].iov_len;
            if (got < 0 || offset + length > (size_t)got) break; /* this block could not be read */
            uintptr_t last_to = 0, last_word = 0;
            scan_words(read_buffer + offset / sizeof(uintptr_t), length / sizeof(uintptr_t), MS_EV_REFERENCE,
                       blocks[i + k].start, &last_to, &last_word);
            offset += length;
        }
        i += k < n ? k + 1 : n;
    }
}

/* The /proc/self/maps text of the last scan (read_maps). */
static char *maps_text;
static size_t maps_capacity;

/* The scan's own memory: what it keeps between scans, its buffers, the maps it read. */
static int scan_own_ranges(struct ms_range *out, int max) {
    struct ms_range all[] = {
        {(uintptr_t)kept.ops.items, (uintptr_t)(kept.ops.items + kept.ops.capacity)},
        {(uintptr_t)kept.done, (uintptr_t)(kept.done + kept.done_capacity)},
        {(uintptr_t)kept.latest, (uintptr_t)(kept.latest + kept.latest_capacity)},
        {(uintptr_t)kept.buffer, (uintptr_t)kept.buffer + (kept.buffer ? MS_CHUNK_SIZE : 0)},
        {(uintptr_t)kept.blocks, (uintptr_t)(kept.blocks + kept.blocks_capacity)},
        {(uintptr_t)kept.starts, (uintptr_t)(kept.starts + kept.starts_capacity)},
        {(uintptr_t)read_buffer, (uintptr_t)(read_buffer + sizeof read_buffer / sizeof read_buffer[0])},
        {(uintptr_t)kept.first_states, (uintptr_t)kept.first_states + kept.first_states_capacity},
        {(uintptr_t)counts, (uintptr_t)(counts + sizeof counts / sizeof counts[0])},
        {(uintptr_t)maps_text, (uintptr_t)maps_text + maps_capacity},
        {(uintptr_t)file_maps, (uintptr_t)(file_maps + file_map_capacity)},
    };
    int n = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0] && n < max; i++)
        if (all[i].start && all[i].end > all[i].start) out[n++] = all[i];
    return n;
}

/* The recorder's own memory, left out of the roots (sorted by start; see recorder.h), and
 * the scan's. A mapping of the program's that the kernel merged with one of these keeps
 * its own part. */
#define RECORDER_RANGES 24
static struct ms_range recorder_ranges[RECORDER_RANGES];
static int recorder_range_count;

/* The recorder's own memory in the process: its tables and the scan's. */
static int collect_recorder_ranges(struct ms_range *out) {
    int n = 0;
    n += ms_words_own_ranges(out + n, RECORDER_RANGES - n);
    n += ms_unwind_own_ranges(out + n, RECORDER_RANGES - n);
    n += ms_stacks_own_ranges(out + n, RECORDER_RANGES - n);
    n += ms_threads_own_ranges(out + n, RECORDER_RANGES - n);
    n += scan_own_ranges(out + n, RECORDER_RANGES - n);
    return n;
}

/* How much of the recorder's own memory is resident (mincore over its ranges), for the RSS
 * samples: the scan's table of latest operations alone is 40 bytes a slot, two to four slots
 * a live block (Debian's python3: 352 MiB resident under the recorder, 126 MiB without it).
 * Under the scans' lock, so that no scan remaps a table meanwhile; when a scan holds it, the
 * last answer. */
uint64_t ms_recorder_resident_bytes(void) {
    static uint64_t last;
    if (__atomic_exchange_n(&ms_scan_running, 1, __ATOMIC_ACQUIRE)) return last;
    struct ms_range ranges[RECORDER_RANGES];
    int n = collect_recorder_ranges(ranges);
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    static unsigned char resident[1024];
    uint64_t pages = 0;
    for (int i = 0; i < n; i++) {
        for (uintptr_t at = ranges[i].start & ~(page - 1); at < ranges[i].end;) {
            uintptr_t length = ranges[i].end - at;
            if (length > sizeof resident * page) length = sizeof resident * page;
            if (mincore((void *)at, length, resident) == 0) {
                for (uintptr_t k = 0; k < (length + page - 1) / page; k++) pages += resident[k] & 1;
            }
            at += length;
        }
    }
    last = pages * page;
    __atomic_store_n(&ms_scan_running, 0, __ATOMIC_RELEASE);
    return last;
}

static void note_recorder_ranges(void) {
    int n = collect_recorder_ranges(recorder_ranges);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && recorder_ranges[j].start < recorder_ranges[j - 1].start; j--) {
            struct ms_range r = recorder_ranges[j];
            recorder_ranges[j] = recorder_ranges[j - 1];
            recorder_ranges[j - 1] = r;
        }
    recorder_range_count = n;
}

/* scan_range over [start, end) but for the recorder's own ranges. */
static void scan_root_range(uintptr_t start, uintptr_t end, uint64_t kind) {
    for (int i = 0; i < recorder_range_count && start < end; i++) {
        const struct ms_range *r = &recorder_ranges[i];
        if (r->end <= start || r->start >= end) continue;
        if (r->start > start) scan_range(start, r->start, MS_EV_ROOT, kind);
        start = r->end;
    }
    if (start < end) scan_range(start, end, MS_EV_ROOT, kind);
}

/* Root kinds, as in the .msd pointer_reference record. */
enum { ROOT_DATA = 1, ROOT_STACK = 2, ROOT_OTHER = 3 };

/* One line of /proc/self/maps. */
struct map_line { uintptr_t start, end; char perms[5]; const char *path; };

static char *parse_map_line(char *line, struct map_line *m) {
    char *next = strchr(line, '\n');
    if (next) *next++ = 0;
    m->start = strtoul(line, &line, 16);
    m->end = strtoul(line + 1, &line, 16);
    memset(m->perms, 0, sizeof m->perms);
    memcpy(m->perms, line + 1, 4);
    m->path = strchr(line, '/');
    if (!m->path) m->path = strchr(line, '[');
    return next;
}

/* Reads /proc/self/maps into the scan's own memory (maps_text, kept for the next scan) and
 * notes the file mappings. Returns the text, or NULL. */
static char *read_maps(void) {
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    if (!maps_text && (maps_text = map_anonymous(1 << 20))) maps_capacity = 1 << 20;
    if (!maps_text) { close(fd); return NULL; }
    char *text = maps_text;
    size_t capacity = maps_capacity, used = 0;
    ssize_t n;
    while (used < capacity - 1 && (n = read(fd, text + used, capacity - 1 - used)) > 0) used += (size_t)n;
    close(fd);
    text[used] = 0;
    size_t lines = 1;
    for (size_t i = 0; i < used; i++) lines += text[i] == '\n';
    if (lines > file_map_capacity) {
        if (file_maps) munmap(file_maps, file_map_capacity * sizeof *file_maps);
        file_map_capacity = 2 * lines;
        file_maps = map_anonymous(file_map_capacity * sizeof *file_maps);
        if (!file_maps) file_map_capacity = 0;
    }
    file_map_count = 0;
    for (char *line = text; line && *line;) {
        struct map_line m;
        char *next = parse_map_line(line, &m);
        if (file_maps && m.path && m.path[0] == '/' && file_map_count < file_map_capacity)
            file_maps[file_map_count++] = (struct file_map){m.start, m.end, m.perms[0] == 'r', m.perms[2] == 'x'};
        line = next;
    }
    return text;
}

/* The roots, as memcheck's: every readable, writable private mapping that holds no
 * heap block (module data and bss, other threads' stacks with their TLS and thread
 * descriptors, anonymous mappings such as the main thread's TLS), except the scan's
 * own memory, the recorder's (its mappings, and within any mapping the ranges
 * note_recorder_ranges lists), glibc's cached stacks of exited threads and [heap];
 * of the scanning thread's own stack, the live frames above `stack_pointer`. At exit
 * that is exit()'s frames and, when the program called exit() rather than returning
 * from main, main's frame and its callers': memcheck counts them (blocks held only by
 * main's locals are still reachable). The text was NUL-split by read_maps. */
static void scan_roots(const char *text, uintptr_t stack_pointer) {
    note_recorder_ranges();
    for (const char *line = text; *line; line += strlen(line) + 1) {
        struct map_line m;
        char copy[4096];
        size_t length = strlen(line);
        if (length >= sizeof copy) length = sizeof copy - 1;
        memcpy(copy, line, length);
        copy[length] = 0;
        parse_map_line(copy, &m);
        uintptr_t start = m.start, end = m.end;
        const char *path = m.path;
        bool heap_mapping = path && strncmp(path, "[heap]", 6) == 0;
        bool readable_private = m.perms[0] == 'r' && m.perms[1] == 'w' && m.perms[3] == 'p';
        bool special = path && (strncmp(path, "[vvar]", 6) == 0 || strncmp(path, "[vsyscall]", 10) == 0);
        bool own_stack = stack_pointer >= start && stack_pointer < end;
        if (own_stack) start = stack_pointer; /* live frames only */
        if (readable_private && !heap_mapping && !special && !holds_blocks(start, end) &&
            !ms_debug_owns(start, end) && !ms_is_dead_thread_stack(start, end)) {
            bool is_stack = own_stack || (path && strncmp(path, "[stack]", 7) == 0);
            int kind = is_stack ? ROOT_STACK : (path && path[0] == '/') ? ROOT_DATA : ROOT_OTHER;
            scan_root_range(start, end, (uint64_t)kind);
        }
    }
}

/* The scanning thread's registers are roots too (memcheck scans every thread's). */
__attribute__((noinline)) static void scan_registers(void) {
    ucontext_t context;
    if (getcontext(&context) != 0) return;
    scan_range((uintptr_t)&context.uc_mcontext, (uintptr_t)&context.uc_mcontext + sizeof context.uc_mcontext,
               MS_EV_ROOT, ROOT_STACK);
}

/* main's frame: when main returns, its locals are dead, but exit()'s frames are
 * built over them and their unwritten slots would still hold main's pointers (memcheck
 * knows those words are undefined and skips them). So the wrapper below clears the
 * dead stack under it once main has returned; when the program calls exit(), main's
 * frame is live and is scanned. */
static int (*real_main)(int, char **, char **);

__attribute__((noinline)) static void clear_dead_stack(void) {
    volatile char dead[64 * 1024];
    memset((char *)dead, 0, sizeof dead);
    __asm__ volatile("" : : "r"(dead) : "memory");
}

static int main_wrapper(int argc, char **argv, char **envp) {
    int result = real_main(argc, argv, envp);
    clear_dead_stack();
    return result;
}

typedef int (*start_main_fn)(int (*)(int, char **, char **), int, char **, void (*)(void), void (*)(void),
                             void (*)(void), void *);

MS_EXPORT int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv, void (*init)(void),
                      void (*fini)(void), void (*rtld_fini)(void), void *stack_end) {
    start_main_fn real = (start_main_fn)dlsym(RTLD_NEXT, "__libc_start_main");
    if (!real) abort();
    real_main = main;
    return real(main_wrapper, argc, argv, init, fini, rtld_fini, stack_end);
}

uint64_t ms_scan_references(bool at_exit) {
    careful_reads = !at_exit;
    scan_pid = getpid();
    words_read = 0;
    flush_direct_locked(); /* the scanning thread's own pending operations (the caller holds the lock) */
    if (!replay_spool()) return 0;
    size_t count = live_blocks();
    block_count = count;
    /* scan_words looks a word up only in a granule a block was noted in: every live block's
     * is (a block the spool has that no hook noted, if any, is noted now). */
    for (size_t i = 0; i < count; i++) ms_note_heap_range(blocks[i].start, blocks[i].size);
    if (!index_starts(count)) kept.starts_used = 0;
    clear_first_states(count);
    uint8_t *e = ms_event_begin(32);
    if (e) {
        *e++ = MS_EV_SCAN;
        e = ms_put(e, ms_now());
        e = ms_put(e, count);
        ms_event_end(e);
    }
    char *text = count ? read_maps() : NULL;
    if (count && text) {
        uintptr_t here = (uintptr_t)__builtin_frame_address(0);
        scan_roots(text, here);
        scan_registers();
        bool in_place = at_exit || !__atomic_load_n(&ms_threaded, __ATOMIC_RELAXED);
        careful_reads = !in_place;
        scan_blocks(in_place);
    }
    file_map_count = 0;
    blocks = NULL;
    block_count = 0;
    kept.starts_used = 0;
    /* The scan's work, the same from run to run of the same program: the words it read,
     * and the live blocks it sorted and looked words up among. */
    return words_read + 8 * (uint64_t)count;
}
