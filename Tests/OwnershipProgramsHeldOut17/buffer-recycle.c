/* Threaded: a pool of four frame buffers cycles between main and one worker thread.
 * A boxed hub owns the frames (inline array) and holds two 8-slot rings of frame
 * pointers (to-worker and back-to-main) under one mutex and condition variable. Main
 * fills a frame (a frame owns its data buffer) and queues it; the worker checksums it,
 * attaches a receipt it allocates (owning a note string) and queues the frame back;
 * main prints the receipt, frees note and receipt (made on the worker) and reuses the
 * frame. Frames and data buffers are made and freed on main. No scan. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NF 4
#define MSGS 24

struct receipt { int seq; unsigned sum; char *note; };
struct frame { int seq; size_t len; unsigned char *data; struct receipt *receipt; };
struct ring { struct frame *slot[8]; int head, count; };
struct hub {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct frame *all[NF];
    struct ring to_worker, to_main;
};

static void put(struct ring *r, struct frame *f) {
    r->slot[(r->head + r->count) % 8] = f;
    r->count++;
}

static struct frame *take(struct ring *r) {
    struct frame *f = r->slot[r->head];
    r->slot[r->head] = NULL;
    r->head = (r->head + 1) % 8;
    r->count--;
    return f;
}

static void *worker(void *arg) {
    struct hub *h = arg;
    for (;;) {
        pthread_mutex_lock(&h->mu);
        while (h->to_worker.count == 0) pthread_cond_wait(&h->cv, &h->mu);
        struct frame *f = take(&h->to_worker);
        pthread_mutex_unlock(&h->mu);
        if (!f) break;
        unsigned sum = 0;
        for (size_t i = 0; i < f->len; i++) sum = sum * 31 + f->data[i];
        struct receipt *r = malloc(sizeof *r); // site: receipt
        r->seq = f->seq;
        r->sum = sum % 100000;
        char buf[64];
        snprintf(buf, sizeof buf, "frame %02d: %zu bytes checked", f->seq, f->len);
        r->note = strdup(buf); // site: receipt_note
        f->receipt = r;
        pthread_mutex_lock(&h->mu);
        put(&h->to_main, f);
        pthread_cond_broadcast(&h->cv);
        pthread_mutex_unlock(&h->mu);
    }
    return NULL;
}

static void fill(struct frame *f, int seq) {
    f->seq = seq;
    f->len = 32 + (size_t)(seq * 13) % 64;
    for (size_t i = 0; i < f->len; i++) f->data[i] = (unsigned char)(seq * 7 + i * 3);
}

int main(void) {
    struct hub *h = calloc(1, sizeof *h); // site: hub
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->cv, NULL);
    for (int i = 0; i < NF; i++) {
        h->all[i] = calloc(1, sizeof *h->all[i]); // site: frame
        h->all[i]->data = malloc(96); // site: frame_data
    }
    pthread_t th;
    pthread_create(&th, NULL, worker, h);
    int sent = 0, done = 0;
    unsigned grand = 0;
    pthread_mutex_lock(&h->mu);
    for (; sent < NF; sent++) {
        fill(h->all[sent], sent);
        put(&h->to_worker, h->all[sent]);
    }
    pthread_cond_broadcast(&h->cv);
    while (done < MSGS) {
        while (h->to_main.count == 0) pthread_cond_wait(&h->cv, &h->mu);
        struct frame *f = take(&h->to_main);
        struct receipt *r = f->receipt;
        f->receipt = NULL;
        done++;
        grand += r->sum;
        if (r->seq % 5 == 0) printf("%s, sum %05u\n", r->note, r->sum);
        free(r->note); // site: receipt_note_freed
        free(r); // site: receipt_freed
        if (sent < MSGS) {
            fill(f, sent++);
            put(&h->to_worker, f);
            pthread_cond_broadcast(&h->cv);
        }
    }
    put(&h->to_worker, NULL);
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
    pthread_join(th, NULL);
    printf("frames %d messages %d grand %u\n", NF, done, grand);
    for (int i = 0; i < NF; i++) {
        free(h->all[i]->data);
        free(h->all[i]);
    }
    pthread_cond_destroy(&h->cv);
    pthread_mutex_destroy(&h->mu);
    free(h);
    return 0;
}
