/* One thread, the same heap calls in every run, and no block holding a pointer: the recorder's
 * hooks put every heap operation into the scans' table themselves (scan.c, direct pushes),
 * nothing breaking the run of operations in a chunk. A ring of 512 blocks held from a global
 * array stays live across the spaced scans. ScanDeterminismTests records it with and without
 * the direct pushes (MEMSCOPE_SCAN_DIRECT=0) and expects the same scan records.
 *
 *   direct-pushes ITERATIONS */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEPT 512

static char *kept[KEPT];

int main(int argc, char **argv) {
    unsigned long iterations = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
    unsigned long sum = 0;
    for (unsigned long i = 0; i < iterations; i++) {
        for (int k = 0; k < 4; k++) {
            size_t size = 16 + (i * 7 + (unsigned long)k * 13) % 200;
            char *p = malloc(size);
            if (!p) return 1;
            memset(p, (int)(i + (unsigned long)k) | 1, size); /* odd bytes: no word of it is an address */
            sum += (unsigned char)p[size - 1];
            if (k == 0) {
                size_t slot = i % KEPT;
                free(kept[slot]);
                kept[slot] = p;
            } else {
                free(p);
            }
        }
    }
    printf("%lu\n", sum);
    for (int k = 0; k < KEPT; k++) free(kept[k]);
    return 0;
}
