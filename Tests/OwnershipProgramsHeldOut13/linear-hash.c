/* Session store on a linear hash table (Litwin): a boxed table record owns a directory
 * of bucket pointers (malloc'ed for 4, doubled by realloc with the new half zeroed);
 * each bucket is a chain of pages (a primary page, then overflow pages), each page
 * holding up to 4 record pointers; records own their keys. When the load passes 3
 * records a bucket, the bucket at the split pointer is split: its chain is detached,
 * two fresh primary pages are made and its records redistributed, and the old pages
 * are freed. Removals free emptied overflow pages. Vacated slots are zeroed. No
 * scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4

struct rec { char *key; long value; };
struct page { struct page *overflow; int n; struct rec *slot[PAGE]; };
struct lhash { struct page **dir; size_t nbuckets, level, split, cap; long count, splits; };

static unsigned long seed = 31337;
static unsigned rnd(void) { seed = seed * 6364136223846793005UL + 1442695040888963407UL; return (unsigned)(seed >> 33); }

static unsigned long hash(const char *s) {
    unsigned long h = 5381;
    while (*s) h = h * 33 + (unsigned char)*s++;
    return h;
}
static struct page *new_page(void) {
    return calloc(1, sizeof(struct page)); // site: page
}
static size_t bucket_of(const struct lhash *t, const char *key) {
    unsigned long h = hash(key);
    size_t b = h % t->level;
    if (b < t->split) b = h % (2 * t->level);
    return b;
}
static void put_in(struct page *p, struct rec *r) {
    while (p->n == PAGE) {
        if (!p->overflow) p->overflow = new_page();
        p = p->overflow;
    }
    p->slot[p->n++] = r;
}
static void add_bucket(struct lhash *t) {
    if (t->nbuckets == t->cap) {
        t->dir = realloc(t->dir, t->cap * 2 * sizeof *t->dir); // site: dir_grown
        memset(t->dir + t->cap, 0, t->cap * sizeof *t->dir);
        t->cap *= 2;
    }
    t->dir[t->nbuckets++] = new_page();
}
static void split_one(struct lhash *t) {
    size_t old = t->split;
    struct page *chain = t->dir[old];
    t->dir[old] = new_page();
    add_bucket(t);
    t->split++;
    if (t->split == t->level) { t->level *= 2; t->split = 0; }
    while (chain) {
        for (int i = 0; i < chain->n; i++) {
            struct rec *r = chain->slot[i];
            chain->slot[i] = NULL;
            put_in(t->dir[bucket_of(t, r->key)], r);
        }
        struct page *next = chain->overflow;
        free(chain);
        chain = next;
    }
    t->splits++;
}
static struct rec *find(struct lhash *t, const char *key) {
    for (struct page *p = t->dir[bucket_of(t, key)]; p; p = p->overflow)
        for (int i = 0; i < p->n; i++) if (strcmp(p->slot[i]->key, key) == 0) return p->slot[i];
    return NULL;
}
static int erase(struct lhash *t, const char *key) {
    struct page *prev = NULL;
    for (struct page *p = t->dir[bucket_of(t, key)]; p; prev = p, p = p->overflow)
        for (int i = 0; i < p->n; i++) {
            if (strcmp(p->slot[i]->key, key) != 0) continue;
            struct rec *r = p->slot[i];
            p->slot[i] = p->slot[--p->n];
            p->slot[p->n] = NULL;
            free(r->key);
            free(r);
            t->count--;
            if (p->n == 0 && prev) { prev->overflow = p->overflow; free(p); }
            return 1;
        }
    return 0;
}

int main(void) {
    struct lhash *t = calloc(1, sizeof *t); // site: table
    t->cap = 4;
    t->dir = calloc(t->cap, sizeof *t->dir); // site: dir
    t->level = 4;
    for (int i = 0; i < 4; i++) t->dir[t->nbuckets++] = new_page();
    long hits = 0, sum = 0;
    char key[48];
    for (int step = 0; step < 8000; step++) {
        unsigned user = rnd() % (step < 5000 ? 2500 : 600);
        snprintf(key, sizeof key, "session:%u:%s", user, user % 3 ? "web" : "mobile");
        unsigned op = rnd() % 10;
        if (op < 5) {
            struct rec *r = find(t, key);
            if (r) { r->value++; continue; }
            r = malloc(sizeof *r); // site: rec
            r->key = strdup(key); // site: key
            r->value = 1;
            put_in(t->dir[bucket_of(t, key)], r);
            t->count++;
            if (t->count > 3 * (long)t->nbuckets) split_one(t);
        } else if (op < 8) {
            erase(t, key);
        } else {
            struct rec *r = find(t, key);
            if (r) { hits++; sum += r->value; }
        }
    }
    long pages = 0;
    for (size_t b = 0; b < t->nbuckets; b++)
        for (struct page *p = t->dir[b]; p; p = p->overflow) pages++;
    printf("records %ld, buckets %zu (cap %zu), pages %ld, splits %ld, hits %ld, sum %ld\n", t->count, t->nbuckets, t->cap, pages,
           t->splits, hits, sum);
    for (size_t b = 0; b < t->nbuckets; b++) {
        struct page *p = t->dir[b];
        while (p) {
            for (int i = 0; i < p->n; i++) { free(p->slot[i]->key); free(p->slot[i]); }
            struct page *next = p->overflow;
            free(p);
            p = next;
        }
    }
    free(t->dir);
    free(t);
    return 0;
}
