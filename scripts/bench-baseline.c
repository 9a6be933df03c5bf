/*
 * The floor for memscope's benchmark: a plain C loop that reads an uncompressed .msd
 * dump, decodes its records and pairs every free with its allocation through an
 * open-addressing hash of addresses, tracking live and peak bytes. It does nothing else
 * (no stacks, no trees, no lifetimes), so memscope's time divided by this one is what
 * memscope's extra analysis costs. Usage: bench-baseline DUMP.msd
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char *p, *end;

static uint64_t varint(void) {
    uint64_t v = 0;
    int shift = 0;
    while (p < end) {
        unsigned char b = *p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (b < 0x80) return v;
        shift += 7;
    }
    return v;
}

typedef struct { uint64_t address, size; } Slot;
static Slot *slots;
static uint64_t mask, count;

static uint64_t home(uint64_t address) { return (address * 0x9E3779B97F4A7C15ull) >> 20 & mask; }

/* Removes slot i with backward-shift deletion, so probe chains stay intact. */
static void erase(Slot *slot) {
    uint64_t i = (uint64_t)(slot - slots), j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (!slots[j].address) break;
        uint64_t k = home(slots[j].address);
        if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
            slots[i] = slots[j];
            i = j;
        }
    }
    slots[i].address = 0;
    count--;
}

static Slot *find(uint64_t address, int insert) {
    uint64_t i = home(address);
    while (slots[i].address && slots[i].address != address) i = (i + 1) & mask;
    if (!slots[i].address && insert) {
        if ((count + 1) * 2 > mask + 1) {
            Slot *old = slots;
            uint64_t oldSize = mask + 1;
            mask = oldSize * 2 - 1;
            slots = calloc(mask + 1, sizeof(Slot));
            count = 0;
            for (uint64_t j = 0; j < oldSize; j++)
                if (old[j].address) { *find(old[j].address, 1) = old[j]; }
            free(old);
            return find(address, 1);
        }
        slots[i].address = address;
        count++;
    }
    return &slots[i];
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: bench-baseline DUMP.msd\n"); return 64; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc(n);
    if (fread(data, 1, n, f) != (size_t)n) { perror("read"); return 1; }
    fclose(f);
    mask = (1 << 16) - 1;
    slots = calloc(mask + 1, sizeof(Slot));
    p = data + 12;
    end = data + n;
    uint64_t events = 0, live = 0, peak = 0, allocations = 0;
    while (p < end) {
        unsigned char kind = *p++;
        uint64_t length = varint();
        const unsigned char *next = p + length;
        if (kind == 0x10) {            /* alloc: ts thread address size kind stack */
            varint(); varint();
            uint64_t address = varint(), size = varint();
            Slot *s = find(address, 1);
            s->size = size;
            live += size;
            if (live > peak) peak = live;
            allocations++;
            events++;
        } else if (kind == 0x11) {     /* free: ts thread address stack */
            varint(); varint();
            Slot *s = find(varint(), 0);
            if (s->address) { live -= s->size; erase(s); }
            events++;
        } else if (kind == 0x12) {     /* realloc: ts thread old new size stack */
            varint(); varint();
            uint64_t old = varint(), address = varint(), size = varint();
            Slot *s = find(old, 0);
            if (s->address) { live -= s->size; erase(s); }
            s = find(address, 1);
            s->size = size;
            live += size;
            if (live > peak) peak = live;
            allocations++;
            events++;
        } else if (kind >= 0x20) {
            events++;
        }
        p = next;
    }
    printf("{\"events\":%llu,\"allocations\":%llu,\"peak_bytes\":%llu,\"leaked_bytes\":%llu}\n",
           (unsigned long long)events, (unsigned long long)allocations, (unsigned long long)peak,
           (unsigned long long)live);
    return 0;
}
