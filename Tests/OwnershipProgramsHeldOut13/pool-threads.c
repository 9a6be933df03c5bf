/* Threaded: an object pool feeding a consumer. A boxed hub record (mutex, condition
 * variables) holds a singly linked list of chunks, each calloc'ed on main with 4
 * message objects inline, a free list threaded through the objects, and a 16-slot ring
 * of object pointers. Two producer threads take objects from the free list (waiting
 * while it is empty), attach a payload string they allocate and push the objects into
 * the ring. Main takes them out (clearing the slot), frees the payload and returns the
 * object to the free list. Payloads: allocated on the producers, freed on main. No
 * scan. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_CHUNK 4
#define NCHUNKS 3
#define RING 16
#define PER_PRODUCER 600

struct msg { struct msg *next; int producer, seq; char *payload; };
struct chunk { struct chunk *next; struct msg objs[PER_CHUNK]; };
struct hub {
    pthread_mutex_t m;
    pthread_cond_t avail, space, ready;
    struct chunk *chunks;
    struct msg *free_list;
    struct msg *ring[RING];
    int head, count;
};
struct producer { struct hub *hub; int id; };

static void *produce(void *arg) {
    struct producer *p = arg;
    struct hub *h = p->hub;
    for (int seq = 0; seq < PER_PRODUCER; seq++) {
        pthread_mutex_lock(&h->m);
        while (!h->free_list) pthread_cond_wait(&h->avail, &h->m);
        struct msg *o = h->free_list;
        h->free_list = o->next;
        o->next = NULL;
        pthread_mutex_unlock(&h->m);
        char buf[96];
        snprintf(buf, sizeof buf, "producer %d reading %d: %d.%02d kPa", p->id, seq, 90 + (seq * 7 + p->id) % 20, (seq * 13) % 100);
        o->producer = p->id;
        o->seq = seq;
        o->payload = strdup(buf); // site: payload
        pthread_mutex_lock(&h->m);
        while (h->count == RING) pthread_cond_wait(&h->space, &h->m);
        h->ring[(h->head + h->count) % RING] = o;
        h->count++;
        pthread_cond_signal(&h->ready);
        pthread_mutex_unlock(&h->m);
    }
    return NULL;
}

int main(void) {
    struct hub *h = calloc(1, sizeof *h); // site: hub
    pthread_mutex_init(&h->m, NULL);
    pthread_cond_init(&h->avail, NULL);
    pthread_cond_init(&h->space, NULL);
    pthread_cond_init(&h->ready, NULL);
    for (int c = 0; c < NCHUNKS; c++) {
        struct chunk *ch = calloc(1, sizeof *ch); // site: chunk
        ch->next = h->chunks;
        h->chunks = ch;
        for (int i = PER_CHUNK - 1; i >= 0; i--) {
            ch->objs[i].next = h->free_list;
            h->free_list = &ch->objs[i];
        }
    }
    struct producer ps[2] = { { h, 1 }, { h, 2 } };
    pthread_t th[2];
    for (int i = 0; i < 2; i++) pthread_create(&th[i], NULL, produce, &ps[i]);
    long sum[3] = { 0, 0, 0 }, count[3] = { 0, 0, 0 };
    for (int got = 0; got < 2 * PER_PRODUCER; got++) {
        pthread_mutex_lock(&h->m);
        while (h->count == 0) pthread_cond_wait(&h->ready, &h->m);
        struct msg *o = h->ring[h->head];
        h->ring[h->head] = NULL;
        h->head = (h->head + 1) % RING;
        h->count--;
        pthread_cond_signal(&h->space);
        pthread_mutex_unlock(&h->m);
        for (const char *c = o->payload; *c; c++) sum[o->producer] += (unsigned char)*c * (o->seq % 5 + 1);
        count[o->producer]++;
        free(o->payload); // site: payload_freed
        o->payload = NULL;
        pthread_mutex_lock(&h->m);
        o->next = h->free_list;
        h->free_list = o;
        pthread_cond_signal(&h->avail);
        pthread_mutex_unlock(&h->m);
    }
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    int free_objs = 0;
    for (struct msg *o = h->free_list; o; o = o->next) free_objs++;
    printf("producer 1: %ld messages, sum %ld; producer 2: %ld messages, sum %ld; %d objects free\n", count[1], sum[1], count[2], sum[2],
           free_objs);
    while (h->chunks) {
        struct chunk *ch = h->chunks;
        h->chunks = ch->next;
        free(ch);
    }
    pthread_mutex_destroy(&h->m);
    pthread_cond_destroy(&h->avail);
    pthread_cond_destroy(&h->space);
    pthread_cond_destroy(&h->ready);
    free(h);
    return 0;
}
