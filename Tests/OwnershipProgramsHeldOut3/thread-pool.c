/* A fixed thread pool computing checksums of buffers, future-style: main (the producer)
 * allocates a task and its input buffer, submits the task to the pool's ring of pending
 * tasks and keeps it in its own array to wait on. A worker takes the task from the ring,
 * consumes and frees the input buffer (the input is allocated on main and freed on the
 * worker), allocates a result, attaches it to the task and signals completion. Main waits
 * for each task of a batch (last submitted first), reads the result and frees it (allocated
 * on a worker, freed on main), then frees the task. The ring only refers to pending tasks.
 * No scan. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORKERS 4
#define RING 64
#define BATCH 300
#define BATCHES 8

struct task;

struct result {
    struct task *task;
    unsigned long sum;
    unsigned histogram[16];
};

struct task {
    int id;
    size_t size;
    unsigned char *input;
    struct result *result;
    int done;
};

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t work, finished;
    struct task **ring;
    int head, count;
    int stopping;
    long completed;
};

static void *worker(void *arg) {
    struct pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        while (p->count == 0 && !p->stopping) pthread_cond_wait(&p->work, &p->lock);
        if (p->count == 0) {
            pthread_mutex_unlock(&p->lock);
            return NULL;
        }
        struct task *t = p->ring[p->head];
        p->head = (p->head + 1) % RING;
        p->count--;
        pthread_cond_broadcast(&p->work);
        pthread_mutex_unlock(&p->lock);

        unsigned long sum = 0;
        unsigned hist[16] = {0};
        for (size_t i = 0; i < t->size; i++) {
            sum = sum * 31 + t->input[i];
            hist[t->input[i] & 15]++;
        }
        free(t->input); // site: input_freed
        t->input = NULL;
        struct result *r = malloc(sizeof *r); // site: result
        r->task = t;
        r->sum = sum;
        memcpy(r->histogram, hist, sizeof hist);

        pthread_mutex_lock(&p->lock);
        t->result = r;
        t->done = 1;
        p->completed++;
        pthread_cond_broadcast(&p->finished);
        pthread_mutex_unlock(&p->lock);
    }
}

static void submit(struct pool *p, struct task *t) {
    pthread_mutex_lock(&p->lock);
    while (p->count == RING) pthread_cond_wait(&p->work, &p->lock);
    p->ring[(p->head + p->count) % RING] = t;
    p->count++;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
}

static struct task *task_new(int id) {
    struct task *t = malloc(sizeof *t); // site: task
    t->id = id;
    t->size = 256 + (size_t)(id * 37 % 2048);
    t->input = malloc(t->size); // site: input
    for (size_t i = 0; i < t->size; i++) t->input[i] = (unsigned char)(i * 7 + (size_t)id);
    t->result = NULL;
    t->done = 0;
    return t;
}

int main(void) {
    struct pool *p = malloc(sizeof *p); // site: pool
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->finished, NULL);
    p->ring = calloc(RING, sizeof *p->ring); // site: ring
    p->head = p->count = 0;
    p->stopping = 0;
    p->completed = 0;
    pthread_t threads[WORKERS];
    for (int i = 0; i < WORKERS; i++) pthread_create(&threads[i], NULL, worker, p);

    struct task **tasks = malloc(BATCH * sizeof *tasks); // site: tasks
    unsigned long total = 0;
    for (int b = 0; b < BATCHES; b++) {
        for (int i = 0; i < BATCH; i++) {
            tasks[i] = task_new(b * BATCH + i);
            submit(p, tasks[i]);
        }
        for (int i = BATCH - 1; i >= 0; i--) {
            struct task *t = tasks[i];
            pthread_mutex_lock(&p->lock);
            while (!t->done) pthread_cond_wait(&p->finished, &p->lock);
            pthread_mutex_unlock(&p->lock);
            total += t->result->sum % 1000 + t->result->histogram[t->id & 15] + (unsigned long)(t->result->task == t);
            free(t->result); // site: result_freed
            free(t);
            tasks[i] = NULL;
        }
    }
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < WORKERS; i++) pthread_join(threads[i], NULL);
    printf("%lu %ld\n", total, p->completed);
    free(tasks);
    free(p->ring);
    pthread_cond_destroy(&p->finished);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->lock);
    free(p);
    return 0;
}
