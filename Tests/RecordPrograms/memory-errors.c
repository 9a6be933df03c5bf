/* Memory errors for `memscope record --guard --quarantine`, one per mode (argv[1]):
 *   overflow    writes one byte past a 10-byte block, then frees it
 *   underflow   writes one byte before a 10-byte block, then frees it
 *   after-free  writes 2 bytes at offset 40 of a freed 100-byte block
 *   realloc     grows a guarded 16-byte block to 64 bytes (contents must survive),
 *               then writes one byte past the new block and frees it
 *   aligned     posix_memalign(64) and aligned_alloc(256): alignment must hold; writes
 *               3 bytes past the aligned_alloc block
 *   live        writes one byte past a block that is never freed (found at exit)
 *   evicted     writes after free as after-free does, then frees a 2 MiB block, which
 *               (under --quarantine 1MiB) pushes the damaged block out of quarantine
 *   double-free frees a 32-byte block twice (safe only under --quarantine, which holds
 *               the block back, or under memcheck)
 * Exit status 0, or 2 when contents or alignment were not kept. No stdio, so that
 * memcheck's figures are not disturbed by the C library's buffers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *volatile sink;

__attribute__((noinline)) static char *make_block(size_t size) { return malloc(size); }
__attribute__((noinline)) static void drop_block(char *p) { free(p); }

__attribute__((noinline)) static void overflow_one(void) {
    char *p = make_block(10);
    memset(p, 1, 10);
    p[10] = 'x';
    drop_block(p);
}

__attribute__((noinline)) static void underflow_one(void) {
    char *p = make_block(10);
    p[-1] = 'x';
    drop_block(p);
}

__attribute__((noinline)) static void write_after_free(void) {
    char *p = make_block(100);
    drop_block(p);
    sink = p;
    sink[40] = 'x';
    sink[41] = 'y';
}

__attribute__((noinline)) static int grow_block(void) {
    char *p = make_block(16);
    for (int i = 0; i < 16; i++) p[i] = (char)i;
    char *q = realloc(p, 64);
    for (int i = 0; i < 16; i++)
        if (q[i] != (char)i) return 2;
    q[64] = 'x';
    drop_block(q);
    return 0;
}

__attribute__((noinline)) static int aligned_blocks(void) {
    void *a = NULL;
    if (posix_memalign(&a, 64, 100) != 0 || ((uintptr_t)a & 63)) return 2;
    char *b = aligned_alloc(256, 512);
    if (!b || ((uintptr_t)b & 255)) return 2;
    b[512] = 1;
    b[513] = 2;
    b[514] = 3;
    free(a);
    free(b);
    return 0;
}

__attribute__((noinline)) static void live_overflow(void) {
    sink = make_block(24);
    sink[24] = 'x';
}

__attribute__((noinline)) static void push_out(void) {
    char *big = make_block(2 << 20);
    memset(big, 0, 2 << 20);
    drop_block(big);
}

__attribute__((noinline)) static void free_twice(void) {
    char *p = make_block(32);
    drop_block(p);
    drop_block(p);
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "overflow") == 0) overflow_one();
    else if (strcmp(mode, "underflow") == 0) underflow_one();
    else if (strcmp(mode, "after-free") == 0) write_after_free();
    else if (strcmp(mode, "realloc") == 0) return grow_block();
    else if (strcmp(mode, "aligned") == 0) return aligned_blocks();
    else if (strcmp(mode, "live") == 0) live_overflow();
    else if (strcmp(mode, "double-free") == 0) free_twice();
    else if (strcmp(mode, "evicted") == 0) {
        write_after_free();
        push_out();
    }
    return 0;
}
