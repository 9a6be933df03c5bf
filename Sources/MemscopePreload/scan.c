/* The reference scan (at exit): which live blocks point to which, and which are
 * pointed to from the roots (writable memory that is not heap: module data and
 * bss, the stacks of threads still running, other anonymous mappings), so that
 * memscope can classify leaks as memcheck does. The live blocks are rebuilt from
 * this process's own spool. The results are observations: any word whose value
 * equals a block's address counts, even when it is an integer. */
#include "recorder.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

struct block { uintptr_t start; size_t size; };

/* The latest operation seen on each address: whichever came last in time decides
 * whether a block lives there at exit. Threads' chunks are read one after the
 * other, so the time stamp (then the reading order, which keeps each thread's
 * order) says which operation was last; no global sort is needed. */
struct latest { uint64_t address, ts, seq, size; int alloc; };
struct ops { struct latest *items; size_t count, capacity; uint64_t seq; };

static struct block *blocks; /* the live blocks, by start address */
static size_t block_count, block_capacity;

static void *map_anonymous(size_t bytes) {
    void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static size_t slot_of(uint64_t address, size_t capacity) {
    return (size_t)((address * 0x9E3779B97F4A7C15ull) >> 20) & (capacity - 1);
}

static bool grow(struct ops *o) {
    size_t capacity = o->capacity ? o->capacity * 2 : 65536;
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
    } else if (e->ts > ts || (e->ts == ts && e->seq > seq)) {
        return true; /* an earlier operation, read after a later one */
    }
    *e = (struct latest){address, ts, seq, size, alloc};
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
        case MS_EV_ALLOC:
            for (int i = 0; i < 5 && p; i++) p = get(p, end, &f[i]);
            if (p && f[1] && !push(o, f[0], f[1], f[2], 1)) return false;
            break;
        case MS_EV_FREE:
            for (int i = 0; i < 3 && p; i++) p = get(p, end, &f[i]);
            if (p && !push(o, f[0], f[1], 0, 0)) return false;
            break;
        case MS_EV_REALLOC: /* ts old new size stack */
            for (int i = 0; i < 5 && p; i++) p = get(p, end, &f[i]);
            if (!p) break;
            if (f[2] == 0 && f[3] > 0) break; /* failed: the old block stays */
            if (f[1] && !push(o, f[0], f[1], 0, 0)) return false;
            if (f[2] && !push(o, f[0], f[2], f[3], 1)) return false;
            break;
        case MS_EV_STACK: {
            uint64_t depth;
            for (int i = 0; i < 2 && p; i++) p = get(p, end, &f[i]);
            if (p) p = get(p, end, &depth);
            for (uint64_t i = 0; p && i < depth; i++) p = get(p, end, &f[0]);
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
        case MS_EV_IMAGE:
            for (int i = 0; i < 2 && p; i++) p = get(p, end, &f[0]);
            if (p) p = skip_string(p, end);
            break;
        case MS_EV_ANNOTATE:
            for (int i = 0; i < 2 && p; i++) p = get(p, end, &f[0]);
            if (p) p = skip_string(p, end);
            if (p) p = skip_string(p, end);
            break;
        case MS_EV_SCOPE_ENTER:
            if (p) p = get(p, end, &f[0]);
            if (p) p = skip_string(p, end);
            break;
        default:
            if (tag >= sizeof plain_fields / sizeof plain_fields[0] || !plain_fields[tag]) return false;
            for (int i = 0; i < plain_fields[tag] && p; i++) p = get(p, end, &f[0]);
        }
    }
    return true;
}

