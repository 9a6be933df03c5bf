/* Threaded: Michael and Scott's two-lock concurrent queue. A boxed queue holds a head
 * pointer (guarded by the head lock) and a tail pointer (guarded by the tail lock); the
 * list always starts with a dummy node. Four producer threads enqueue nodes, each owning
 * a payload string; main dequeues: it takes the payload out of the node after the
 * dummy, which becomes the new dummy, and frees the old dummy (the first one allocated
 * on main, the others by the producers). A counting semaphore tells main how many nodes
 * are ready. At the end main frees the last dummy through the same helper. No scan. */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PRODUCERS 4
#define PER 1500

struct qnode {
    char *payload;
    struct qnode *next;
};

struct queue {
    struct qnode *head, *tail;
    pthread_mutex_t head_lock, tail_lock;
    sem_t ready;
};

struct producer {
    struct queue *q;
    int id;
};

static void node_free(struct qnode *n) {
    free(n); // site: qnode_freed
}

static void enqueue(struct queue *q, char *payload) {
    struct qnode *n = malloc(sizeof *n); // site: qnode
    n->payload = payload;
    n->next = NULL;
    pthread_mutex_lock(&q->tail_lock);
    q->tail->next = n;
    q->tail = n;
    pthread_mutex_unlock(&q->tail_lock);
    sem_post(&q->ready);
}

static char *dequeue(struct queue *q) {
    sem_wait(&q->ready);
    pthread_mutex_lock(&q->head_lock);
    struct qnode *old = q->head;
    struct qnode *first = old->next;
    char *p = first->payload;
    first->payload = NULL;
    q->head = first;
    pthread_mutex_unlock(&q->head_lock);
    old->next = NULL;
    node_free(old);
    return p;
}

static void *produce(void *arg) {
    struct producer *pr = arg;
    char buf[64];
    for (int i = 0; i < PER; i++) {
        snprintf(buf, sizeof buf, "producer %d sends message %d of %d", pr->id, i, PER);
        enqueue(pr->q, strdup(buf)); // site: payload
    }
    return NULL;
}

int main(void) {
    struct queue *q = malloc(sizeof *q); // site: queue
    struct qnode *dummy = calloc(1, sizeof *dummy); // site: dummy
    q->head = q->tail = dummy;
    pthread_mutex_init(&q->head_lock, NULL);
    pthread_mutex_init(&q->tail_lock, NULL);
    sem_init(&q->ready, 0, 0);
    pthread_t th[PRODUCERS];
    struct producer args[PRODUCERS];
    for (int i = 0; i < PRODUCERS; i++) {
        args[i].q = q;
        args[i].id = i;
        pthread_create(&th[i], NULL, produce, &args[i]);
    }
    long per[PRODUCERS] = {0};
    size_t bytes = 0;
    for (int got = 0; got < PRODUCERS * PER; got++) {
        char *p = dequeue(q);
        int id = p[9] - '0';
        per[id]++;
        bytes += strlen(p);
        free(p); // site: payload_freed
    }
    for (int i = 0; i < PRODUCERS; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < PRODUCERS; i++) printf("producer %d: %ld messages\n", i, per[i]);
    printf("bytes %zu\n", bytes);
    node_free(q->head);
    sem_destroy(&q->ready);
    pthread_mutex_destroy(&q->head_lock);
    pthread_mutex_destroy(&q->tail_lock);
    free(q);
    return 0;
}
