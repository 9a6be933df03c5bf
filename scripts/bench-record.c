/* The recorder's overhead benchmark: allocation-heavy, 50 distinct call stacks
 * (recursion depths 1…50 below a common prefix), each call allocating and freeing
 * small blocks, with some blocks kept alive across iterations.
 * Usage: bench-record [iterations] (default 200000 → 2·10^6 allocations). */
#include <stdlib.h>
#include <string.h>

#define KEPT 1024

static void *kept[KEPT];
static unsigned long long checksum;

__attribute__((noinline)) static void work(int depth, unsigned long i) {
    if (depth > 0) {
        work(depth - 1, i);
        __asm__ volatile("" ::: "memory"); /* no tail call: every level is a frame */
        return;
    }
    for (int k = 0; k < 5; k++) {
        size_t size = 16 + (i * 7 + (unsigned long)k * 13) % 200;
        char *p = malloc(size);
        p[0] = (char)i;
        checksum += (unsigned char)p[0];
        if (k == 0) {
            size_t slot = (i * 31) % KEPT;
            free(kept[slot]);
            kept[slot] = p;
        } else {
            free(p);
        }
    }
}

int main(int argc, char **argv) {
    unsigned long iterations = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
    for (unsigned long i = 0; i < iterations; i++) work((int)(i % 50) + 1, i);
    for (int k = 0; k < KEPT; k++) free(kept[k]);
    return (int)(checksum & 1) * 0;
}
