/* Edge cases of every allocation function memscope interposes. Prints, for each
 * call, whether it returned a block (and whether that block is aligned as asked),
 * the return value where there is one, and errno (set to a sentinel before each
 * call, so "errno untouched" shows as 9999). The test runs it natively and under
 * `memscope record` and compares the outputs line by line: the recorder must not
 * change what the C library does. No addresses are printed. */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Walloc-size-larger-than="

#define SENTINEL 9999

static void show(const char *what, void *p, size_t alignment) {
    int saved = errno;
    const char *aligned = !p || !alignment ? "" : ((uintptr_t)p % alignment == 0 ? " aligned" : " MISALIGNED");
    printf("%-34s %s%s errno=%d\n", what, p ? "block" : "NULL", aligned, saved);
}

#define CALL(what, alignment, expr)              \
    do {                                         \
        errno = SENTINEL;                        \
        void *p_ = (expr);                       \
        show(what, p_, alignment);               \
        free(p_);                                \
    } while (0)

static void memalign_call(const char *what, size_t alignment, size_t size) {
    void *marker = (void *)0x1234;
    void *out = marker;
    errno = SENTINEL;
    int rc = posix_memalign(&out, alignment, size);
    int saved = errno;
    printf("%-34s rc=%d %s errno=%d\n", what, rc,
           out == marker ? "untouched" : (out ? ((uintptr_t)out % (alignment ? alignment : 1) == 0 ? "block aligned" : "block MISALIGNED") : "NULL"),
           saved);
    if (out != marker) free(out);
}

int main(void) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    CALL("malloc(0)", 0, malloc(0));
    CALL("malloc(10)", 16, malloc(10));
    CALL("malloc(SIZE_MAX)", 0, malloc(SIZE_MAX));
    CALL("malloc(PTRDIFF_MAX+1)", 0, malloc((size_t)PTRDIFF_MAX + 1));
    CALL("calloc(0,0)", 0, calloc(0, 0));
    CALL("calloc(3,10)", 16, calloc(3, 10));
    CALL("calloc(SIZE_MAX/2,3) overflow", 0, calloc(SIZE_MAX / 2, 3));
    CALL("calloc(1,SIZE_MAX)", 0, calloc(1, SIZE_MAX));
    {
        errno = SENTINEL;
        unsigned char *z = calloc(100, 1);
        int zero = 1;
        for (int i = 0; z && i < 100; i++) zero &= z[i] == 0;
        printf("%-34s %s zeroed=%d errno=%d\n", "calloc(100,1) contents", z ? "block" : "NULL", zero, errno);
        free(z);
    }
    CALL("aligned_alloc(3,10)", 0, aligned_alloc(3, 10));
    CALL("aligned_alloc(0,10)", 0, aligned_alloc(0, 10));
    CALL("aligned_alloc(1,10)", 1, aligned_alloc(1, 10));
    CALL("aligned_alloc(64,10)", 64, aligned_alloc(64, 10));
    CALL("aligned_alloc(64,0)", 64, aligned_alloc(64, 0));
    CALL("aligned_alloc(24,48)", 0, aligned_alloc(24, 48));
    CALL("aligned_alloc(4096,100)", 4096, aligned_alloc(4096, 100));
    CALL("aligned_alloc(SIZE_MAX/2+2,10)", 0, aligned_alloc(SIZE_MAX / 2 + 2, 10));
    CALL("aligned_alloc(16,SIZE_MAX)", 0, aligned_alloc(16, SIZE_MAX));
    CALL("memalign(3,10)", 4, memalign(3, 10));
    CALL("memalign(0,10)", 0, memalign(0, 10));
    CALL("memalign(64,10)", 64, memalign(64, 10));
    CALL("memalign(24,10)", 32, memalign(24, 10));
    CALL("memalign(SIZE_MAX/2+2,10)", 0, memalign(SIZE_MAX / 2 + 2, 10));
    CALL("memalign(64,SIZE_MAX)", 0, memalign(64, SIZE_MAX));
    memalign_call("posix_memalign(0,10)", 0, 10);
    memalign_call("posix_memalign(3,10)", 3, 10);
    memalign_call("posix_memalign(4,10)", 4, 10);
    memalign_call("posix_memalign(24,10)", 24, 10);
    memalign_call("posix_memalign(8,10)", 8, 10);
    memalign_call("posix_memalign(64,0)", 64, 0);
    memalign_call("posix_memalign(64,10)", 64, 10);
    memalign_call("posix_memalign(64,SIZE_MAX)", 64, SIZE_MAX);
    CALL("valloc(0)", page, valloc(0));
    CALL("valloc(10)", page, valloc(10));
    CALL("valloc(SIZE_MAX)", 0, valloc(SIZE_MAX));
    CALL("pvalloc(0)", page, pvalloc(0));
    CALL("pvalloc(10)", page, pvalloc(10));
    CALL("pvalloc(SIZE_MAX)", 0, pvalloc(SIZE_MAX));
    {
        errno = SENTINEL;
        char *p = malloc(10);
        void *r = realloc(p, 0);
        printf("%-34s %s errno=%d\n", "realloc(p,0)", r ? "block" : "NULL", errno);
        free(r);
    }
    CALL("realloc(NULL,0)", 0, realloc(NULL, 0));
    CALL("realloc(NULL,10)", 16, realloc(NULL, 10));
    {
        char *p = malloc(10);
        memcpy(p, "memscope!", 10);
        errno = SENTINEL;
        char *r = realloc(p, SIZE_MAX);
        printf("%-34s %s errno=%d old-kept=%d\n", "realloc(p,SIZE_MAX)", r ? "block" : "NULL", errno,
               !r && strcmp(p, "memscope!") == 0);
        free(r ? r : p);
        p = malloc(10);
        memcpy(p, "memscope!", 10);
        errno = SENTINEL;
        r = realloc(p, 100000);
        printf("%-34s %s errno=%d kept=%d\n", "realloc(p,100000) contents", r ? "block" : "NULL", errno,
               r && strcmp(r, "memscope!") == 0);
        free(r);
    }
    {
        char *p = malloc(10);
        errno = SENTINEL;
        void *r = reallocarray(p, SIZE_MAX / 2, 3);
        printf("%-34s %s errno=%d\n", "reallocarray(p,SIZE_MAX/2,3)", r ? "block" : "NULL", errno);
        free(r ? r : p);
        errno = SENTINEL;
        r = reallocarray(NULL, 4, 5);
        printf("%-34s %s errno=%d\n", "reallocarray(NULL,4,5)", r ? "block" : "NULL", errno);
        free(r);
    }
    {
        errno = SENTINEL;
        free(NULL);
        printf("%-34s errno=%d\n", "free(NULL)", errno);
        char *p = malloc(10);
        errno = SENTINEL;
        free(p);
        printf("%-34s errno=%d\n", "free(p)", errno);
        errno = SENTINEL;
        size_t usable = malloc_usable_size(NULL);
        printf("%-34s %zu errno=%d\n", "malloc_usable_size(NULL)", usable, errno);
        p = malloc(10);
        errno = SENTINEL;
        usable = malloc_usable_size(p);
        printf("%-34s %s errno=%d\n", "malloc_usable_size(malloc(10))", usable >= 10 ? ">=10" : "<10", errno);
        free(p);
    }
    return 0;
}
