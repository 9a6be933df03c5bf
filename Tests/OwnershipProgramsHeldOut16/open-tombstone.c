/* Symbol table with open addressing (linear probing) and tombstones: a boxed table owns
 * a calloc'ed slot array of entry pointers; deleted entries are freed and their slot set
 * to the address of a static tombstone (not a heap block). When live plus tombstones
 * pass 3/4 of the capacity, a new slot array (same site) is calloc'ed, live entries are
 * moved into it and the old one is freed. Entries own their key strings. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ent { char *key; long value; };
struct table { struct ent **slots; size_t cap, used, live; };

static struct ent TOMB;

static struct ent **make_slots(size_t cap) {
    return calloc(cap, sizeof(struct ent *)); // site: slots
}

static size_t hash(const char *s) {
    size_t h = 5381;
    while (*s) h = h * 33 + (unsigned char)*s++;
    return h;
}

static void resize(struct table *t, size_t cap) {
    struct ent **old = t->slots;
    size_t oldcap = t->cap;
    t->slots = make_slots(cap);
    t->cap = cap;
    t->used = t->live;
    for (size_t i = 0; i < oldcap; i++) {
        struct ent *e = old[i];
        if (!e || e == &TOMB) continue;
        size_t j = hash(e->key) & (cap - 1);
        while (t->slots[j]) j = (j + 1) & (cap - 1);
        t->slots[j] = e;
    }
    free(old);
}

static void put(struct table *t, const char *key, long value) {
    if ((t->used + 1) * 4 > t->cap * 3) resize(t, t->live * 2 >= t->cap / 2 ? t->cap * 2 : t->cap);
    size_t j = hash(key) & (t->cap - 1);
    size_t tomb = (size_t)-1;
    while (t->slots[j]) {
        if (t->slots[j] == &TOMB) { if (tomb == (size_t)-1) tomb = j; }
        else if (strcmp(t->slots[j]->key, key) == 0) { t->slots[j]->value = value; return; }
        j = (j + 1) & (t->cap - 1);
    }
    struct ent *e = malloc(sizeof *e); // site: ent
    e->key = strdup(key); // site: ent_key
    e->value = value;
    if (tomb != (size_t)-1) j = tomb; else t->used++;
    t->slots[j] = e;
    t->live++;
}

static int del(struct table *t, const char *key) {
    size_t j = hash(key) & (t->cap - 1);
    while (t->slots[j]) {
        struct ent *e = t->slots[j];
        if (e != &TOMB && strcmp(e->key, key) == 0) {
            free(e->key);
            free(e);
            t->slots[j] = &TOMB;
            t->live--;
            return 1;
        }
        j = (j + 1) & (t->cap - 1);
    }
    return 0;
}

static long get(struct table *t, const char *key) {
    size_t j = hash(key) & (t->cap - 1);
    while (t->slots[j]) {
        if (t->slots[j] != &TOMB && strcmp(t->slots[j]->key, key) == 0) return t->slots[j]->value;
        j = (j + 1) & (t->cap - 1);
    }
    return -1;
}

int main(void) {
    struct table *t = malloc(sizeof *t); // site: table
    t->cap = 8;
    t->used = t->live = 0;
    t->slots = make_slots(t->cap);
    char key[32];
    int resizes = 0;
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 30; i++) {
            snprintf(key, sizeof key, "sym_%d_%d", round, i);
            size_t before = t->cap;
            struct ent **bs = t->slots;
            put(t, key, round * 100 + i);
            if (t->slots != bs) resizes++;
            (void)before;
        }
        for (int i = 0; i < 30; i += 2) {
            snprintf(key, sizeof key, "sym_%d_%d", round, i);
            del(t, key);
        }
    }
    long sum = 0;
    for (int round = 0; round < 4; round++)
        for (int i = 0; i < 30; i++) {
            snprintf(key, sizeof key, "sym_%d_%d", round, i);
            long v = get(t, key);
            if (v >= 0) sum += v;
        }
    printf("live %zu cap %zu resizes %d sum %ld\n", t->live, t->cap, resizes, sum);
    for (size_t i = 0; i < t->cap; i++) {
        struct ent *e = t->slots[i];
        if (!e || e == &TOMB) continue;
        free(e->key);
        free(e);
    }
    free(t->slots);
    free(t);
    return 0;
}
