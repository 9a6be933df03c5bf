/* A chained hash table: a table struct owns an array of bucket heads; each bucket holds
 * the first entry of a chain, each entry the next one, and each entry owns its key (strdup)
 * and its value. When the load passes 1, a bigger bucket array is allocated (at another
 * line, calloc) and the chains moved into it; the old array is freed. Four tables; a scan
 * runs while they live. Teardown: per chain, key, value, entry; then buckets, then table.
 * Decoy: a temporary key buffer allocated before each insert and freed right after it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

struct entry {
    struct entry *next;
    char *key;
    long *value;
};

struct table {
    struct entry **buckets;
    size_t size, count;
};

static unsigned long hash(const char *s) {
    unsigned long h = 1469598103934665603UL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211UL;
    return h;
}

__attribute__((noinline)) static struct table *table_new(void) {
    struct table *t = malloc(sizeof *t); // site: table
    t->size = 8;
    t->count = 0;
    t->buckets = calloc(t->size, sizeof *t->buckets); // site: buckets
    return t;
}

__attribute__((noinline)) static void rehash(struct table *t) {
    size_t size = t->size * 2;
    struct entry **buckets = calloc(size, sizeof *buckets); // site: buckets_grown
    for (size_t i = 0; i < t->size; i++)
        for (struct entry *e = t->buckets[i], *next; e; e = next) {
            next = e->next;
            size_t b = hash(e->key) % size;
            e->next = buckets[b];
            buckets[b] = e;
        }
    free(t->buckets);
    t->buckets = buckets;
    t->size = size;
}

__attribute__((noinline)) static void put(struct table *t, const char *key, long value) {
    if (t->count >= t->size) rehash(t);
    struct entry *e = malloc(sizeof *e); // site: entry
    e->key = strdup(key); // site: key
    e->value = malloc(sizeof *e->value); // site: value
    *e->value = value;
    size_t b = hash(key) % t->size;
    e->next = t->buckets[b];
    t->buckets[b] = e;
    t->count++;
}

__attribute__((noinline)) static void table_free(struct table *t) {
    for (size_t i = 0; i < t->size; i++)
        for (struct entry *e = t->buckets[i], *next; e; e = next) {
            next = e->next;
            free(e->key);
            free(e->value);
            free(e);
        }
    free(t->buckets);
    free(t);
}

int main(void) {
    struct table *tables[4];
    for (int k = 0; k < 4; k++) {
        tables[k] = table_new();
        for (int i = 0; i < 300; i++) {
            char *temporary = malloc(32); // site: temporary
            snprintf(temporary, 32, "t%d-key-%d", k, i);
            put(tables[k], temporary, i * k);
            free(temporary);
        }
    }
    scan_now();
    size_t total = 0;
    for (int k = 0; k < 4; k++) {
        total += tables[k]->count;
        table_free(tables[k]);
    }
    printf("%zu\n", total);
    return 0;
}
