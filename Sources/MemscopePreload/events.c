/* Encoding of the events the hooks record. Each event is written whole into the
 * thread's chunk, then published (see spool.c). */
#include "recorder.h"

#include <string.h>

void ms_write_alloc(void *p, size_t size, int kind, uint32_t stack) {
    uint8_t *e = ms_event_begin(64);
    if (!e) return;
    uint32_t start = ms_self.used;
    uint64_t now = ms_now();
    *e++ = MS_EV_ALLOC;
    e = ms_put(e, now);
    e = ms_put(e, (uintptr_t)p);
    e = ms_put(e, size);
    e = ms_put(e, (uint64_t)kind);
    e = ms_put(e, stack);
    ms_event_end(e);
    ms_scan_direct(MS_DIRECT_ALLOC, start, ms_self.used, now, 0, (uintptr_t)p, size);
    ms_note_heap_range((uintptr_t)p, size);
    ms_rss_tick(now);
    ms_scan_count();
}

uint32_t ms_record_alloc(void *p, size_t size, int kind) {
    if (kind != MS_CALLOC) ms_clear_new_block(p, 0);
    uint32_t stack = ms_capture_stack(false);
    ms_write_alloc(p, size, kind, stack);
    return stack;
}

uint32_t ms_record_free(void *p) {
    uint32_t stack = ms_capture_stack(true);
    uint64_t now = ms_now();
    if (ms_scan_on_free) {
        size_t usable = ms_block_usable(p);
        if (usable) ms_record_words(now, (uintptr_t)p, p, usable);
    }
    uint8_t *e = ms_event_begin(48);
    if (!e) return stack;
    uint32_t start = ms_self.used;
    *e++ = MS_EV_FREE;
    e = ms_put(e, now);
    e = ms_put(e, (uintptr_t)p);
    e = ms_put(e, stack);
    ms_event_end(e);
    ms_scan_direct(MS_DIRECT_FREE, start, ms_self.used, now, (uintptr_t)p, 0, 0);
    ms_scan_count();
    return stack;
}

static void write_realloc_at(uint64_t now, void *old, void *p, size_t size, uint32_t stack) {
    uint8_t *e = ms_event_begin(64);
    if (!e) return;
    uint32_t start = ms_self.used;
    *e++ = MS_EV_REALLOC;
    e = ms_put(e, now);
    e = ms_put(e, (uintptr_t)old);
    e = ms_put(e, (uintptr_t)p);
    e = ms_put(e, size);
    e = ms_put(e, stack);
    ms_event_end(e);
    ms_scan_direct(MS_DIRECT_REALLOC, start, ms_self.used, now, (uintptr_t)old, (uintptr_t)p, size);
    if (p) ms_note_heap_range((uintptr_t)p, size);
    ms_rss_tick(now);
    ms_scan_count();
}

void ms_write_realloc(void *old, void *p, size_t size, uint32_t stack) {
    write_realloc_at(ms_now(), old, p, size, stack);
}

uint32_t ms_record_realloc(void *old, void *p, size_t size) {
    return ms_record_realloc_words(old, p, size, 0);
}

/* The block moved: its contents up to the smaller size are in the new block now, which is
 * where its words are read (the old one is released already). */
uint32_t ms_record_realloc_words(void *old, void *p, size_t size, size_t old_usable) {
    uint32_t stack = ms_capture_stack(false);
    uint64_t now = ms_now();
    if (old_usable && p && p != old) ms_record_words(now, (uintptr_t)old, p, old_usable < size ? old_usable : size);
    /* Past the old block's bytes, the new or grown block holds what malloc left there. */
    if (p && size > old_usable && (old_usable || !old)) ms_clear_new_block(p, old_usable);
    write_realloc_at(now, old, p, size, stack);
    return stack;
}

void ms_record_thread_start(uint32_t parent) {
    uint8_t *e = ms_event_begin(32);
    if (!e) return;
    *e++ = MS_EV_THREAD_START;
    e = ms_put(e, ms_now());
    e = ms_put(e, parent);
    ms_event_end(e);
}

/* A name for `tid`: events carry no thread id of their own (their chunk's does),
 * so a name for another thread is written as that thread's "name" event with
 * the tid prepended. Tag MS_EV_THREAD_NAME payload: ts tid name. */
void ms_record_thread_name(uint32_t tid, const char *name) {
    size_t len = strnlen(name, 64);
    uint8_t *e = ms_event_begin(48 + len);
    if (!e) return;
    *e++ = MS_EV_THREAD_NAME;
    e = ms_put(e, ms_now());
    e = ms_put(e, tid);
    e = ms_put_string(e, name, len);
    ms_event_end(e);
}

/* Events whose only field is the timestamp. */
void ms_record_simple(int tag) {
    uint8_t *e = ms_event_begin(16);
    if (!e) return;
    *e++ = (uint8_t)tag;
    e = ms_put(e, ms_now());
    ms_event_end(e);
}

void ms_record_end(int how, int code) {
    uint8_t *e = ms_event_begin(32);
    if (!e) return;
    *e++ = MS_EV_END;
    e = ms_put(e, ms_now());
    e = ms_put(e, (uint64_t)how);
    e = ms_put(e, (uint64_t)(uint32_t)code);
    ms_event_end(e);
}
