/* A cache held by globals: a global array of 128 slots, each holding an entry that owns a
 * key and a value. Lookups of a missing key evict the slot's entry (value, key, entry) and
 * make a new one; a global `last_hit` points at the entry found last. Decoy: a statistics
 * record allocated right after each entry, in the same function, held by a global array
 * and freed at the end after the cache's entries (one cascade). A scan runs mid-way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

#define SLOTS 128

struct entry {
    char *key;
    char *value;
    long hits;
};

struct stats {
    long made;
    long slot;
};

static struct entry *slots[SLOTS];
static struct entry *last_hit;
static struct stats *stats[8192];
static int stat_count;

__attribute__((noinline)) static struct entry *entry_new(const char *key, long slot) {
    struct entry *e = malloc(sizeof *e); // site: entry
    stats[stat_count] = malloc(sizeof(struct stats)); // site: stat
    stats[stat_count]->made = stat_count;
    stats[stat_count++]->slot = slot;
    e->key = strdup(key); // site: key
    e->value = malloc(64 + slot % 32); // site: value
    snprintf(e->value, 64, "value of %s", key);
    e->hits = 0;
    return e;
}

__attribute__((noinline)) static void entry_free(struct entry *e) {
    free(e->value);
    free(e->key);
    free(e);
}

__attribute__((noinline)) static struct entry *lookup(const char *key) {
    unsigned long h = 5381;
    for (const char *c = key; *c; c++) h = h * 33 + (unsigned char)*c;
    long slot = (long)(h % SLOTS);
    struct entry *e = slots[slot];
    if (e && strcmp(e->key, key) == 0) {
        e->hits++;
        return last_hit = e;
    }
    if (e) entry_free(e);
    if (last_hit == e) last_hit = NULL;
    slots[slot] = entry_new(key, slot);
    return slots[slot];
}

int main(void) {
    char key[32];
    long hits = 0;
    srand(9);
    for (int i = 0; i < 4000; i++) {
        snprintf(key, sizeof key, "key-%d", rand() % 300);
        hits += lookup(key)->hits;
        if (i == 3000) scan_now();
    }
    for (int i = 0; i < SLOTS; i++)
        if (slots[i]) entry_free(slots[i]);
    for (int i = 0; i < stat_count; i++) free(stats[i]);
    printf("%ld\n", hits);
    return 0;
}
