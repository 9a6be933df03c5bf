/* k-way merge of sorted runs with a loser tree (external-sort style): a calloc'ed array
 * of 8 run descriptors, each owning an exact-size array of record pointers (records
 * own their names). The merge moves each record's pointer from its run into a calloc'ed
 * output array (the run slot is cleared), dropping (freeing) records whose key repeats
 * the previous output's. The drained run arrays are freed, then the output. No scan. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define K 8

struct rec { int key; char *name; };
struct run { struct rec **items; int n, pos; };

static struct run *runs;
static int ls[K];

static int key_of(int r) {
    if (r == K) return INT_MIN;
    return runs[r].pos < runs[r].n ? runs[r].items[runs[r].pos]->key : INT_MAX;
}

static int beats(int a, int b) {
    int ka = key_of(a), kb = key_of(b);
    return ka < kb || (ka == kb && a < b);
}

static void adjust(int s) {
    for (int t = (s + K) / 2; t > 0; t /= 2)
        if (beats(ls[t], s)) { int tmp = s; s = ls[t]; ls[t] = tmp; }
    ls[0] = s;
}

static int cmp_rec(const void *a, const void *b) {
    const struct rec *x = *(struct rec *const *)a, *y = *(struct rec *const *)b;
    return (x->key > y->key) - (x->key < y->key);
}

int main(void) {
    runs = calloc(K, sizeof *runs); // site: runs
    int total = 0;
    unsigned r = 2024;
    for (int i = 0; i < K; i++) {
        runs[i].n = 40 + i * 9;
        runs[i].items = calloc(runs[i].n, sizeof *runs[i].items); // site: items
        for (int j = 0; j < runs[i].n; j++) {
            struct rec *e = malloc(sizeof *e); // site: rec
            r = r * 1664525u + 1013904223u;
            e->key = (int)(r >> 16) % 900;
            char buf[48];
            snprintf(buf, sizeof buf, "run %d record %d key %d", i, j, e->key);
            e->name = strdup(buf); // site: name
            runs[i].items[j] = e;
        }
        qsort(runs[i].items, runs[i].n, sizeof *runs[i].items, cmp_rec);
        total += runs[i].n;
    }
    struct rec **out = calloc(total, sizeof *out); // site: out
    int n_out = 0, dropped = 0;
    for (int i = 0; i < K; i++) ls[i] = K;
    for (int i = K - 1; i >= 0; i--) adjust(i);
    while (key_of(ls[0]) != INT_MAX) {
        int w = ls[0];
        struct rec *e = runs[w].items[runs[w].pos];
        runs[w].items[runs[w].pos++] = NULL;
        if (n_out > 0 && out[n_out - 1]->key == e->key) {
            free(e->name);
            free(e);
            dropped++;
        } else {
            out[n_out++] = e;
        }
        adjust(w);
    }
    for (int i = 0; i < K; i++) free(runs[i].items);
    free(runs);
    long sum = 0;
    int sorted = 1;
    for (int i = 0; i < n_out; i++) {
        sum += out[i]->key * (long)(i + 1) + (long)strlen(out[i]->name);
        if (i && out[i - 1]->key >= out[i]->key) sorted = 0;
    }
    printf("%d records merged: %d kept, %d duplicates dropped, sorted %d, checksum %ld\n", total, n_out, dropped, sorted, sum);
    for (int i = 0; i < n_out; i++) { free(out[i]->name); free(out[i]); }
    free(out);
    return 0;
}
