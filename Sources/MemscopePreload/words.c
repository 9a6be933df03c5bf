/* References observed while the program runs: when a block dies (free, realloc(p, 0), or
 * a realloc that moves it) the recorder reads its first words before they are released
 * and writes those that may be the address of a heap block (MS_EV_WORDS). The analysis
 * resolves them against the blocks live, or freed and not yet reused, at that moment;
 * here nothing is looked up, so the cost is one read and one bit test per word.
 *
 * "May be": the word is 8-aligned (glibc's blocks start 16-aligned; a pointer inside a
 * block, to a member or an intrusive link, is 8-aligned when its target is a pointer-sized
 * field) and lies in a 2 MiB granule of the address space that held a block at some time
 * (a bitmap set on every allocation, never cleared). Module data, stacks and
 * libraries rarely share a granule with the heap, so most non-pointers are dropped here.
 *
 * No allocation, no lock: the bitmap is static (8 MiB of bss, only touched pages cost
 * memory) and is set with relaxed atomic ORs, so threads, fork (the child inherits it)
 * and signal handlers (which at worst see a bit set late) are safe. */
#include "recorder.h"

#include <stdlib.h>
#include <string.h>

#define GRANULE_SHIFT 21u
#define ADDRESS_BITS 47u
#define GRANULES (1ull << (ADDRESS_BITS - GRANULE_SHIFT))

static uint64_t heap_granules[GRANULES / 64];
/* The lowest and highest granule set (none: UINT64_MAX, 0), widened before a bit is set:
 * a word outside them is passed over with two comparisons, without the bitmap's load. */
static uint64_t lowest_granule = UINT64_MAX, highest_granule;
int ms_scan_on_free = 1;

