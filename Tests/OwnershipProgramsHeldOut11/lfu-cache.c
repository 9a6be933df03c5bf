/* O(1) LFU cache (Shah, Mitra and Matani): a boxed cache owns a chained hash table
 * (bucket array; items chained through `hnext`) and a doubly linked list of frequency
 * nodes in increasing order (head in the cache). Each frequency node heads a doubly
 * linked list of the items used exactly that many times (most recent first) and each
 * item points back at its frequency node. A hit moves the item to the next frequency
 * node (allocated when missing; a frequency node left empty is freed). When full, the
 * least recently used item of the lowest frequency is evicted. Items own a key copy
 * and a value string (replaced on update). Everything is freed at the end. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 256
#define CAPACITY 300

struct freq;

struct item {
    struct item *hnext;          /* hash chain */
    struct item *prev, *next;    /* items of the same frequency */
    struct freq *parent;
    char *key;
    char *value;
};

struct freq {
    struct freq *prev, *next;
    long count;
    struct item *items;          /* most recently used first */
    struct item *last;
};

struct cache {
    struct item **buckets;
    struct freq *freqs;          /* lowest frequency first */
    int n;
    long evictions, hits, misses;
};

static unsigned long rng = 4242;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static unsigned hash(const char *s) {
    unsigned h = 2166136261u;
    while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static struct freq *new_freq(long count) {
    struct freq *f = malloc(sizeof *f); // site: freq
    f->count = count;
    f->items = f->last = NULL;
    f->prev = f->next = NULL;
    return f;
}

static void freq_unlink_item(struct item *it) {
    struct freq *f = it->parent;
    if (it->prev) it->prev->next = it->next; else f->items = it->next;
    if (it->next) it->next->prev = it->prev; else f->last = it->prev;
    it->prev = it->next = NULL;
    it->parent = NULL;
}

static void freq_push_item(struct freq *f, struct item *it) {
    it->prev = NULL;
    it->next = f->items;
    if (f->items) f->items->prev = it; else f->last = it;
    f->items = it;
    it->parent = f;
}

static void drop_freq_if_empty(struct cache *c, struct freq *f) {
    if (f->items) return;
    if (f->prev) f->prev->next = f->next; else c->freqs = f->next;
    if (f->next) f->next->prev = f->prev;
    free(f);
}

static struct item **slot_of(struct cache *c, const char *key) {
    struct item **p = &c->buckets[hash(key) % NBUCKETS];
    while (*p && strcmp((*p)->key, key) != 0) p = &(*p)->hnext;
    return p;
}

static void touch(struct cache *c, struct item *it) {
    struct freq *f = it->parent;
    struct freq *nf = f->next;
    if (!nf || nf->count != f->count + 1) {
        nf = new_freq(f->count + 1);
        nf->prev = f;
        nf->next = f->next;
        if (f->next) f->next->prev = nf;
        f->next = nf;
    }
    freq_unlink_item(it);
    freq_push_item(nf, it);
    drop_freq_if_empty(c, f);
}

static void evict(struct cache *c) {
    struct freq *f = c->freqs;
    struct item *victim = f->last;
    freq_unlink_item(victim);
    drop_freq_if_empty(c, f);
    struct item **p = slot_of(c, victim->key);
    *p = victim->hnext;
    victim->hnext = NULL;
    free(victim->value);
    free(victim->key);
    free(victim);
    c->n--;
    c->evictions++;
}

static void put(struct cache *c, const char *key, const char *value) {
    struct item **p = slot_of(c, key);
    if (*p) {
        free((*p)->value);
        (*p)->value = strdup(value); // site: value_updated
        touch(c, *p);
        return;
    }
    if (c->n == CAPACITY) {
        evict(c);
        p = slot_of(c, key);
    }
    struct item *it = malloc(sizeof *it); // site: item
    it->key = strdup(key); // site: key
    it->value = strdup(value); // site: value
    it->hnext = NULL;
    *p = it;
    struct freq *f = c->freqs;
    if (!f || f->count != 1) {
        f = new_freq(1);
        f->next = c->freqs;
        if (c->freqs) c->freqs->prev = f;
        c->freqs = f;
    }
    freq_push_item(f, it);
    c->n++;
}

static const char *get(struct cache *c, const char *key) {
    struct item *it = *slot_of(c, key);
    if (!it) {
        c->misses++;
        return NULL;
    }
    c->hits++;
    touch(c, it);
    return it->value;
}

int main(void) {
    struct cache *c = calloc(1, sizeof *c); // site: cache
    c->buckets = calloc(NBUCKETS, sizeof *c->buckets); // site: buckets
    char key[40], val[64];
    unsigned long sum = 0;
    for (int step = 0; step < 20000; step++) {
        unsigned r = rnd();
        unsigned id = (r % 3 == 0) ? rnd() % 3000 : rnd() % 200;
        snprintf(key, sizeof key, "/assets/img/%04u.png", id);
        if (r % 4 == 0) {
            snprintf(val, sizeof val, "etag-%08x;size=%u;gen=%d", rnd(), id * 37, step);
            put(c, key, val);
        } else {
            const char *v = get(c, key);
            if (v) sum += (unsigned char)v[6];
        }
        if (step % 5000 == 4999) {
            int nf = 0;
            long top = 0;
            for (struct freq *f = c->freqs; f; f = f->next) {
                nf++;
                top = f->count;
            }
            printf("step %d: %d items, %d frequency nodes (top %ld), hits %ld, misses %ld, evictions %ld, sum %lu\n", step + 1, c->n, nf, top, c->hits, c->misses, c->evictions, sum);
        }
    }
    while (c->n > 0) evict(c);
    free(c->buckets);
    free(c);
    return 0;
}