static int by_start(const void *a, const void *b) {
    const struct block *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The blocks whose address's last operation is an allocation, sorted by address. */
static struct block *live_blocks(struct ops *o, size_t *count) {
    size_t n = 0;
    for (size_t i = 0; i < o->capacity; i++)
        if (o->items[i].address && o->items[i].alloc) n++;
    block_capacity = n ? n : 1;
    struct block *table = map_anonymous(block_capacity * sizeof *table);
    if (!table) return NULL;
    n = 0;
    for (size_t i = 0; i < o->capacity; i++)
        if (o->items[i].address && o->items[i].alloc) table[n++] = (struct block){o->items[i].address, o->items[i].size};
    qsort(table, n, sizeof *table, by_start);
    *count = n;
    return table;
}

/* The scan's own working memory, which must not count as a root. */
static struct { uintptr_t start, end; } own[3];

static bool is_own(uintptr_t start, uintptr_t end) {
    for (int i = 0; i < 3; i++)
        if (own[i].start < end && start < own[i].end) return true;
    return false;
}

/* True when some live block starts in [start, end). */
static bool holds_blocks(uintptr_t start, uintptr_t end) {
    size_t low = 0, high = block_count;
    while (low < high) {
        size_t mid = (low + high) / 2;
        if (blocks[mid].start < start) low = mid + 1; else high = mid;
    }
    return low < block_count && blocks[low].start < end;
}

/* The block whose range holds `value` (a zero-size block holds only its start). */
static struct block *block_at(uintptr_t value) {
    size_t low = 0, high = block_count;
    while (low < high) {
        size_t mid = (low + high) / 2;
        if (blocks[mid].start <= value) low = mid + 1; else high = mid;
    }
    if (low == 0) return NULL;
    struct block *b = &blocks[low - 1];
    if (value == b->start || value < b->start + b->size) return b;
    return NULL;
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
static bool careful_reads;
static uintptr_t read_buffer[8192];

static void scan_words(const uintptr_t *words, size_t count, uint8_t tag, uint64_t source,
                       uintptr_t *last_to, uintptr_t *last_word) {
    for (size_t i = 0; i < count; i++) {
        uintptr_t word = words[i];
        if (word < blocks[0].start) continue;
        struct block *b = block_at(word);
        if (!b || (tag == MS_EV_REFERENCE && b->start == source)) continue;
        /* glibc lets a block's last 8 bytes overlap the next chunk's header; a
         * 16-aligned word pointing there is the allocator's pointer to that chunk
         * (its bins, its top chunk), not a reference to this block. */
        if (word != b->start && (word & 15) == 0 && word + 8 >= b->start + b->size) continue;
        if (b->start == *last_to && (word == b->start) == (*last_word == b->start)) continue;
        *last_to = b->start;
        *last_word = word;
        emit_reference(tag, source, b->start, word);
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
        ssize_t got = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
        if (got <= 0) return; /* gone meanwhile */
        scan_words(read_buffer, (size_t)got / sizeof(uintptr_t), tag, source, &last_to, &last_word);
        done += (size_t)got / sizeof(uintptr_t);
    }
}

/* Root kinds, as in the .msd pointer_reference record. */
enum { ROOT_DATA = 1, ROOT_STACK = 2, ROOT_OTHER = 3 };

static void scan_roots(uintptr_t stack_pointer, bool at_exit) {
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    size_t capacity = 1 << 20, used = 0;
    char *text = map_anonymous(capacity);
    if (!text) { close(fd); return; }
    own[2].start = (uintptr_t)text;
    own[2].end = (uintptr_t)text + capacity;
    ssize_t n;
    while (used < capacity - 1 && (n = read(fd, text + used, capacity - 1 - used)) > 0) used += (size_t)n;
    close(fd);
    text[used] = 0;
    for (char *line = text; line && *line;) {
        char *next = strchr(line, '\n');
        if (next) *next++ = 0;
        uintptr_t start = strtoul(line, &line, 16);
        uintptr_t end = strtoul(line + 1, &line, 16);
        char perms[5] = {0};
        memcpy(perms, line + 1, 4);
        const char *path = strchr(line, '/');
        if (!path) path = strchr(line, '[');
        bool heap_mapping = path && strncmp(path, "[heap]", 6) == 0;
        bool readable_private = perms[0] == 'r' && perms[1] == 'w' && perms[3] == 'p';
        bool special = path && (strncmp(path, "[vvar]", 6) == 0 || strncmp(path, "[vsyscall]", 10) == 0);
        /* The exiting thread's own stack is no root: main has returned, and the
         * frames left belong to exit(); memcheck does not count them either. */
        bool own_stack = stack_pointer >= start && stack_pointer < end;
        if (own_stack && !at_exit) start = stack_pointer; /* live frames only */
        if (readable_private && !heap_mapping && !special && !(own_stack && at_exit) && !holds_blocks(start, end) &&
            !is_own(start, end) && !ms_debug_owns(start, end) && !ms_is_dead_thread_stack(start, end)) {
            bool is_stack = path && strncmp(path, "[stack]", 7) == 0;
            int kind = is_stack ? ROOT_STACK : (path && path[0] == '/') ? ROOT_DATA : ROOT_OTHER;
            scan_range(start, end, MS_EV_ROOT, (uint64_t)kind);
        }
        line = next;
    }
    munmap(text, capacity);
}

void ms_scan_references(bool at_exit) {
    careful_reads = !at_exit;
    struct ms_spool_header *h = ms_spool_header();
    if (!h) return;
    uint64_t chunks = __atomic_load_n(&h->next_chunk, __ATOMIC_ACQUIRE);
    if (chunks > h->max_chunks) chunks = h->max_chunks;
    int fd = ms_spool_fd();
    struct ops o = {0};
    /* One chunk mapped at a time, so the scan's memory stays small. */
    for (uint64_t i = 0; i < chunks; i++) {
        off_t offset = (off_t)MS_SPOOL_HEADER_SIZE + (off_t)i * MS_CHUNK_SIZE;
        const uint8_t *chunk = mmap(NULL, MS_CHUNK_SIZE, PROT_READ, MAP_SHARED, fd, offset);
        if (chunk == MAP_FAILED) break;
        const struct ms_chunk_header *c = (const struct ms_chunk_header *)chunk;
        uint32_t used = __atomic_load_n(&c->used, __ATOMIC_ACQUIRE);
        bool ok = !c->tid || used > MS_CHUNK_SIZE - MS_CHUNK_HEADER_SIZE ||
                  collect_chunk(chunk + MS_CHUNK_HEADER_SIZE, chunk + MS_CHUNK_HEADER_SIZE + used, &o);
        madvise((void *)chunk, MS_CHUNK_SIZE, MADV_DONTNEED);
        munmap((void *)chunk, MS_CHUNK_SIZE);
        if (!ok) break;
    }
    size_t count = 0;
    blocks = o.items ? live_blocks(&o, &count) : NULL;
    block_count = count;
    if (o.items) {
        own[0].start = (uintptr_t)o.items;
        own[0].end = (uintptr_t)(o.items + o.capacity);
    }
    if (blocks) {
        own[1].start = (uintptr_t)blocks;
        own[1].end = (uintptr_t)(blocks + block_capacity);
    }
    uint8_t *e = ms_event_begin(32);
    if (e) {
        *e++ = MS_EV_SCAN;
        e = ms_put(e, ms_now());
        e = ms_put(e, count);
        ms_event_end(e);
    }
    if (blocks && count) {
        uintptr_t here = (uintptr_t)__builtin_frame_address(0);
        scan_roots(here, at_exit);
        for (size_t i = 0; i < count; i++)
            scan_range(blocks[i].start, blocks[i].start + blocks[i].size, MS_EV_REFERENCE, blocks[i].start);
    }
    if (o.items) munmap(o.items, o.capacity * sizeof *o.items);
    if (blocks) munmap(blocks, block_capacity * sizeof *blocks);
    blocks = NULL;
    block_count = 0;
}