static void widen_granules(uint64_t first, uint64_t last) {
    uint64_t seen = __atomic_load_n(&lowest_granule, __ATOMIC_RELAXED);
    while (first < seen && !__atomic_compare_exchange_n(&lowest_granule, &seen, first, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {}
    seen = __atomic_load_n(&highest_granule, __ATOMIC_RELAXED);
    while (last > seen && !__atomic_compare_exchange_n(&highest_granule, &seen, last, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {}
}

void ms_words_init(void) {
    const char *value = getenv("MEMSCOPE_SCAN_ON_FREE");
    ms_scan_on_free = !(value && strcmp(value, "0") == 0) && !ms_debug;
}

void ms_note_heap_range(uintptr_t start, size_t size) {
    if (!start) return;
    uint64_t first = start >> GRANULE_SHIFT, last = (start + (size ? size - 1 : 0)) >> GRANULE_SHIFT;
    if (last >= GRANULES) last = GRANULES - 1;
    for (uint64_t g = first; g <= last; g++) {
        uint64_t bit = 1ull << (g & 63);
        if (!(__atomic_load_n(&heap_granules[g >> 6], __ATOMIC_RELAXED) & bit)) {
            widen_granules(first, last);
            __atomic_fetch_or(&heap_granules[g >> 6], bit, __ATOMIC_RELAXED);
        }
    }
}

int ms_words_own_ranges(struct ms_range *out, int max) {
    if (max < 1) return 0;
    out[0] = (struct ms_range){(uintptr_t)heap_granules, (uintptr_t)(heap_granules + GRANULES / 64)};
    return 1;
}

bool ms_in_heap_granule(uintptr_t address) {
    uint64_t g = address >> GRANULE_SHIFT;
    if (g >= GRANULES) return false;
    return (__atomic_load_n(&heap_granules[g >> 6], __ATOMIC_RELAXED) >> (g & 63)) & 1;
}

/* `lowest`, `span`: the granules set, read once per dying block. */
static inline bool may_be_block(uintptr_t word, uint64_t lowest, uint64_t span) {
    uint64_t g = word >> GRANULE_SHIFT;
    if ((word & 7) || g - lowest > span) return false;
    return (heap_granules[g >> 6] >> (g & 63)) & 1;
}

/* The bytes glibc lets the program use in the block at `p` (its chunk header's size), 0
 * when the header is not plausible. Only ever called on a block the program hands back. */
size_t ms_block_usable(const void *p) {
    size_t field = ((const size_t *)p)[-1];
    size_t chunk = field & ~(size_t)7;
    size_t overhead = (field & 2) ? 2 * sizeof(size_t) : sizeof(size_t); /* IS_MMAPPED */
    if (chunk <= overhead || chunk > ((size_t)1 << 46)) return 0;
    return chunk - overhead;
}

/* Zeroes what the words of a new block will be read from (its usable bytes from `from`, up
 * to MS_WORDS_MAX_BYTES), as calloc would. malloc hands out reused memory as it was: a word
 * the program never wrote (a vector's spare capacity, padding, a struct's unset field) still
 * holds whatever an earlier block left there, often the address of a block that lives
 * again at that address, and passes for a pointer when the block dies. Cleared, every word
 * the analysis reads was written by the program since the block was made. Chunks glibc
 * mapped for the block alone (IS_MMAPPED) come zeroed from the kernel and are left
 * untouched (no page of them is faulted in). */
void ms_clear_new_block(void *p, size_t from) {
    if (!ms_scan_on_free || !p) return;
    if (((const size_t *)p)[-1] & 2) return; /* IS_MMAPPED: fresh pages */
    size_t usable = ms_block_usable(p);
    size_t end = usable < MS_WORDS_MAX_BYTES ? usable : MS_WORDS_MAX_BYTES;
    if (from < end) memset((char *)p + from, 0, end - from);
}

/* Writes MS_EV_WORDS for the block that was at `address`, whose contents are `bytes` of
 * memory at `contents` (the block itself, or its copy after a realloc moved it). */
void ms_record_words(uint64_t ts, uintptr_t address, const void *contents, size_t bytes) {
    if (bytes > MS_WORDS_MAX_BYTES) bytes = MS_WORDS_MAX_BYTES;
    size_t count = bytes / sizeof(uintptr_t);
    if (!count) return;
    const uintptr_t *words = contents;
    uint64_t lowest = __atomic_load_n(&lowest_granule, __ATOMIC_RELAXED), highest = __atomic_load_n(&highest_granule, __ATOMIC_RELAXED);
    if (highest < lowest || highest >= GRANULES) return; /* no heap granule yet */
    uint64_t span = highest - lowest;
    uintptr_t low = (uintptr_t)contents, high = low + bytes;
    /* Most dying blocks hold no such word: the event is begun at the first one. */
    size_t first = 0;
    for (; first < count; first++) {
        uintptr_t word = words[first];
        if (may_be_block(word, lowest, span) && !((word >= low && word < high) || (word >= address && word < address + bytes))) break;
    }
    if (first == count) return;
    /* tag, ts, address, count (2 bytes), then per word: index (2 bytes at most) and value (10). */
    uint8_t *start = ms_event_begin(1 + 10 + 10 + 2 + count * 12);
    if (!start) return;
    uint8_t *e = start;
    *e++ = MS_EV_WORDS;
    e = ms_put(e, ts);
    e = ms_put(e, address);
    uint8_t *count_at = e;
    e += 2;
    unsigned found = 0;
    for (size_t i = first; i < count; i++) {
        uintptr_t word = words[i];
        if (!may_be_block(word, lowest, span)) continue;
        if ((word >= low && word < high) || (word >= address && word < address + bytes)) continue; /* the block itself */
        e = ms_put(e, i);
        e = ms_put(e, word);
        found++;
    }
    if (!found) return; /* nothing published: the reserved bytes stay free */
    count_at[0] = (uint8_t)((found & 0x7f) | 0x80); /* fixed two-byte LEB128 (found <= 512) */
    count_at[1] = (uint8_t)(found >> 7);
    ms_event_end(e);
}

/* At the start of a program image (and of a forked child): an MS_EV_WORDS with address 0
 * and no words says that this process records dying blocks' words, so a block freed with
 * no MS_EV_WORDS before its free held none. */
void ms_record_words_marker(void) {
    if (!ms_scan_on_free) return;
    uint8_t *e = ms_event_begin(32);
    if (!e) return;
    *e++ = MS_EV_WORDS;
    e = ms_put(e, ms_now());
    e = ms_put(e, 0);
    e = ms_put(e, 0);
    ms_event_end(e);
}
