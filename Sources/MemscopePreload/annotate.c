/* The annotation ABI (Sources/MemscopePreload/include/memscope.h). A program finds these with dlsym, so
 * it runs unchanged without memscope. */
#include "recorder.h"

#include <string.h>

static bool begin(void) {
    if (ms_busy || ms_state != MS_ACTIVE) return false;
    ms_busy = 1;
    return true;
}

static void end(void) { ms_busy = 0; }

static size_t bounded(const char *s) { return s ? strnlen(s, 256) : 0; }

MS_EXPORT void memscope_annotate(const void *address, const char *name, const char *type) {
    if (!begin()) return;
    size_t name_len = bounded(name), type_len = bounded(type);
    uint8_t *e = ms_event_begin(48 + name_len + type_len);
    if (e) {
        *e++ = MS_EV_ANNOTATE;
        e = ms_put(e, ms_now());
        e = ms_put(e, (uintptr_t)address);
        e = ms_put_string(e, name ? name : "", name_len);
        e = ms_put_string(e, type ? type : "", type_len);
        ms_event_end(e);
    }
    end();
}

MS_EXPORT void memscope_scope_enter(const char *name) {
    if (!begin()) return;
    size_t len = bounded(name);
    uint8_t *e = ms_event_begin(32 + len);
    if (e) {
        *e++ = MS_EV_SCOPE_ENTER;
        e = ms_put(e, ms_now());
        e = ms_put_string(e, name ? name : "", len);
        ms_event_end(e);
    }
    end();
}

MS_EXPORT void memscope_scope_exit(void) {
    if (!begin()) return;
    ms_record_simple(MS_EV_SCOPE_EXIT);
    end();
}

MS_EXPORT void memscope_task_enter(uint64_t task) {
    if (!begin()) return;
    uint8_t *e = ms_event_begin(32);
    if (e) {
        *e++ = MS_EV_TASK_ENTER;
        e = ms_put(e, ms_now());
        e = ms_put(e, task);
        ms_event_end(e);
    }
    end();
}

MS_EXPORT void memscope_task_exit(void) {
    if (!begin()) return;
    ms_record_simple(MS_EV_TASK_EXIT);
    end();
}
