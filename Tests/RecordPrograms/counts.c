/* Exact figures, no stdio (so libc allocates nothing of its own):
 *   allocation calls 100 malloc + 5 calloc + 20 realloc + 3 posix_memalign
 *                    + 2 aligned_alloc + 1 memalign + 1 valloc = 132
 *   bytes            5050 + 500 + 64·(1+…+20)=13440 + 3·128 + 2·256 + 100 + 1000 = 20986
 *   frees            60 free + 19 realloc moves + 1 free of the chain + 3 + 1 + 1 + 1 = 86
 *   live at exit     40 mallocs (sizes 61…100: 3220 B) + 5 callocs (500 B) + 1 aligned_alloc (256 B)
 *                    = 46 blocks, 3976 bytes */
#include <malloc.h>
#include <stdlib.h>

static void *keep[200];

__attribute__((noinline)) static void small_blocks(void) {
    for (int i = 0; i < 100; i++) keep[i] = malloc((size_t)i + 1);
    for (int i = 0; i < 60; i++) free(keep[i]);
}

__attribute__((noinline)) static void zeroed_blocks(void) {
    for (int i = 0; i < 5; i++) keep[100 + i] = calloc(10, 10);
}

__attribute__((noinline)) static void realloc_chain(void) {
    char *p = NULL;
    for (int i = 1; i <= 20; i++) p = realloc(p, (size_t)i * 64);
    free(p);
}

__attribute__((noinline)) static void aligned_blocks(void) {
    void *a[3];
    for (int i = 0; i < 3; i++) posix_memalign(&a[i], 64, 128);
    for (int i = 0; i < 3; i++) free(a[i]);
    keep[110] = aligned_alloc(64, 256);
    free(aligned_alloc(64, 256));
    free(memalign(32, 100));
    free(valloc(1000));
}

int main(void) {
    small_blocks();
    zeroed_blocks();
    realloc_chain();
    aligned_blocks();
    return 0;
}
