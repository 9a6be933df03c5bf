/* An asynchronous logger with double buffering (the muduo / log4cxx AsyncAppender design):
 * application threads format each log line into its own heap string and append the
 * pointer to the logger's current buffer (an array of line pointers); when the buffer is
 * full it is moved to a queue of full buffers and replaced by a spare one, or by a new
 * buffer allocated on the spot by the producing thread. A background flusher thread takes
 * the whole queue under the lock, writes (hashes) the lines outside it and frees them,
 * then returns up to two emptied buffers as spares and frees the others. At shutdown
 * (after the producers have been joined) the flusher takes the current buffer and the
 * spares too and frees everything, so every line and every buffer is freed on the flusher
 * thread: lines are allocated on the producers, buffers on main (the initial three) or on
 * the producers. Main frees the queue array and the logger. No scan. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINES 64
#define MAXFULL 16
#define NPROD 4
#define PER_PROD 2500

struct buffer {
    char **lines;
    int n;
};

struct logger {
    pthread_mutex_t lock;
    pthread_cond_t work, space;
    struct buffer *current;
    struct buffer *spare[2];
    struct buffer **fullq;
    int nfull, stop;
    unsigned long digest;
    long written, flushes;
};

struct producer {
    struct logger *log;
    int id;
    pthread_t thread;
};

static struct buffer *buffer_new(void) {
    struct buffer *b = malloc(sizeof *b); // site: buffer
    b->lines = calloc(LINES, sizeof *b->lines); // site: slots
    b->n = 0;
    return b;
}

static void append(struct logger *l, char *line) {
    pthread_mutex_lock(&l->lock);
    while (l->nfull == MAXFULL) pthread_cond_wait(&l->space, &l->lock);
    l->current->lines[l->current->n++] = line;
    if (l->current->n == LINES) {
        l->fullq[l->nfull++] = l->current;
        if (l->spare[0]) {
            l->current = l->spare[0];
            l->spare[0] = l->spare[1];
            l->spare[1] = NULL;
        } else {
            l->current = buffer_new();
        }
        pthread_cond_signal(&l->work);
    }
    pthread_mutex_unlock(&l->lock);
}

static void *producer_main(void *arg) {
    struct producer *p = arg;
    char text[160];
    for (int i = 0; i < PER_PROD; i++) {
        int n = snprintf(text, sizeof text, "2026-12-07T05:%02d:%02d.%03dZ worker-%d INFO request %d served in %d us (cache %s)", i / 60 % 60, i % 60, i % 1000, p->id, i, (i * 37 + p->id) % 900, i % 3 ? "hit" : "miss");
        char *line = malloc((size_t)n + 1); // site: line
        memcpy(line, text, (size_t)n + 1);
        append(p->log, line);
    }
    return NULL;
}

static unsigned long line_hash(const char *s) {
    unsigned long h = 1469598103934665603ul;
    while (*s) h = (h ^ (unsigned char)*s++) * 1099511628211ul;
    return h;
}

static void *flusher_main(void *arg) {
    struct logger *l = arg;
    struct buffer *batch[MAXFULL + 3];
    for (;;) {
        pthread_mutex_lock(&l->lock);
        while (l->nfull == 0 && !l->stop) pthread_cond_wait(&l->work, &l->lock);
        int last = l->stop, nb = 0;
        for (int i = 0; i < l->nfull; i++) {
            batch[nb++] = l->fullq[i];
            l->fullq[i] = NULL;
        }
        l->nfull = 0;
        if (last) {
            batch[nb++] = l->current;
            l->current = NULL;
            for (int s = 0; s < 2; s++)
                if (l->spare[s]) {
                    batch[nb++] = l->spare[s];
                    l->spare[s] = NULL;
                }
        }
        pthread_cond_broadcast(&l->space);
        pthread_mutex_unlock(&l->lock);
        unsigned long digest = 0;
        long written = 0;
        for (int b = 0; b < nb; b++) {
            for (int i = 0; i < batch[b]->n; i++) {
                digest ^= line_hash(batch[b]->lines[i]);
                written++;
                free(batch[b]->lines[i]); // site: line_freed
                batch[b]->lines[i] = NULL;
            }
            batch[b]->n = 0;
        }
        pthread_mutex_lock(&l->lock);
        l->digest ^= digest;
        l->written += written;
        l->flushes++;
        for (int b = 0; b < nb && !last; b++)
            for (int s = 0; s < 2; s++)
                if (batch[b] && !l->spare[s]) {
                    l->spare[s] = batch[b];
                    batch[b] = NULL;
                }
        pthread_mutex_unlock(&l->lock);
        for (int b = 0; b < nb; b++) {
            if (!batch[b]) continue;
            free(batch[b]->lines); // site: slots_freed
            free(batch[b]); // site: buffer_freed
            batch[b] = NULL;
        }
        if (last) return NULL;
    }
}

int main(void) {
    struct logger *l = calloc(1, sizeof *l); // site: logger
    pthread_mutex_init(&l->lock, NULL);
    pthread_cond_init(&l->work, NULL);
    pthread_cond_init(&l->space, NULL);
    l->current = buffer_new();
    l->spare[0] = buffer_new();
    l->spare[1] = buffer_new();
    l->fullq = calloc(MAXFULL, sizeof *l->fullq); // site: fullq
    pthread_t flusher;
    pthread_create(&flusher, NULL, flusher_main, l);
    struct producer prods[NPROD];
    for (int i = 0; i < NPROD; i++) {
        prods[i].log = l;
        prods[i].id = i;
        pthread_create(&prods[i].thread, NULL, producer_main, &prods[i]);
    }
    for (int i = 0; i < NPROD; i++) pthread_join(prods[i].thread, NULL);
    pthread_mutex_lock(&l->lock);
    l->stop = 1;
    pthread_cond_signal(&l->work);
    pthread_mutex_unlock(&l->lock);
    pthread_join(flusher, NULL);
    printf("%ld %lx\n", l->written, l->digest);
    free(l->fullq);
    pthread_cond_destroy(&l->space);
    pthread_cond_destroy(&l->work);
    pthread_mutex_destroy(&l->lock);
    free(l);
    return 0;
}
