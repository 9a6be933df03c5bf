/* Key-value dictionary with incremental rehashing (Redis dict style). A boxed dict holds
 * two hash tables inline; each table owns a bucket array (calloc) of chains: a bucket
 * owns its first entry and an entry owns the next one. Entries own their key strings;
 * values are integers inline. When the load reaches 1 (or drops below 1/4 of a large
 * table) a second table is allocated and every later operation migrates one bucket
 * from the first table to the second; when the first is empty its bucket array is
 * freed and the second table moved into its place. Everything is freed at the end.
 * No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char *key;
    long value;
    struct entry *next;
};

struct table {
    struct entry **buckets;
    unsigned long size, used;
};

struct dict {
    struct table ht[2];
    long rehashidx; /* -1 when not rehashing */
    int resizes;
};

static unsigned long rng = 2718;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static unsigned long hash(const char *s) {
    unsigned long h = 5381;
    while (*s) h = h * 33 + (unsigned char)*s++;
    return h;
}

static void table_init(struct table *t, unsigned long size) {
    t->buckets = calloc(size, sizeof *t->buckets); // site: table
    t->size = size;
    t->used = 0;
}

static void rehash_step(struct dict *d) {
    if (d->rehashidx < 0) return;
    struct table *from = &d->ht[0], *to = &d->ht[1];
    while (d->rehashidx < (long)from->size && from->buckets[d->rehashidx] == NULL) d->rehashidx++;
    if (d->rehashidx < (long)from->size) {
        struct entry *e = from->buckets[d->rehashidx];
        from->buckets[d->rehashidx] = NULL;
        while (e) {
            struct entry *next = e->next;
            unsigned long b = hash(e->key) & (to->size - 1);
            e->next = to->buckets[b];
            to->buckets[b] = e;
            from->used--;
            to->used++;
            e = next;
        }
        d->rehashidx++;
    }
    if (from->used == 0) {
        free(from->buckets);
        d->ht[0] = d->ht[1];
        d->ht[1].buckets = NULL;
        d->ht[1].size = d->ht[1].used = 0;
        d->rehashidx = -1;
    }
}

static void maybe_resize(struct dict *d) {
    if (d->rehashidx >= 0) return;
    struct table *t = &d->ht[0];
    unsigned long target = 0;
    if (t->used >= t->size)
        target = t->size * 2;
    else if (t->size > 64 && t->used * 4 < t->size)
        target = t->size / 2;
    if (target == 0) return;
    table_init(&d->ht[1], target);
    d->rehashidx = 0;
    d->resizes++;
}

static struct entry **lookup(struct dict *d, const char *key, int *which) {
    for (int i = 0; i < 2; i++) {
        struct table *t = &d->ht[i];
        if (t->buckets == NULL) continue;
        struct entry **link = &t->buckets[hash(key) & (t->size - 1)];
        while (*link) {
            if (strcmp((*link)->key, key) == 0) {
                *which = i;
                return link;
            }
            link = &(*link)->next;
        }
    }
    return NULL;
}

static void set(struct dict *d, const char *key, long value) {
    rehash_step(d);
    int which;
    struct entry **link = lookup(d, key, &which);
    if (link) {
        (*link)->value = value;
        return;
    }
    struct table *t = d->rehashidx >= 0 ? &d->ht[1] : &d->ht[0];
    struct entry *e = malloc(sizeof *e); // site: entry
    e->key = strdup(key); // site: key
    e->value = value;
    unsigned long b = hash(key) & (t->size - 1);
    e->next = t->buckets[b];
    t->buckets[b] = e;
    t->used++;
    maybe_resize(d);
}

static void unset(struct dict *d, const char *key) {
    rehash_step(d);
    int which;
    struct entry **link = lookup(d, key, &which);
    if (!link) return;
    struct entry *e = *link;
    *link = e->next;
    e->next = NULL;
    d->ht[which].used--;
    free(e->key);
    free(e);
    maybe_resize(d);
}

static unsigned long total_used(const struct dict *d) { return d->ht[0].used + d->ht[1].used; }

int main(void) {
    struct dict *d = malloc(sizeof *d); // site: dict
    table_init(&d->ht[0], 4);
    d->ht[1].buckets = NULL;
    d->ht[1].size = d->ht[1].used = 0;
    d->rehashidx = -1;
    d->resizes = 0;
    char key[48];
    long hits = 0;
    for (int phase = 0; phase < 4; phase++) {
        unsigned range = phase % 2 == 0 ? 4000 : 300;
        for (int step = 0; step < 6000; step++) {
            snprintf(key, sizeof key, "session:%05u:user-profile", rnd() % range);
            if (phase % 2 == 0 || rnd() % 8 == 0) {
                set(d, key, step);
            } else {
                snprintf(key, sizeof key, "session:%05u:user-profile", rnd() % 4000);
                int which;
                if (lookup(d, key, &which)) hits++;
                unset(d, key);
            }
        }
        printf("phase %d: %lu entries, table sizes %lu/%lu, %d resizes, %ld hits\n", phase, total_used(d), d->ht[0].size, d->ht[1].size, d->resizes, hits);
    }
    for (int i = 0; i < 2; i++) {
        struct table *t = &d->ht[i];
        for (unsigned long b = 0; b < t->size; b++) {
            struct entry *e = t->buckets[b];
            while (e) {
                struct entry *next = e->next;
                free(e->key);
                free(e);
                e = next;
            }
        }
        free(t->buckets);
    }
    free(d);
    return 0;
}
