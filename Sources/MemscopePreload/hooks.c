/* The interposed allocator entry points. Each calls glibc's real allocator and
 * records the call, unless the thread is already inside the recorder. With --guard or
 * --quarantine (`ms_debug`), guard.c allocates instead. */
#include "recorder.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

/* True when this call must be recorded; the caller then calls leave(). */
static inline bool enter(void) {
    if (__builtin_expect(ms_busy, 0)) return false;
    if (__builtin_expect(ms_state != MS_ACTIVE, 0)) {
        if (ms_state == MS_OFF) return false;
        ms_busy = 1;
        bool started = ms_ensure_started();
        ms_busy = 0;
        if (!started) return false;
    }
    ms_busy = 1;
    if (__builtin_expect(ms_scan_requested, 0)) ms_scan_on_request();
    return true;
}

static inline void leave(void) { ms_busy = 0; }

MS_EXPORT void *malloc(size_t size) {
    if (!enter()) return __libc_malloc(size);
    void *p = __builtin_expect(ms_debug, 0) ? ms_debug_alloc(0, size, false, MS_MALLOC) : __libc_malloc(size);
    if (!ms_debug) ms_record_alloc(p, size, MS_MALLOC);
    leave();
    return p;
}

MS_EXPORT void free(void *p) {
    if (!p) return;
    if (__builtin_expect(ms_debug, 0)) {
        bool recording = enter();
        ms_debug_free(p, recording);
        if (recording) leave();
        return;
    }
    if (!enter()) { __libc_free(p); return; }
    /* Recorded before the real free: glibc may abort on a double free, and
     * the address may be reused by another thread as soon as it is freed. */
    ms_record_free(p);
    leave();
    __libc_free(p);
}

MS_EXPORT void *calloc(size_t count, size_t size) {
    if (!enter()) return __libc_calloc(count, size);
    size_t bytes;
    bool overflow = __builtin_mul_overflow(count, size, &bytes);
    if (overflow) bytes = 0;
    if (__builtin_expect(ms_debug, 0) && !overflow) {
        void *p = ms_debug_alloc(0, bytes, true, MS_CALLOC);
        leave();
        return p;
    }
    void *p = __libc_calloc(count, size);
    ms_record_alloc(p, bytes, MS_CALLOC);
    leave();
    return p;
}

MS_EXPORT void *realloc(void *old, size_t size) {
    if (__builtin_expect(ms_debug, 0)) {
        bool recording = enter();
        void *p = ms_debug_realloc(old, size, recording);
        if (recording) leave();
        return p;
    }
    if (!enter()) return __libc_realloc(old, size);
    void *p = __libc_realloc(old, size);
    ms_record_realloc(old, p, size);
    leave();
    return p;
}

static void *aligned(size_t alignment, size_t size, int kind) {
    if (!enter()) return __libc_memalign(alignment, size);
    if (__builtin_expect(ms_debug, 0)) {
        void *p = ms_debug_alloc(alignment, size, false, kind);
        leave();
        return p;
    }
    void *p = __libc_memalign(alignment, size);
    ms_record_alloc(p, size, kind);
    leave();
    return p;
}

MS_EXPORT void *memalign(size_t alignment, size_t size) { return aligned(alignment, size, MS_MEMALIGN); }

MS_EXPORT void *aligned_alloc(size_t alignment, size_t size) {
    /* glibc accepts any power of two here, as memalign does. */
    if (alignment == 0 || (alignment & (alignment - 1))) { errno = EINVAL; return NULL; }
    return aligned(alignment, size, MS_ALIGNED_ALLOC);
}

MS_EXPORT int posix_memalign(void **out, size_t alignment, size_t size) {
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) || alignment == 0) return EINVAL;
    int saved = errno;
    void *p = aligned(alignment, size, MS_POSIX_MEMALIGN);
    if (!p) { errno = saved; return ENOMEM; }
    *out = p;
    return 0;
}

MS_EXPORT void *valloc(size_t size) {
    if (!enter()) return __libc_valloc(size);
    if (__builtin_expect(ms_debug, 0)) {
        void *p = ms_debug_alloc((size_t)sysconf(_SC_PAGESIZE), size, false, MS_VALLOC);
        leave();
        return p;
    }
    void *p = __libc_valloc(size);
    ms_record_alloc(p, size, MS_VALLOC);
    leave();
    return p;
}

MS_EXPORT void *pvalloc(size_t size) {
    if (!enter()) return __libc_pvalloc(size);
    if (__builtin_expect(ms_debug, 0)) {
        size_t page = (size_t)sysconf(_SC_PAGESIZE);
        size_t rounded = size ? (size + page - 1) & ~(page - 1) : page;
        void *p = ms_debug_alloc(page, rounded < size ? SIZE_MAX : rounded, false, MS_PVALLOC);
        leave();
        return p;
    }
    void *p = __libc_pvalloc(size);
    ms_record_alloc(p, size, MS_PVALLOC);
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
        int was_busy = ms_busy;
        ms_busy = 1;
        real = (size_t(*)(void *))dlsym(RTLD_NEXT, "malloc_usable_size");
        ms_busy = was_busy;
        if (!real) return 0;
    }
    return real(p);
}
