/* The recorder's clock (spool.c: the TSC between clock_gettime anchors while the process
 * has one thread, clock_gettime once it has more). Each allocation of size 1000 + i is
 * bracketed by CLOCK_MONOTONIC readings, printed to stderr as "T size before after", so
 * the test can check every recorded time against them. The allocations are 0.2 to 3 ms
 * apart (busy waits: the TSC runs on), the first 120 on one thread, then a second thread
 * allocates and frees, then 60 more on the main thread. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define FIRST 120
#define COUNT 180

static unsigned long long now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (unsigned long long)t.tv_sec * 1000000000ull + (unsigned long long)t.tv_nsec;
}

static void *volatile sink;

static void *worker(void *arg) {
    for (int i = 0; i < 1000; i++) {
        sink = malloc(24);
        free(sink);
    }
    return arg;
}

int main(void) {
    static unsigned long long before[COUNT], after[COUNT];
    for (int i = 0; i < COUNT; i++) {
        if (i == FIRST) {
            pthread_t thread;
            pthread_create(&thread, NULL, worker, NULL);
            pthread_join(thread, NULL);
        }
        before[i] = now();
        sink = malloc(1000 + (size_t)i);
        after[i] = now();
        unsigned long long until = after[i] + (i % 7 == 0 ? 3000000ull : i % 3 == 0 ? 200000ull : 700000ull);
        while (now() < until) {}
    }
    for (int i = 0; i < COUNT; i++) fprintf(stderr, "T %d %llu %llu\n", 1000 + i, before[i], after[i]);
    return 0;
}
