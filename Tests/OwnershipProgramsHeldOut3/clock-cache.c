/* A fixed-capacity object cache with CLOCK (second chance) eviction, as buffer pools and
 * page caches use: entries sit in a circular array of slots swept by a clock hand (an
 * entry whose reference bit is set gets a second chance, the first one without it is
 * evicted and freed); an open-addressing hash index (linear probing, backward-shift
 * deletion) maps keys to entries. A cached entry owns a copy of the object's bytes and
 * points at the backing source record it was loaded from, which the application owns.
 * Some keys are invalidated mid-way (their slot is left empty and reused); at the end the
 * cache frees what is left through its slots. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAPACITY 256
#define INDEX_SIZE 512
#define SOURCES 40

struct source {
    int id;
    unsigned char fill;
    long loads;
};

struct centry {
    int key;
    int referenced;
    size_t size;
    unsigned char *bytes;
    struct source *source;
};

struct cache {
    struct centry **slots;
    struct centry **index;
    int used, hand;
    long hits, misses, evictions;
};

static unsigned slot_of(int key) { return ((unsigned)key * 2654435761u) % INDEX_SIZE; }

static struct centry **index_find(struct cache *c, int key) {
    for (unsigned i = slot_of(key);; i = (i + 1) % INDEX_SIZE) {
        if (!c->index[i] || c->index[i]->key == key) return &c->index[i];
    }
}

static void index_remove(struct cache *c, int key) {
    unsigned i = (unsigned)(index_find(c, key) - c->index);
    c->index[i] = NULL;
    for (unsigned j = (i + 1) % INDEX_SIZE; c->index[j]; j = (j + 1) % INDEX_SIZE) {
        unsigned home = slot_of(c->index[j]->key);
        /* Move the entry at j back to the hole at i if its home is not in (i, j]. */
        if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
            c->index[i] = c->index[j];
            c->index[j] = NULL;
            i = j;
        }
    }
}

static void entry_free(struct centry *e) {
    free(e->bytes);
    free(e);
}

static int take_slot(struct cache *c) {
    if (c->used < CAPACITY) {
        while (c->slots[c->hand]) c->hand = (c->hand + 1) % CAPACITY;
        c->used++;
        return c->hand;
    }
    for (;;) {
        struct centry *e = c->slots[c->hand];
        if (e->referenced) {
            e->referenced = 0;
            c->hand = (c->hand + 1) % CAPACITY;
            continue;
        }
        index_remove(c, e->key);
        entry_free(e);
        c->slots[c->hand] = NULL;
        c->evictions++;
        return c->hand;
    }
}

static struct centry *cache_get(struct cache *c, int key, struct source *sources) {
    struct centry **found = index_find(c, key);
    if (*found) {
        (*found)->referenced = 1;
        c->hits++;
        return *found;
    }
    c->misses++;
    int slot = take_slot(c);
    struct centry *e = malloc(sizeof *e); // site: centry
    e->key = key;
    e->referenced = 0;
    e->source = &sources[key % SOURCES];
    e->source->loads++;
    e->size = 64 + (size_t)(key % 200);
    e->bytes = malloc(e->size); // site: bytes
    memset(e->bytes, e->source->fill, e->size);
    c->slots[slot] = e;
    *index_find(c, key) = e;
    c->hand = (slot + 1) % CAPACITY;
    return e;
}

static void cache_invalidate(struct cache *c, int key) {
    struct centry **found = index_find(c, key);
    if (!*found) return;
    struct centry *e = *found;
    index_remove(c, key);
    for (int i = 0; i < CAPACITY; i++) {
        if (c->slots[i] == e) {
            c->slots[i] = NULL;
            break;
        }
    }
    entry_free(e);
    c->used--;
}

int main(void) {
    struct source *sources = malloc(SOURCES * sizeof *sources); // site: sources
    for (int i = 0; i < SOURCES; i++) {
        sources[i].id = i;
        sources[i].fill = (unsigned char)(i * 5);
        sources[i].loads = 0;
    }
    struct cache *c = malloc(sizeof *c); // site: cache
    c->slots = calloc(CAPACITY, sizeof *c->slots); // site: slots
    c->index = calloc(INDEX_SIZE, sizeof *c->index); // site: index
    c->used = c->hand = 0;
    c->hits = c->misses = c->evictions = 0;
    unsigned seed = 3;
    unsigned long sum = 0;
    for (int k = 0; k < 20000; k++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = (seed >> 16) & 0x7fff;
        /* Skewed keys: a hot set of 150 and a cold tail of 1500. */
        int key = r % 4 ? (int)(r % 150) : 150 + (int)(r % 1500);
        struct centry *e = cache_get(c, key, sources);
        sum += e->bytes[e->size - 1];
        if (k % 97 == 0) cache_invalidate(c, (int)((r >> 3) % 150));
    }
    long loads = 0;
    for (int i = 0; i < SOURCES; i++) loads += sources[i].loads;
    printf("%lu %ld %ld %ld %ld %d\n", sum, c->hits, c->misses, c->evictions, loads, c->used);
    for (int i = 0; i < CAPACITY; i++)
        if (c->slots[i]) entry_free(c->slots[i]);
    free(c->index);
    free(c->slots);
    free(c);
    free(sources);
    return 0;
}
