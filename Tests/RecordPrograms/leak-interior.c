/* Interior-pointer chains, memcheck's cases (sizes name the blocks):
 *   root -> 16 (start) -> 24 (interior) -> 32 (start) -> 40 (interior)
 *     16 still reachable; 24, 32 and 40 possibly lost (a block reached only from a
 *     possibly lost block is possibly lost too, whatever the pointer)
 *   root -interior-> 48 -> 56          48, 56 possibly lost
 *   lost 64 -interior-> 72 -> 80       64 definitely lost; 72, 80 indirectly lost
 *   root -> 88 -interior-> 96 (length64 shape: first word = 96 - 8) -> 104
 *     88, 96, 104 still reachable (memcheck's length64 heuristic, on by default)
 *   root -offset 8-> 112 whose first word is 0 (no heuristic fits)   possibly lost
 * memcheck 3.19 with its defaults (measured): definitely lost 64 B in 1 block, indirectly
 * lost 152 B in 2, possibly lost 312 B in 6, still reachable 304 B in 4 (of which 96 B
 * in 1 via the length64 heuristic). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *roots[4];

__attribute__((noinline)) static void *block(size_t size) {
    void *p = malloc(size);
    memset(p, 0, size);
    return p;
}

__attribute__((noinline)) static void build(void) {
    char **a = block(16), **b = block(24), **c = block(32), **d = block(40);
    a[0] = (char *)b + 8;
    b[0] = (char *)c;
    c[0] = (char *)d + 16;
    roots[0] = a;
    char **e = block(48), **f = block(56);
    e[0] = (char *)f;
    roots[1] = (char *)e + 16;
    char **g = block(64), **h = block(72), **i = block(80);
    g[0] = (char *)h + 24;
    h[1] = (char *)i;
    uint64_t *j = block(88), *k = block(96), *l = block(104);
    k[0] = 96 - 8;
    k[1] = (uint64_t)l;
    j[0] = (uint64_t)((char *)k + 8);
    roots[2] = j;
    char *m = block(112);
    roots[3] = m + 8;
}

int main(void) {
    build();
    return 0;
}
