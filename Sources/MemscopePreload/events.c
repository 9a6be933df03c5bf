/* Encoding of the events the hooks record. Each event is written whole into the
 * thread's chunk, then published (see spool.c). */
#include "recorder.h"

#include <string.h>

void ms_write_alloc(void *p, size_t size, int kind, uint32_t stack) {
    uint8_t *e = ms_event_begin(64);
    if (!e) return;
    uint64_t now = ms_now();
    *e++ = MS_EV_ALLOC;
    e = ms_put(e, now);
    e = ms_put(e, (uintptr_t)p);
    e = ms_put(e, size);
    e = ms_put(e, (uint64_t)kind);
    e = ms_put(e, stack);
    ms_event_end(e);
    ms_rss_tick(now);
}

uint32_t ms_record_alloc(void *p, size_t size, int kind) {
    uint32_t stack = ms_capture_stack(false);
    ms_write_alloc(p, size, kind, stack);
    return stack;
}

uint32_t ms_record_free(void *p) {
    uint32_t stack = ms_capture_stack(true);
    uint8_t *e = ms_event_begin(48);
    if (!e) return stack;
    *e++ = MS_EV_FREE;
    e = ms_put(e, ms_now());
    e = ms_put(e, (uintptr_t)p);
    e = ms_put(e, stack);
    ms_event_end(e);
    return stack;
}

void ms_write_realloc(void *old, void *p, size_t size, uint32_t stack) {
    uint8_t *e = ms_event_begin(64);
    if (!e) return;
    uint64_t now = ms_now();
    *e++ = MS_EV_REALLOC;
    e = ms_put(e, now);
    e = ms_put(e, (uintptr_t)old);
    e = ms_put(e, (uintptr_t)p);
    e = ms_put(e, size);
    e = ms_put(e, stack);
    ms_event_end(e);
    ms_rss_tick(now);
}

uint32_t ms_record_realloc(void *old, void *p, size_t size) {
    uint32_t stack = ms_capture_stack(false);
    ms_write_realloc(old, p, size, stack);
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
