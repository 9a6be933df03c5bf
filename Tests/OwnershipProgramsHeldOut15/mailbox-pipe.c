/* Threaded: three worker threads compute result records (a header owning a text
 * string and a calloc'ed array of 16 doubles) and pass each record's pointer to main
 * through a pipe (write(2) of the pointer value). Main reads the pointers, files each
 * record into a calloc'ed table by sequence number, and after the workers are joined
 * frees every text, value array and record. Records, texts and value arrays go from
 * the workers to main. No scan. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NW 3
#define PER 40

struct result { int worker; int seq; char *text; double *vals; };
struct worker { int id; int fd; };

static void *work(void *arg) {
    struct worker *w = arg;
    for (int k = 0; k < PER; k++) {
        int seq = k * NW + w->id;
        struct result *r = malloc(sizeof *r); // site: result
        r->worker = w->id;
        r->seq = seq;
        char buf[64];
        snprintf(buf, sizeof buf, "result %03d from worker %d: sample batch", seq, w->id);
        r->text = strdup(buf); // site: result_text
        r->vals = calloc(16, sizeof *r->vals); // site: result_vals
        for (int i = 0; i < 16; i++) r->vals[i] = (double)((seq * 37 + i * i) % 101) / 4.0;
        if (write(w->fd, &r, sizeof r) != (ssize_t)sizeof r) abort();
    }
    return NULL;
}

int main(void) {
    int fds[2];
    if (pipe(fds) != 0) return 1;
    struct result **table = calloc(NW * PER, sizeof *table); // site: table
    pthread_t th[NW];
    struct worker ws[NW];
    for (int i = 0; i < NW; i++) {
        ws[i].id = i;
        ws[i].fd = fds[1];
        pthread_create(&th[i], NULL, work, &ws[i]);
    }
    for (int got = 0; got < NW * PER; got++) {
        struct result *r;
        size_t have = 0;
        while (have < sizeof r) {
            ssize_t n = read(fds[0], (char *)&r + have, sizeof r - have);
            if (n <= 0) return 2;
            have += (size_t)n;
        }
        table[r->seq] = r;
    }
    for (int i = 0; i < NW; i++) pthread_join(th[i], NULL);
    close(fds[0]);
    close(fds[1]);
    double total = 0;
    unsigned long h = 0;
    for (int i = 0; i < NW * PER; i++) {
        struct result *r = table[i];
        for (int j = 0; j < 16; j++) total += r->vals[j];
        for (const char *p = r->text; *p; p++) h = h * 31 + (unsigned char)*p;
        h = h * 7 + (unsigned long)r->worker;
        free(r->text); // site: result_text_freed
        free(r->vals); // site: result_vals_freed
        free(r); // site: result_freed
        table[i] = NULL;
    }
    free(table);
    printf("results %d total %.2f hash %lu\n", NW * PER, total, h % 1000003);
    return 0;
}
