/* memscope's annotation ABI, for C and C++ programs.
 *
 * When a program runs under `memscope record`, the recorder exports
 *   void memscope_annotate(const void *address, const char *name, const char *type);
 *   void memscope_scope_enter(const char *name);
 *   void memscope_scope_exit(void);
 *   void memscope_task_enter(uint64_t task);
 *   void memscope_task_exit(void);
 * The helpers below find them with dlsym on first use and do nothing when they
 * are absent, so the program runs unchanged without memscope and needs no
 * library to link. Copy this header into your project; it has no dependencies
 * beyond libc (dlsym is in libc since glibc 2.34; older glibc needs -ldl).
 *
 *   struct request *r = malloc(sizeof *r);
 *   MEMSCOPE_ANNOTATE(r, "r", "struct request");
 *   MEMSCOPE_SCOPE_ENTER("parse_headers");
 *   ...
 *   MEMSCOPE_SCOPE_EXIT();
 */
#ifndef MEMSCOPE_H
#define MEMSCOPE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdint.h>

typedef void (*memscope_annotate_fn)(const void *, const char *, const char *);
typedef void (*memscope_name_fn)(const char *);
typedef void (*memscope_void_fn)(void);
typedef void (*memscope_task_fn)(uint64_t);

/* The entry point `name`, looked up once (NULL without memscope). */
static inline void *memscope_entry(void **cache, int *looked, const char *name) {
    if (!*looked) {
        *cache = dlsym(RTLD_DEFAULT, name);
        *looked = 1;
    }
    return *cache;
}

static inline void memscope_annotate_block(const void *address, const char *name, const char *type) {
    static void *fn;
    static int looked;
    memscope_annotate_fn f = (memscope_annotate_fn)memscope_entry(&fn, &looked, "memscope_annotate");
    if (f) f(address, name, type);
}

static inline void memscope_enter_scope(const char *name) {
    static void *fn;
    static int looked;
    memscope_name_fn f = (memscope_name_fn)memscope_entry(&fn, &looked, "memscope_scope_enter");
    if (f) f(name);
}

static inline void memscope_exit_scope(void) {
    static void *fn;
    static int looked;
    memscope_void_fn f = (memscope_void_fn)memscope_entry(&fn, &looked, "memscope_scope_exit");
    if (f) f();
}

static inline void memscope_enter_task(uint64_t task) {
    static void *fn;
    static int looked;
    memscope_task_fn f = (memscope_task_fn)memscope_entry(&fn, &looked, "memscope_task_enter");
    if (f) f(task);
}

static inline void memscope_exit_task(void) {
    static void *fn;
    static int looked;
    memscope_void_fn f = (memscope_void_fn)memscope_entry(&fn, &looked, "memscope_task_exit");
    if (f) f();
}

#define MEMSCOPE_ANNOTATE(address, name, type) memscope_annotate_block((address), (name), (type))
#define MEMSCOPE_SCOPE_ENTER(name) memscope_enter_scope(name)
#define MEMSCOPE_SCOPE_EXIT() memscope_exit_scope()
#define MEMSCOPE_TASK_ENTER(task) memscope_enter_task(task)
#define MEMSCOPE_TASK_EXIT() memscope_exit_task()

#endif
