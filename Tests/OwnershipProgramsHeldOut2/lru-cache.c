/* An LRU cache: a chained hash table (an array of buckets, chains through `hnext`) with a
 * doubly linked recency list threaded through the same nodes (head = most recent, tail =
 * least recent). The cache struct holds the bucket array and the list's head and tail. A
 * node owns a copy of its key and a value buffer. When the cache is full, a miss evicts
 * the tail: it is unlinked from its chain and from the list, then its value, key and the
 * node are freed. Two caches of different capacity are driven by the same request
 * stream. Teardown walks the recency list from the head; then the buckets, then the cache.
 * No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
    struct node *hnext;
    struct node *prev, *next;
    char *key;
    char *value;
    size_t length;
};

struct lru {
    struct node **buckets;
    size_t nbuckets;
    struct node *head, *tail;
    size_t count, capacity;
    long hits, misses;
};

static unsigned long hash(const char *s) {
    unsigned long h = 1469598103934665603UL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211UL;
    return h;
}

static struct lru *lru_new(size_t capacity) {
    struct lru *c = calloc(1, sizeof *c); // site: cache
    c->nbuckets = capacity / 2 + 1;
    c->buckets = calloc(c->nbuckets, sizeof *c->buckets); // site: buckets
    c->capacity = capacity;
    return c;
}

static void list_unlink(struct lru *c, struct node *n) {
    if (n->prev) n->prev->next = n->next; else c->head = n->next;
    if (n->next) n->next->prev = n->prev; else c->tail = n->prev;
    n->prev = n->next = NULL;
}

static void list_push_front(struct lru *c, struct node *n) {
    n->next = c->head;
    n->prev = NULL;
    if (c->head) c->head->prev = n; else c->tail = n;
    c->head = n;
}

static void node_free(struct node *n) {
    free(n->value);
    free(n->key);
    free(n);
}

static void evict(struct lru *c) {
    struct node *victim = c->tail;
    struct node **link = &c->buckets[hash(victim->key) % c->nbuckets];
    while (*link != victim) link = &(*link)->hnext;
    *link = victim->hnext;
    list_unlink(c, victim);
    node_free(victim);
    c->count--;
}

static const char *lru_get(struct lru *c, const char *key) {
    size_t b = hash(key) % c->nbuckets;
    for (struct node *n = c->buckets[b]; n; n = n->hnext) {
        if (strcmp(n->key, key) == 0) {
            list_unlink(c, n);
            list_push_front(c, n);
            c->hits++;
            return n->value;
        }
    }
    c->misses++;
    if (c->count == c->capacity) evict(c);
    struct node *n = malloc(sizeof *n); // site: node
    n->key = strdup(key); // site: key
    n->length = 48 + strlen(key) * 3;
    n->value = malloc(n->length); // site: value
    snprintf(n->value, n->length, "<computed value for %s>", key);
    n->hnext = c->buckets[b];
    c->buckets[b] = n;
    list_push_front(c, n);
    c->count++;
    return n->value;
}

static void lru_free(struct lru *c) {
    struct node *n = c->head;
    while (n) {
        struct node *next = n->next;
        node_free(n);
        n = next;
    }
    free(c->buckets);
    free(c);
}

int main(void) {
    struct lru *big = lru_new(256), *small = lru_new(40);
    char key[40];
    size_t total = 0;
    srand(42);
    for (int i = 0; i < 6000; i++) {
        /* a skewed request stream: a hot set and a long tail */
        int k = rand() % 4 ? rand() % 120 : rand() % 1500;
        snprintf(key, sizeof key, "/api/item/%d", k);
        total += strlen(lru_get(big, key));
        total += strlen(lru_get(small, key));
    }
    printf("%zu %ld/%ld %ld/%ld\n", total, big->hits, big->misses, small->hits, small->misses);
    lru_free(small);
    lru_free(big);
    return 0;
}
