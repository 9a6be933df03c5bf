/* Threads: start (with the creating thread), name and exit. */
#include "recorder.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

struct start_args {
    void *(*routine)(void *);
    void *arg;
    uint32_t parent;
};

/* pthread_t → tid, for names set from another thread. */
#define REGISTRY_SIZE 4096
static struct { pthread_t thread; uint32_t tid; bool exited; } registry[REGISTRY_SIZE];

static int any_exited; /* some entry was marked exited: a reference scan then looks them up */

static pthread_key_t exit_key;
static bool exit_key_ready;

static void remember(pthread_t thread, uint32_t tid) {
    size_t slot = ((uintptr_t)thread >> 6) % REGISTRY_SIZE;
    for (size_t i = 0; i < REGISTRY_SIZE; i++, slot = (slot + 1) % REGISTRY_SIZE) {
        uint32_t seen = __atomic_load_n(&registry[slot].tid, __ATOMIC_ACQUIRE);
        if (seen == 0 || registry[slot].thread == thread) {
            registry[slot].thread = thread;
            registry[slot].exited = false;
            __atomic_store_n(&registry[slot].tid, tid, __ATOMIC_RELEASE);
            return;
        }
    }
}

static uint32_t lookup(pthread_t thread) {
    size_t slot = ((uintptr_t)thread >> 6) % REGISTRY_SIZE;
    for (size_t i = 0; i < REGISTRY_SIZE; i++, slot = (slot + 1) % REGISTRY_SIZE) {
        uint32_t tid = __atomic_load_n(&registry[slot].tid, __ATOMIC_ACQUIRE);
        if (tid == 0) return 0;
        if (registry[slot].thread == thread) return tid;
    }
    return 0;
}

/* True when [start, end) holds the descriptor (so the stack) of an exited thread
 * and of no running one: glibc keeps such stacks mapped for reuse. */
bool ms_is_dead_thread_stack(uintptr_t start, uintptr_t end) {
    if (!__atomic_load_n(&any_exited, __ATOMIC_RELAXED)) return false; /* no walk over the table per mapping */
    bool dead = false;
    for (size_t i = 0; i < REGISTRY_SIZE; i++) {
        if (!__atomic_load_n(&registry[i].tid, __ATOMIC_ACQUIRE)) continue;
        uintptr_t descriptor = (uintptr_t)registry[i].thread;
        if (descriptor < start || descriptor >= end) continue;
        if (!registry[i].exited) return false;
        dead = true;
    }
    return dead;
}

static void mark_exited(pthread_t thread) {
    size_t slot = ((uintptr_t)thread >> 6) % REGISTRY_SIZE;
    for (size_t i = 0; i < REGISTRY_SIZE; i++, slot = (slot + 1) % REGISTRY_SIZE) {
        if (!__atomic_load_n(&registry[slot].tid, __ATOMIC_ACQUIRE)) return;
        if (registry[slot].thread == thread) {
            __atomic_store_n(&any_exited, 1, __ATOMIC_RELAXED);
            registry[slot].exited = true;
            return;
        }
    }
}

/* In a fork child only the forking thread exists: the others' stacks are dead copies. */
void ms_threads_after_fork(void) {
    pthread_t self = pthread_self();
    for (size_t i = 0; i < REGISTRY_SIZE; i++)
        if (__atomic_load_n(&registry[i].tid, __ATOMIC_ACQUIRE) && !pthread_equal(registry[i].thread, self)) {
            any_exited = 1;
            registry[i].exited = true;
        }
}

/* The registry is the recorder's, not the program's: no root for a reference scan (a
 * thread whose stack the program allocated would have its block held by it). */
int ms_threads_own_ranges(struct ms_range *out, int max) {
    if (max < 1) return 0;
    out[0] = (struct ms_range){(uintptr_t)registry, (uintptr_t)(registry + REGISTRY_SIZE)};
    return 1;
}

static void on_thread_exit(void *value) {
    (void)value;
    mark_exited(pthread_self());
    if (ms_state != MS_ACTIVE) return;
    int was_busy = ms_busy;
    ms_busy = 1;
    ms_record_simple(MS_EV_THREAD_EXIT);
    ms_self.exited = true;
    ms_thread_release_chunk();
    ms_stacks_thread_exiting();
    ms_busy = was_busy;
}

void ms_threads_init(void) {
    if (!exit_key_ready && pthread_key_create(&exit_key, on_thread_exit) == 0) exit_key_ready = true;
    remember(pthread_self(), ms_gettid());
}

/* Registers the calling thread for its exit event. */
void ms_thread_attach(void) {
    if (exit_key_ready) pthread_setspecific(exit_key, (void *)1);
    remember(pthread_self(), ms_gettid());
}

static void *trampoline(void *raw) {
    struct start_args args = *(struct start_args *)raw;
    __libc_free(raw);
    if (ms_state == MS_ACTIVE) {
        ms_busy = 1;
        ms_record_thread_start(args.parent);
        ms_thread_attach();
        ms_busy = 0;
    }
    return args.routine(args.arg);
}

MS_EXPORT int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*routine)(void *), void *arg) {
    static int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
    if (!real) real = (int (*)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *))dlsym(RTLD_NEXT, "pthread_create");
    ms_clock_threaded(); /* before the thread can exist: see ms_now */
    ms_scan_direct_drop(); /* scan.c: no direct operations once threaded */
    struct start_args *args = __libc_malloc(sizeof *args);
    if (!args) return real(thread, attr, routine, arg);
    args->routine = routine;
    args->arg = arg;
    args->parent = ms_gettid();
    int result = real(thread, attr, trampoline, args);
    if (result != 0) __libc_free(args);
    return result;
}

MS_EXPORT int pthread_setname_np(pthread_t thread, const char *name) {
    static int (*real)(pthread_t, const char *);
    if (!real) real = (int (*)(pthread_t, const char *))dlsym(RTLD_NEXT, "pthread_setname_np");
    int result = real(thread, name);
    if (result == 0 && ms_state == MS_ACTIVE && !ms_busy) {
        uint32_t tid = pthread_equal(thread, pthread_self()) ? ms_gettid() : lookup(thread);
        if (tid) {
            ms_busy = 1;
            ms_record_thread_name(tid, name);
            ms_busy = 0;
        }
    }
    return result;
}
