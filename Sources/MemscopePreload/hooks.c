/* The interposed allocator entry points. Each calls glibc's real allocator and
 * records the call, unless the thread is already inside the recorder. */
#include "recorder.h"

#include <errno.h>

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
    void *p = __libc_malloc(size);
    ms_record_alloc(p, size, MS_MALLOC);
    leave();
    return p;
}

MS_EXPORT void free(void *p) {
    if (!p) return;
    if (!enter()) { __libc_free(p); return; }
    /* Recorded before the real free: glibc may abort on a double free, and
     * the address may be reused by another thread as soon as it is freed. */
    ms_record_free(p);
    leave();
    __libc_free(p);
}

MS_EXPORT void *calloc(size_t count, size_t size) {
    if (!enter()) return __libc_calloc(count, size);
    void *p = __libc_calloc(count, size);
    size_t bytes;
    if (__builtin_mul_overflow(count, size, &bytes)) bytes = 0;
    ms_record_alloc(p, bytes, MS_CALLOC);
    leave();
    return p;
}

MS_EXPORT void *realloc(void *old, size_t size) {
    if (!enter()) return __libc_realloc(old, size);
    void *p = __libc_realloc(old, size);
    ms_record_realloc(old, p, size);
    leave();
    return p;
}

static void *aligned(size_t alignment, size_t size, int kind) {
    if (!enter()) return __libc_memalign(alignment, size);
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
    void *p = __libc_valloc(size);
    ms_record_alloc(p, size, MS_VALLOC);
    leave();
    return p;
}

MS_EXPORT void *pvalloc(size_t size) {
    if (!enter()) return __libc_pvalloc(size);
    void *p = __libc_pvalloc(size);
    ms_record_alloc(p, size, MS_PVALLOC);
    leave();
    return p;
}
