/* Inventory index as a hash table with array buckets: a boxed table owns a fixed array
 * of 64 buckets (calloc'ed once); each bucket is inline {items, n, cap} whose items
 * array of entry pointers is allocated with room for 2 and grown by realloc (doubling).
 * Entries own a key copy and a description. Removal moves the bucket's last entry into
 * the hole and clears the vacated slot; an emptied bucket frees its array (the next
 * insert allocates a new one). Everything left is freed at the end. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NB 64

struct entry {
    char *key;
    char *desc;
    long qty;
};

struct bucket {
    struct entry **items;
    int n, cap;
};

struct table {
    struct bucket *b;
    long n, grows;
};

static unsigned long rng = 60606;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static unsigned hash(const char *s) {
    unsigned h = 2166136261u;
    while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static struct entry *lookup(struct table *t, const char *key, struct bucket **bp, int *at) {
    struct bucket *b = &t->b[hash(key) % NB];
    *bp = b;
    for (int i = 0; i < b->n; i++)
        if (strcmp(b->items[i]->key, key) == 0) {
            *at = i;
            return b->items[i];
        }
    return NULL;
}

static void add(struct table *t, const char *key, long qty) {
    struct bucket *b;
    int at;
    struct entry *e = lookup(t, key, &b, &at);
    if (e) {
        e->qty += qty;
        return;
    }
    if (!b->items) {
        b->cap = 2;
        b->items = malloc((size_t)b->cap * sizeof *b->items); // site: items
        memset(b->items, 0, (size_t)b->cap * sizeof *b->items);
    } else if (b->n == b->cap) {
        b->items = realloc(b->items, (size_t)b->cap * 2 * sizeof *b->items); // site: items_grown
        memset(b->items + b->cap, 0, (size_t)b->cap * sizeof *b->items);
        b->cap *= 2;
        t->grows++;
    }
    e = malloc(sizeof *e); // site: entry
    e->key = strdup(key); // site: key
    char d[64];
    snprintf(d, sizeof d, "stock item %s, reorder level %ld", key, qty * 3);
    e->desc = strdup(d); // site: desc
    e->qty = qty;
    b->items[b->n++] = e;
    t->n++;
}

static int take(struct table *t, const char *key) {
    struct bucket *b;
    int at;
    struct entry *e = lookup(t, key, &b, &at);
    if (!e) return 0;
    b->items[at] = b->items[b->n - 1];
    b->items[--b->n] = NULL;
    free(e->key);
    free(e->desc);
    free(e);
    t->n--;
    if (b->n == 0) {
        free(b->items);
        b->items = NULL;
        b->cap = 0;
    }
    return 1;
}

int main(void) {
    struct table *t = malloc(sizeof *t); // site: table
    t->b = calloc(NB, sizeof *t->b); // site: buckets
    t->n = t->grows = 0;
    char key[32];
    long taken = 0;
    for (int step = 0; step < 20000; step++) {
        unsigned r = rnd();
        int phase = step / 5000;
        snprintf(key, sizeof key, "SKU-%c%04u", 'A' + (int)(r % 3), (r >> 8) % 150);
        if ((phase == 2 && r % 8 != 0) || (phase != 2 && (r >> 4) % 4 == 0))
            taken += take(t, key);
        else
            add(t, key, (long)(r % 50 + 1));
        if (step % 5000 == 4999) {
            int maxn = 0, empty = 0;
            for (int i = 0; i < NB; i++) {
                if (t->b[i].n > maxn) maxn = t->b[i].n;
                if (!t->b[i].items) empty++;
            }
            printf("step %d: %ld entries, %ld grows, %ld taken, longest bucket %d, %d buckets without array\n", step + 1, t->n, t->grows, taken, maxn, empty);
        }
    }
    for (int i = 0; i < NB; i++) {
        for (int j = 0; j < t->b[i].n; j++) {
            free(t->b[i].items[j]->key);
            free(t->b[i].items[j]->desc);
            free(t->b[i].items[j]);
        }
        free(t->b[i].items);
    }
    free(t->b);
    free(t);
    return 0;
}
