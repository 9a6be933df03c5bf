/* An open-addressing hash map: the map owns its slot array (replaced when it grows);
 * the slot array owns the entries; each entry owns its key and value. Decoy: an audit
 * record made in map_put (same function), kept in a global ring and freed after the map. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

struct entry {
    char *key;
    char *value;
};

struct map {
    struct entry **slots;
    size_t capacity, count;
};

static void *audit[64];
static int audit_next;

static size_t hash(const char *s) {
    size_t h = 1469598103934665603u;
    while (*s) h = (h ^ (unsigned char)*s++) * 1099511628211u;
    return h;
}

__attribute__((noinline)) static struct map *map_new(void) {
    struct map *m = malloc(sizeof *m); // site: map
    m->capacity = 16;
    m->count = 0;
    m->slots = calloc(m->capacity, sizeof *m->slots); // site: slots
    return m;
}

static void place(struct entry **slots, size_t capacity, struct entry *e) {
    size_t i = hash(e->key) & (capacity - 1);
    while (slots[i]) i = (i + 1) & (capacity - 1);
    slots[i] = e;
}

__attribute__((noinline)) static void map_grow(struct map *m) {
    size_t capacity = m->capacity * 2;
    struct entry **slots = calloc(capacity, sizeof *slots); // site: slots_grown
    for (size_t i = 0; i < m->capacity; i++)
        if (m->slots[i]) place(slots, capacity, m->slots[i]);
    free(m->slots);
    m->slots = slots;
    m->capacity = capacity;
}

__attribute__((noinline)) static void map_put(struct map *m, const char *key, size_t value_size) {
    if ((m->count + 1) * 4 > m->capacity * 3) map_grow(m);
    struct entry *e = malloc(sizeof *e); // site: entry
    e->key = strdup(key); // site: key
    e->value = malloc(value_size); // site: value
    memset(e->value, 'v', value_size);
    int slot = audit_next++ % 64;
    free(audit[slot]);
    audit[slot] = malloc(40); // site: audit
    place(m->slots, m->capacity, e);
    m->count++;
}

__attribute__((noinline)) static void map_free(struct map *m) {
    for (size_t i = 0; i < m->capacity; i++) {
        if (!m->slots[i]) continue;
        free(m->slots[i]->key);
        free(m->slots[i]->value);
        free(m->slots[i]);
    }
    free(m->slots);
    free(m);
}

int main(void) {
    struct map *m = map_new();
    char key[32];
    for (int i = 0; i < 10; i++) {
        snprintf(key, sizeof key, "key-%d", i);
        map_put(m, key, 16 + i % 50);
    }
    scan_now();
    for (int i = 10; i < 400; i++) {
        snprintf(key, sizeof key, "key-%d", i);
        map_put(m, key, 16 + i % 50);
    }
    scan_now();
    map_free(m);
    free(malloc(64));
    for (int i = 0; i < 64; i++) free(audit[i]);
    return 0;
}
