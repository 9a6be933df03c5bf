/* Threaded: a client (main) makes calls to a server thread, future style. The boxed
 * server record holds a mutex, a condition variable and an 8-slot ring of pending call
 * pointers. Per batch, main allocates a batch array that owns up to 8 calls; each call
 * (with its own mutex and condition variable inline) owns an argument string allocated
 * by main. The server takes a call from the ring (clearing the slot), frees its
 * arguments, allocates a reply string, stores it in the call and signals completion.
 * Main waits on each call in turn, reads and frees the reply, then frees the calls and
 * the batch array. Arguments: allocated on main, freed on the server; replies: the
 * other way round. No scan. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RING 8

struct call {
    pthread_mutex_t m;
    pthread_cond_t cv;
    int id, done;
    char *args;
    char *reply;
};

struct server {
    pthread_mutex_t m;
    pthread_cond_t nonempty, nonfull;
    struct call *ring[RING];
    int head, count, stop;
    long served;
};

static void *serve(void *arg) {
    struct server *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->m);
        while (s->count == 0 && !s->stop) pthread_cond_wait(&s->nonempty, &s->m);
        if (s->count == 0) {
            pthread_mutex_unlock(&s->m);
            return NULL;
        }
        struct call *c = s->ring[s->head];
        s->ring[s->head] = NULL;
        s->head = (s->head + 1) % RING;
        s->count--;
        s->served++;
        pthread_cond_signal(&s->nonfull);
        pthread_mutex_unlock(&s->m);
        unsigned long h = 14695981039346656037UL;
        for (const char *p = c->args; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211UL;
        size_t alen = strlen(c->args);
        free(c->args); // site: args_freed
        c->args = NULL;
        char buf[96];
        snprintf(buf, sizeof buf, "call %d ok: %zu argument bytes, digest %016lx", c->id, alen, h);
        char *reply = strdup(buf); // site: reply
        pthread_mutex_lock(&c->m);
        c->reply = reply;
        c->done = 1;
        pthread_cond_signal(&c->cv);
        pthread_mutex_unlock(&c->m);
    }
}

static void submit(struct server *s, struct call *c) {
    pthread_mutex_lock(&s->m);
    while (s->count == RING) pthread_cond_wait(&s->nonfull, &s->m);
    s->ring[(s->head + s->count) % RING] = c;
    s->count++;
    pthread_cond_signal(&s->nonempty);
    pthread_mutex_unlock(&s->m);
}

int main(void) {
    struct server *s = calloc(1, sizeof *s); // site: server
    pthread_mutex_init(&s->m, NULL);
    pthread_cond_init(&s->nonempty, NULL);
    pthread_cond_init(&s->nonfull, NULL);
    pthread_t th;
    pthread_create(&th, NULL, serve, s);
    unsigned long total = 0;
    size_t reply_bytes = 0;
    int id = 0;
    for (int batch = 0; batch < 150; batch++) {
        int n = 3 + batch % 6;
        struct call **calls = calloc((size_t)n, sizeof *calls); // site: batch
        for (int i = 0; i < n; i++) {
            struct call *c = calloc(1, sizeof *c); // site: call
            pthread_mutex_init(&c->m, NULL);
            pthread_cond_init(&c->cv, NULL);
            c->id = id++;
            char buf[80];
            snprintf(buf, sizeof buf, "lookup(account=%d, region=%d, fields=balance,limits)", c->id * 7 % 1000, c->id % 4);
            c->args = strdup(buf); // site: args
            calls[i] = c;
            submit(s, c);
        }
        for (int i = 0; i < n; i++) {
            struct call *c = calls[i];
            pthread_mutex_lock(&c->m);
            while (!c->done) pthread_cond_wait(&c->cv, &c->m);
            pthread_mutex_unlock(&c->m);
            reply_bytes += strlen(c->reply);
            total += (unsigned long)c->reply[strlen(c->reply) - 1];
            free(c->reply); // site: reply_freed
            c->reply = NULL;
            pthread_mutex_destroy(&c->m);
            pthread_cond_destroy(&c->cv);
            free(c);
            calls[i] = NULL;
        }
        free(calls);
    }
    pthread_mutex_lock(&s->m);
    s->stop = 1;
    pthread_cond_signal(&s->nonempty);
    pthread_mutex_unlock(&s->m);
    pthread_join(th, NULL);
    printf("%d calls, %ld served, %zu reply bytes, tail sum %lu\n", id, s->served, reply_bytes, total);
    pthread_mutex_destroy(&s->m);
    pthread_cond_destroy(&s->nonempty);
    pthread_cond_destroy(&s->nonfull);
    free(s);
    return 0;
}
