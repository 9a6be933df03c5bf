/* The interposed allocator entry points. Each calls glibc's real allocator and
 * records the call, unless the thread is already inside the recorder. With --guard or
 * --quarantine (`ms_debug`), guard.c allocates instead. */
#include "recorder.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

/* errno: the program sees what glibc leaves in it. The recorder's own work (starting,
 * unwinding, mapping a chunk) must not change it, so each hook keeps errno as the real
 * allocator left it (`int e = errno` right after the call) and puts it back after
 * recording; under --guard/--quarantine, errno as at entry on success, ENOMEM on failure. */

/* True when this call must be recorded; the caller then calls leave(). */
static inline bool enter(void) {
    if (__builtin_expect(ms_busy, 0)) return false;
    if (__builtin_expect(ms_state != MS_ACTIVE, 0)) {
        if (ms_state == MS_OFF) return false;
        int e = errno;
        ms_busy = 1;
        bool started = ms_ensure_started();
        ms_busy = 0;
        errno = e;
        if (!started) return false;
    }
    ms_busy = 1;
    if (__builtin_expect(ms_scan_requested, 0)) {
        int e = errno;
        ms_scan_on_request();
        errno = e;
    }
    return true;
}

/* errno after a --guard/--quarantine call that returned `p`. */
static inline void debug_errno(void *p, int at_entry) { errno = p ? at_entry : ENOMEM; }

static inline void leave(void) { ms_busy = 0; }

MS_EXPORT void *malloc(size_t size) {
    if (!enter()) return __libc_malloc(size);
    int e = errno;
    void *p;
    if (__builtin_expect(ms_debug, 0)) {
        p = ms_debug_alloc(0, size, false, MS_MALLOC);
        debug_errno(p, e);
    } else {
        p = __libc_malloc(size);
        e = errno;
        ms_record_alloc(p, size, MS_MALLOC);
        errno = e;
    }
    leave();
    return p;
}

MS_EXPORT void free(void *p) {
    if (!p) return;
    if (__builtin_expect(ms_debug, 0)) {
        int e = errno;
        bool recording = enter();
        ms_debug_free(p, recording);
        if (recording) leave();
        errno = e;
        return;
    }
    if (!enter()) { __libc_free(p); return; }
    /* Recorded before the real free: glibc may abort on a double free, and
     * the address may be reused by another thread as soon as it is freed. */
    int e = errno;
    ms_record_free(p);
    errno = e;
    leave();
    __libc_free(p);
}

MS_EXPORT void *calloc(size_t count, size_t size) {
    if (!enter()) return __libc_calloc(count, size);
    size_t bytes;
    bool overflow = __builtin_mul_overflow(count, size, &bytes);
    if (overflow) bytes = 0;
    int e = errno;
    if (__builtin_expect(ms_debug, 0) && !overflow) {
        void *p = ms_debug_alloc(0, bytes, true, MS_CALLOC);
        debug_errno(p, e);
        leave();
        return p;
    }
    void *p = __libc_calloc(count, size);
    e = errno;
    ms_record_alloc(p, bytes, MS_CALLOC);
    errno = e;
    leave();
    return p;
}

MS_EXPORT void *realloc(void *old, size_t size) {
    if (__builtin_expect(ms_debug, 0)) {
        int e = errno;
        bool recording = enter();
        void *p = ms_debug_realloc(old, size, recording);
        if (recording) leave();
        debug_errno(p || (old && size == 0) ? (void *)1 : NULL, e); /* realloc(p, 0) frees: no error */
        return p;
    }
    if (!enter()) return __libc_realloc(old, size);
    /* The old block's words: read now when realloc(p, 0) frees it, else from the new block
     * if it moves (its contents are copied there). */
    size_t old_usable = old && ms_scan_on_free ? ms_block_usable(old) : 0;
    if (old_usable && size == 0) {
        int e = errno;
        ms_record_words(ms_now(), (uintptr_t)old, old, old_usable);
        errno = e;
        old_usable = 0;
    }
    void *p = __libc_realloc(old, size);
    int e = errno;
    ms_record_realloc_words(old, p, size, old_usable);
    errno = e;
    leave();
    return p;
}

/* glibc's own aligned_alloc: up to 2.37 it is memalign (any alignment, rounded up to a
 * power of two); from 2.38 it refuses an alignment that is not a power of two (EINVAL).
 * Found once with dlsym, so the program gets whichever its C library has. */
static void *(*real_aligned_alloc)(size_t, size_t);

static void *(*glibc_aligned_alloc(void))(size_t, size_t) {
    void *(*real)(size_t, size_t) = __atomic_load_n(&real_aligned_alloc, __ATOMIC_ACQUIRE);
    if (real) return real;
    int e = errno, was_busy = ms_busy;
    ms_busy = 1;
    real = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "aligned_alloc");
    ms_busy = was_busy;
    errno = e;
    if (!real) real = __libc_memalign;
    __atomic_store_n(&real_aligned_alloc, real, __ATOMIC_RELEASE);
    return real;
}

