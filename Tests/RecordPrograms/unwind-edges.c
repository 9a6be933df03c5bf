/* Stacks the default unwinder must walk as libunwind does (UnwinderTests): recursion
 * 1…60 deep through frames of every form gcc -O2 makes (no frame pointer, a frame pointer
 * for alloca, a realigned stack, whose CFA is a DWARF expression), threads, a fork, a
 * signal handler that allocates (on its own stack too), and a library loaded, used and
 * unloaded fifty times. Every count is deterministic.
 * Usage: unwind-edges LIBRARY (the same file built with -DUNWIND_EDGES_LIBRARY -shared). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef UNWIND_EDGES_LIBRARY
/* Allocates while the library is being loaded (inside dlopen). */
__attribute__((constructor)) static void library_loaded(void) {
    void *volatile p = malloc(7);
    free(p);
}
__attribute__((noinline)) static void *library_inner(int k) { return malloc(10 + (size_t)k); }
__attribute__((noinline)) void *library_alloc(int k) {
    void *volatile extra = malloc(5);
    free(extra);
    return library_inner(k);
}
#else
#include <alloca.h>
#include <stdbool.h>
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static __thread void *kept[64]; /* each thread's blocks kept alive a while */

__attribute__((noinline)) static void leaf(int i) {
    void *volatile p = malloc(16 + (size_t)(i % 100));
    void *volatile q = calloc(2, 8 + (size_t)(i % 7));
    free(p);
    p = realloc(q, 200);
    free(p);
    size_t slot = (size_t)i % 64;
    free(kept[slot]);
    kept[slot] = malloc(24);
}

static void descend(int depth, int i);

/* rbp-based: alloca makes gcc keep a frame pointer. */
__attribute__((noinline)) static void with_alloca(int depth, int i) {
    char *buffer = alloca(16 + (size_t)(depth & 7) * 16);
    memset(buffer, depth, 16);
    descend(depth - 1, i + buffer[3]);
    __asm__ volatile("" ::: "memory");
}

/* A realigned stack with a variable-sized block too: gcc keeps the incoming stack
 * pointer in a register (DRAP), the CFA is a DWARF expression (libunwind walks these). */
__attribute__((noinline)) static void realigned(int depth, int i) {
    char block[64] __attribute__((aligned(64)));
    char *extra = alloca(8 + (size_t)(depth & 3) * 8);
    memset(block, depth, sizeof block);
    extra[0] = block[1];
    __asm__ volatile("" : : "r"(block), "r"(extra) : "memory");
    descend(depth - 1, i + extra[0] - depth);
    __asm__ volatile("" ::: "memory");
}

/* A large frame. */
__attribute__((noinline)) static void large(int depth, int i) {
    volatile char big[5000];
    big[depth] = (char)i;
    descend(depth - 1, i + big[depth] - (char)i);
    __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void plain(int depth, int i) {
    descend(depth - 1, i);
    __asm__ volatile("" ::: "memory");
}

static void descend(int depth, int i) {
    if (depth <= 0) { leaf(i); return; }
    switch (depth % 11) {
    case 3: with_alloca(depth, i); break;
    case 7: large(depth, i); break;
    default: plain(depth, i); break;
    }
}

static void run(int rounds, bool with_realigned) {
    for (int i = 0; i < rounds; i++) {
        int depth = 1 + i % 60;
        if (with_realigned && i % 97 == 0) realigned(depth, i);
        else descend(depth, i);
    }
}

static void free_kept(void) {
    for (int k = 0; k < 64; k++) {
        free(kept[k]);
        kept[k] = NULL;
    }
}

static void *worker(void *arg) {
    run(3000 + (int)(intptr_t)arg * 100, false);
    free_kept();
    return NULL;
}

static void on_signal(int signal) {
    (void)signal;
    void *volatile p = malloc(48);
    free(p);
}

int main(int argc, char **argv) {
    run(6000, true);

    pthread_t threads[4];
    for (intptr_t t = 0; t < 4; t++) pthread_create(&threads[t], NULL, worker, (void *)t);
    for (int t = 0; t < 4; t++) pthread_join(threads[t], NULL);

    /* A handler that allocates, on the thread's stack and then on an alternate stack. */
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigaction(SIGUSR1, &action, NULL);
    for (int k = 0; k < 20; k++) raise(SIGUSR1);
    stack_t alternate = {.ss_sp = malloc(1 << 16), .ss_size = 1 << 16};
    sigaltstack(&alternate, NULL);
    action.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &action, NULL);
    for (int k = 0; k < 20; k++) raise(SIGUSR1);

    pid_t child = fork();
    if (child == 0) {
        run(2000, true);
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);

    if (argc > 1) {
        for (int k = 0; k < 50; k++) {
            void *library = dlopen(argv[1], RTLD_NOW);
            if (!library) { fprintf(stderr, "%s\n", dlerror()); return 1; }
            void *(*library_alloc)(int) = (void *(*)(int))dlsym(library, "library_alloc");
            free(library_alloc(k));
            dlclose(library);
            run(50, false);
        }
    }
    free_kept();
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
#endif
