/* Ordered dictionary as a sorted array of entry pointers (binary search; insertion and
 * deletion shift the tail with memmove). A boxed dictionary owns the slot array (room
 * for 4 at first, moved by realloc as it doubles); the slots own the entries, each
 * owning its key string and a value buffer of doubles (an update frees the old buffer
 * and allocates a new one of another length). The vacated last slot is cleared on
 * deletion. Everything is freed at the end. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char *key;
    double *vals;
    int nvals;
};

struct dict {
    struct entry **slots;
    int n, cap;
};

static unsigned long rng = 31337;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static int find(const struct dict *d, const char *key, int *found) {
    int lo = 0, hi = d->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        int c = strcmp(d->slots[mid]->key, key);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = 0;
    return lo;
}

static double *make_vals(int n, unsigned seed) {
    double *v = malloc((size_t)n * sizeof *v); // site: vals
    for (int i = 0; i < n; i++) v[i] = (double)((seed + (unsigned)i * 13) % 1000) / 8.0;
    return v;
}

static void put(struct dict *d, const char *key, unsigned seed) {
    int found;
    int at = find(d, key, &found);
    int n = 1 + (int)(seed % 12);
    if (found) {
        struct entry *e = d->slots[at];
        free(e->vals);
        e->vals = make_vals(n, seed);
        e->nvals = n;
        return;
    }
    if (d->n == d->cap) {
        d->cap *= 2;
        d->slots = realloc(d->slots, (size_t)d->cap * sizeof *d->slots); // site: slots_grown
    }
    struct entry *e = malloc(sizeof *e); // site: entry
    e->key = strdup(key); // site: key
    e->vals = make_vals(n, seed);
    e->nvals = n;
    memmove(&d->slots[at + 1], &d->slots[at], (size_t)(d->n - at) * sizeof *d->slots);
    d->slots[at] = e;
    d->n++;
}

static void del(struct dict *d, const char *key) {
    int found;
    int at = find(d, key, &found);
    if (!found) return;
    struct entry *e = d->slots[at];
    memmove(&d->slots[at], &d->slots[at + 1], (size_t)(d->n - at - 1) * sizeof *d->slots);
    d->slots[--d->n] = NULL;
    free(e->vals);
    free(e->key);
    free(e);
}

static double range_sum(const struct dict *d, const char *lo, const char *hi) {
    int f;
    double s = 0;
    for (int i = find(d, lo, &f); i < d->n && strcmp(d->slots[i]->key, hi) < 0; i++)
        for (int k = 0; k < d->slots[i]->nvals; k++) s += d->slots[i]->vals[k];
    return s;
}

int main(void) {
    struct dict *d = malloc(sizeof *d); // site: dict
    d->cap = 4;
    d->n = 0;
    d->slots = malloc((size_t)d->cap * sizeof *d->slots); // site: slots
    char key[40], lo[40], hi[40];
    double total = 0;
    for (int step = 0; step < 9000; step++) {
        unsigned r = rnd();
        snprintf(key, sizeof key, "customer/%05u/balance-sheet", rnd() % 3000);
        if (r % 5 < 3 || d->n < 16)
            put(d, key, r);
        else
            del(d, key);
        if (step % 10 == 0) {
            snprintf(lo, sizeof lo, "customer/%05u", rnd() % 3000);
            snprintf(hi, sizeof hi, "customer/%05u", rnd() % 3000);
            total += range_sum(d, lo, hi);
        }
        if (step % 3000 == 2999) printf("step %d: %d entries (cap %d), range total %.2f\n", step + 1, d->n, d->cap, total);
    }
    while (d->n > 0) del(d, d->slots[d->n - 1]->key);
    free(d->slots);
    free(d);
    return 0;
}