/* Whether glibc's aligned_alloc refuses this alignment (asked once, with a probe). */
static bool glibc_refuses_alignment(size_t alignment) {
    static int strict = -1; /* 1: alignments must be powers of two (glibc 2.38+) */
    if (alignment && !(alignment & (alignment - 1))) return false;
    if (strict < 0) {
        int e = errno;
        void *probe = glibc_aligned_alloc()(3, 1);
        strict = probe == NULL;
        __libc_free(probe);
        errno = e;
    }
    return strict;
}

/* memalign's rules (glibc's _mid_memalign), for --guard/--quarantine. */
static void *debug_aligned(size_t alignment, size_t size, int kind) {
    if (alignment > SIZE_MAX / 2 + 1) { errno = EINVAL; return NULL; }
    int e = errno;
    void *p = ms_debug_alloc(alignment, size, false, kind);
    debug_errno(p, e);
    return p;
}

MS_EXPORT void *memalign(size_t alignment, size_t size) {
    if (!enter()) return __libc_memalign(alignment, size);
    if (__builtin_expect(ms_debug, 0)) {
        void *p = debug_aligned(alignment, size, MS_MEMALIGN);
        leave();
        return p;
    }
    void *p = __libc_memalign(alignment, size);
    int e = errno;
    ms_record_alloc(p, size, MS_MEMALIGN);
    errno = e;
    leave();
    return p;
}

MS_EXPORT void *aligned_alloc(size_t alignment, size_t size) {
    if (!enter()) return glibc_aligned_alloc()(alignment, size);
    if (__builtin_expect(ms_debug, 0)) {
        void *p = NULL;
        if (glibc_refuses_alignment(alignment)) errno = EINVAL;
        else p = debug_aligned(alignment, size, MS_ALIGNED_ALLOC);
        leave();
        return p;
    }
    void *p = glibc_aligned_alloc()(alignment, size);
    int e = errno;
    if (p || e != EINVAL) ms_record_alloc(p, size, MS_ALIGNED_ALLOC); /* a refused alignment allocates nothing */
    errno = e;
    leave();
    return p;
}

/* glibc: EINVAL, *out untouched, unless the alignment is a power-of-two multiple of
 * sizeof(void *); ENOMEM (errno ENOMEM too) when the allocation fails. */
MS_EXPORT int posix_memalign(void **out, size_t alignment, size_t size) {
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) || alignment == 0) return EINVAL;
    void *p;
    if (!enter()) {
        p = __libc_memalign(alignment, size);
    } else if (__builtin_expect(ms_debug, 0)) {
        p = debug_aligned(alignment, size, MS_POSIX_MEMALIGN);
        leave();
    } else {
        p = __libc_memalign(alignment, size);
        int e = errno;
        ms_record_alloc(p, size, MS_POSIX_MEMALIGN);
        errno = e;
        leave();
    }
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

MS_EXPORT void *valloc(size_t size) {
    if (!enter()) return __libc_valloc(size);
    int e = errno;
    if (__builtin_expect(ms_debug, 0)) {
        void *p = ms_debug_alloc((size_t)sysconf(_SC_PAGESIZE), size, false, MS_VALLOC);
        debug_errno(p, e);
        leave();
        return p;
    }
    void *p = __libc_valloc(size);
    e = errno;
    ms_record_alloc(p, size, MS_VALLOC);
    errno = e;
    leave();
    return p;
}

MS_EXPORT void *pvalloc(size_t size) {
    if (!enter()) return __libc_pvalloc(size);
    int e = errno;
    if (__builtin_expect(ms_debug, 0)) {
        size_t page = (size_t)sysconf(_SC_PAGESIZE);
        size_t rounded = size ? (size + page - 1) & ~(page - 1) : page;
        void *p = ms_debug_alloc(page, rounded < size ? SIZE_MAX : rounded, false, MS_PVALLOC);
        debug_errno(p, e);
        leave();
        return p;
    }
    void *p = __libc_pvalloc(size);
    e = errno;
    ms_record_alloc(p, size, MS_PVALLOC);
    errno = e;
    leave();
    return p;
}

/* Under --guard a block is larger than asked for: report the size the program asked for,
 * as the C library documents for blocks it allocates. glibc's own answer otherwise. */
MS_EXPORT size_t malloc_usable_size(void *p) {
    static size_t (*real)(void *);
    if (!p) return 0;
    if (__builtin_expect(ms_debug, 0)) {
        size_t size = ms_debug_usable_size(p);
        if (size != SIZE_MAX) return size;
    }
    if (!real) {
        int was_busy = ms_busy, e = errno;
        ms_busy = 1;
        real = (size_t(*)(void *))dlsym(RTLD_NEXT, "malloc_usable_size");
        ms_busy = was_busy;
        errno = e;
        if (!real) return 0;
    }
    return real(p);
}
