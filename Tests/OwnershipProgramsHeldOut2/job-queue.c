/* A bounded job queue between threads: two producer threads allocate jobs (each owning a
 * payload buffer) and push them into a ring of slots (a heap array) inside a shared queue
 * struct guarded by a mutex and two condition variables; a consumer thread pops each job,
 * processes it and frees it (payload, then job). Every job and payload is thus allocated
 * on a producer thread and freed on the consumer thread. A job also points at its
 * producer's descriptor (allocated and freed by main). The ring refers to queued jobs; it
 * never frees them. A NULL job from each producer ends the stream. No scan. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 32
#define JOBS 1500

struct producer {
    int id;
    unsigned seed;
    long produced;
};

struct job {
    struct producer *from;
    int sequence;
    size_t size;
    unsigned char *payload;
};

struct queue {
    struct job **slots;
    int head, count;
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
};

static struct queue *queue_new(void) {
    struct queue *q = malloc(sizeof *q); // site: queue
    q->slots = calloc(SLOTS, sizeof *q->slots); // site: slots
    q->head = q->count = 0;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->not_empty, NULL);
    pthread_cond_init(&q->not_full, NULL);
    return q;
}

static void queue_push(struct queue *q, struct job *j) {
    pthread_mutex_lock(&q->lock);
    while (q->count == SLOTS) pthread_cond_wait(&q->not_full, &q->lock);
    q->slots[(q->head + q->count++) % SLOTS] = j;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->lock);
}

static struct job *queue_pop(struct queue *q) {
    pthread_mutex_lock(&q->lock);
    while (q->count == 0) pthread_cond_wait(&q->not_empty, &q->lock);
    struct job *j = q->slots[q->head];
    q->slots[q->head] = NULL;
    q->head = (q->head + 1) % SLOTS;
    q->count--;
    pthread_cond_signal(&q->not_full);
    pthread_mutex_unlock(&q->lock);
    return j;
}

struct producer_args {
    struct queue *queue;
    struct producer *producer;
};

static struct job *job_new(struct producer *p, int sequence) {
    struct job *j = malloc(sizeof *j); // site: job
    j->from = p;
    j->sequence = sequence;
    j->size = 128 + (size_t)(rand_r(&p->seed) % 1024);
    j->payload = malloc(j->size); // site: payload
    memset(j->payload, sequence & 0xff, j->size);
    return j;
}

static void *produce(void *arg) {
    struct producer_args *a = arg;
    for (int i = 0; i < JOBS; i++) {
        queue_push(a->queue, job_new(a->producer, i));
        a->producer->produced++;
    }
    queue_push(a->queue, NULL);
    return NULL;
}

static void job_done(struct job *j) {
    free(j->payload); // site: payload_freed
    free(j); // site: job_freed
}

static void *consume(void *arg) {
    struct queue *q = arg;
    unsigned long checksum = 0;
    for (int ended = 0; ended < 2;) {
        struct job *j = queue_pop(q);
        if (!j) {
            ended++;
            continue;
        }
        for (size_t k = 0; k < j->size; k += 64) checksum += j->payload[k];
        checksum += (unsigned long)j->from->id;
        job_done(j);
    }
    return (void *)checksum;
}

int main(void) {
    struct queue *q = queue_new();
    struct producer *producers[2];
    struct producer_args args[2];
    pthread_t threads[3];
    for (int i = 0; i < 2; i++) {
        producers[i] = malloc(sizeof *producers[i]); // site: producer
        producers[i]->id = i + 1;
        producers[i]->seed = (unsigned)(i * 77 + 1);
        producers[i]->produced = 0;
        args[i].queue = q;
        args[i].producer = producers[i];
    }
    pthread_create(&threads[0], NULL, consume, q);
    for (int i = 0; i < 2; i++) pthread_create(&threads[i + 1], NULL, produce, &args[i]);
    void *checksum;
    pthread_join(threads[1], NULL);
    pthread_join(threads[2], NULL);
    pthread_join(threads[0], &checksum);
    printf("%lu %ld\n", (unsigned long)checksum, producers[0]->produced + producers[1]->produced);
    for (int i = 0; i < 2; i++) free(producers[i]);
    pthread_cond_destroy(&q->not_full);
    pthread_cond_destroy(&q->not_empty);
    pthread_mutex_destroy(&q->lock);
    free(q->slots);
    free(q);
    return 0;
}
