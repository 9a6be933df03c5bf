/* 4 named workers each allocate 1000 blocks of 32 bytes and hand them to the
 * main thread, which frees them all (4000 cross-thread frees); each worker also
 * leaks one 1000-byte block. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define WORKERS 4
#define BLOCKS 1000

static void *handed[WORKERS][BLOCKS];

__attribute__((noinline)) static void *worker(void *arg) {
    long index = (long)arg;
    char name[16];
    snprintf(name, sizeof name, "worker-%ld", index);
    pthread_setname_np(pthread_self(), name);
    for (int i = 0; i < BLOCKS; i++) handed[index][i] = malloc(32);
    return malloc(1000);
}

int main(void) {
    pthread_t threads[WORKERS];
    for (long i = 0; i < WORKERS; i++) pthread_create(&threads[i], NULL, worker, (void *)i);
    for (int i = 0; i < WORKERS; i++) pthread_join(threads[i], NULL);
    for (int w = 0; w < WORKERS; w++)
        for (int i = 0; i < BLOCKS; i++) free(handed[w][i]);
    return 0;
}
