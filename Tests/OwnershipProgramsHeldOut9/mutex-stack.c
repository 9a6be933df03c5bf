/* Message stack shared between threads. A boxed stack record (mutex and condition
 * variable inline) owns a singly linked stack of messages; three producer threads each
 * allocate 2000 messages (each owning its body text) and push them; main pops them one
 * at a time as they arrive (waiting on the condition variable when the stack is empty),
 * sums their contents and frees body and message. Every message and body is allocated
 * on a producer and freed on main. No scan. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PRODUCERS 3
#define PER 2000

struct msg {
    int producer, seq;
    char *body;
    struct msg *next;
};

struct stack {
    pthread_mutex_t lock;
    pthread_cond_t ready;
    struct msg *top;
    int depth;
};

struct parg {
    struct stack *st;
    int id;
};

static void *producer(void *p) {
    struct parg *a = p;
    for (int i = 0; i < PER; i++) {
        struct msg *m = malloc(sizeof *m); // site: msg
        char buf[64];
        snprintf(buf, sizeof buf, "producer %d says hello for the %d-th time", a->id, i);
        m->body = strdup(buf); // site: body
        m->producer = a->id;
        m->seq = i;
        pthread_mutex_lock(&a->st->lock);
        m->next = a->st->top;
        a->st->top = m;
        a->st->depth++;
        pthread_cond_signal(&a->st->ready);
        pthread_mutex_unlock(&a->st->lock);
    }
    return NULL;
}

int main(void) {
    struct stack *st = malloc(sizeof *st); // site: stack
    pthread_mutex_init(&st->lock, NULL);
    pthread_cond_init(&st->ready, NULL);
    st->top = NULL;
    st->depth = 0;
    pthread_t th[PRODUCERS];
    struct parg args[PRODUCERS];
    for (int i = 0; i < PRODUCERS; i++) {
        args[i].st = st;
        args[i].id = i;
        pthread_create(&th[i], NULL, producer, &args[i]);
    }
    long lens = 0, seqs[PRODUCERS] = {0};
    for (int got = 0; got < PRODUCERS * PER; got++) {
        pthread_mutex_lock(&st->lock);
        while (!st->top) pthread_cond_wait(&st->ready, &st->lock);
        struct msg *m = st->top;
        st->top = m->next;
        st->depth--;
        pthread_mutex_unlock(&st->lock);
        m->next = NULL;
        lens += (long)strlen(m->body);
        seqs[m->producer] += m->seq;
        free(m->body); // site: body_freed
        free(m); // site: msg_freed
    }
    for (int i = 0; i < PRODUCERS; i++) pthread_join(th[i], NULL);
    printf("consumed %d messages, total body length %ld\n", PRODUCERS * PER, lens);
    for (int i = 0; i < PRODUCERS; i++) printf("producer %d: seq sum %ld\n", i, seqs[i]);
    pthread_cond_destroy(&st->ready);
    pthread_mutex_destroy(&st->lock);
    free(st);
    return 0;
}
