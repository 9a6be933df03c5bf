/* The recorder's overhead benchmark: allocation-heavy, 50 distinct call stacks
 * (recursion depths 1…50 below a common prefix), each call allocating and freeing
 * small blocks, with some blocks kept alive across iterations.
 * Usage: bench-record [iterations [passes [min max]]]: iterations (default 200000) × 5
 * allocations; each block is written and summed `passes` times (default 0), which
 * stands for the work a program does with its memory; recursion depths min…max
 * (default 1…50: stacks of 6…55 frames with main and libc's start-up frames; 5…10 gives
 * stacks 10…15 deep). */
#include <stdlib.h>
#include <string.h>

#define KEPT 1024

static void *kept[KEPT];
static unsigned long long checksum;
static int passes;

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
        for (int pass = 0; pass < passes; pass++) {
            memset(p, pass + (int)i, size);
            for (size_t b = 0; b < size; b += 8) checksum += (unsigned char)p[b];
        }
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
    passes = argc > 2 ? atoi(argv[2]) : 0;
    int min = argc > 4 ? atoi(argv[3]) : 1, max = argc > 4 ? atoi(argv[4]) : 50;
    if (min < 0 || max < min) return 2;
    for (unsigned long i = 0; i < iterations; i++) work(min + (int)(i % (unsigned long)(max - min + 1)), i);
    for (int k = 0; k < KEPT; k++) free(kept[k]);
    return checksum == 42 ? 1 : 0;
}
