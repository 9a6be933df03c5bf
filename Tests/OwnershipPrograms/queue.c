/* A queue that hands messages from the main thread to a consumer thread, which frees
 * them: each message owns its buffer; the ring (a heap array) refers to the queued
 * messages without owning them. Decoy: a statistics record made in produce (same
 * function) and freed by the main thread at the end. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

#define COUNT 300

struct message {
    char *buffer;
    size_t size;
};

static struct message **ring;
static int head, tail;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *stats[COUNT];

__attribute__((noinline)) static struct message *produce(int i) {
    struct message *m = malloc(sizeof *m); // site: message
    m->size = 64 + i % 64;
    m->buffer = malloc(m->size); // site: buffer
    memset(m->buffer, 'm', m->size);
    stats[i] = malloc(32); // site: stats
    return m;
}

__attribute__((noinline)) static void consume(struct message *m) {
    free(m->buffer); // site: buffer_freed
    free(m); // site: message_freed
}

static void *consumer(void *arg) {
    (void)arg;
    for (int taken = 0; taken < COUNT;) {
        pthread_mutex_lock(&lock);
        struct message *m = head < tail ? ring[head++] : NULL;
        pthread_mutex_unlock(&lock);
        if (m) {
            consume(m);
            taken++;
        }
    }
    return NULL;
}

int main(void) {
    ring = calloc(COUNT, sizeof *ring); // site: ring
    for (int i = 0; i < COUNT; i++) {
        struct message *m = produce(i);
        pthread_mutex_lock(&lock);
        ring[tail++] = m;
        pthread_mutex_unlock(&lock);
    }
    scan_now();
    pthread_t thread;
    pthread_create(&thread, NULL, consumer, NULL);
    pthread_join(thread, NULL);
    free(ring);
    free(malloc(64));
    for (int i = 0; i < COUNT; i++) free(stats[i]);
    return 0;
}
