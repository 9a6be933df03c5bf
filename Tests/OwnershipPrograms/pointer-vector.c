/* A growable array of pointers to records, as in many C code bases: the vector owns its
 * buffer (grown by realloc), the buffer owns the records, and each record owns its name.
 * Written after the rules, as a check they were not made for. Decoys: a lookup cache that
 * points at some records from a global array, and a journal of 32-byte notes freed in
 * a later phase. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

struct record {
    char *name;
    int value;
};

struct vector {
    struct record **items;
    size_t count, capacity;
};

static struct record *cache[16];
static void *journal[500];
static int journal_count;

__attribute__((noinline)) static struct vector *vector_new(void) {
    struct vector *v = malloc(sizeof *v); // site: vector
    v->capacity = 4;
    v->count = 0;
    v->items = malloc(v->capacity * sizeof *v->items); // site: items
    return v;
}

__attribute__((noinline)) static struct record *record_new(int value) {
    struct record *r = malloc(sizeof *r); // site: record
    char text[24];
    snprintf(text, sizeof text, "record-%d", value);
    r->name = strdup(text); // site: name
    r->value = value;
    journal[journal_count++] = malloc(32); // site: journal
    return r;
}

__attribute__((noinline)) static void vector_push(struct vector *v, struct record *r) {
    if (v->count == v->capacity) {
        v->capacity *= 2;
        v->items = realloc(v->items, v->capacity * sizeof *v->items); // site: items_grown
    }
    v->items[v->count++] = r;
}

__attribute__((noinline)) static void vector_free(struct vector *v) {
    for (size_t i = 0; i < v->count; i++) {
        free(v->items[i]->name);
        free(v->items[i]);
    }
    free(v->items);
    free(v);
}

int main(void) {
    struct vector *v = vector_new();
    for (int i = 0; i < 500; i++) {
        struct record *r = record_new(i);
        vector_push(v, r);
        if (i % 37 == 0) cache[(i / 37) % 16] = r;
    }
    scan_now();
    for (int i = 0; i < journal_count; i++) free(journal[i]);
    free(malloc(64));
    memset(cache, 0, sizeof cache);
    vector_free(v);
    return 0;
}
