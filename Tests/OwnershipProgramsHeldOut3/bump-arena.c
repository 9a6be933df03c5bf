/* A per-request bump allocator, as web servers use (nginx's pools, Apache's apr_pool):
 * objects are carved from fixed-size chunks linked newest first; allocations too large
 * for a chunk get their own malloc'd block, threaded on the arena's list of large blocks.
 * Each "request" parses headers into key/value records allocated from the arena: records
 * are linked in a list and indexed by an array that are also in the arena, so records,
 * keys and the index point into other chunks (and at large blocks for long values). After
 * each request the arena is reset in bulk: every chunk but the first and every large
 * block are freed at once. At the end the arena is destroyed. One scan, while the
 * 120th request (one of the largest) is in memory. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

#define CHUNK_SIZE 2048
#define LARGE_LIMIT 512

struct chunk {
    struct chunk *prev;
    size_t used;
    unsigned char data[CHUNK_SIZE];
};

struct large {
    struct large *next;
    size_t size;
    unsigned char data[];
};

struct arena {
    struct chunk *current;
    struct large *large;
    size_t chunks, larges;
};

static struct chunk *chunk_new(struct chunk *prev) {
    struct chunk *c = malloc(sizeof *c); // site: chunk
    c->prev = prev;
    c->used = 0;
    return c;
}

static struct arena *arena_new(void) {
    struct arena *a = malloc(sizeof *a); // site: arena
    a->current = chunk_new(NULL);
    a->large = NULL;
    a->chunks = 1;
    a->larges = 0;
    return a;
}

static void *arena_alloc(struct arena *a, size_t size) {
    size = (size + 15) & ~(size_t)15;
    if (size > LARGE_LIMIT) {
        struct large *l = malloc(sizeof *l + size); // site: large
        l->next = a->large;
        l->size = size;
        a->large = l;
        a->larges++;
        return l->data;
    }
    if (a->current->used + size > CHUNK_SIZE) {
        a->current = chunk_new(a->current);
        a->chunks++;
    }
    void *p = a->current->data + a->current->used;
    a->current->used += size;
    return p;
}

static void arena_reset(struct arena *a) {
    while (a->large) {
        struct large *next = a->large->next;
        free(a->large);
        a->large = next;
    }
    while (a->current->prev) {
        struct chunk *prev = a->current->prev;
        free(a->current);
        a->current = prev;
    }
    a->current->used = 0;
    a->chunks = 1;
    a->larges = 0;
}

static void arena_destroy(struct arena *a) {
    arena_reset(a);
    free(a->current);
    free(a);
}

static char *arena_strdup(struct arena *a, const char *s, size_t n) {
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

struct header {
    struct header *next;
    const char *key;
    const char *value;
    size_t value_len;
};

struct request {
    struct header *first;
    struct header **index;
    size_t count;
};

static struct request *parse_request(struct arena *a, unsigned seed, size_t headers) {
    struct request *r = arena_alloc(a, sizeof *r);
    r->first = NULL;
    r->count = 0;
    struct header **tail = &r->first;
    char key[32], value[2048];
    for (size_t i = 0; i < headers; i++) {
        seed = seed * 1664525u + 1013904223u;
        int klen = snprintf(key, sizeof key, "X-Header-%zu-%u", i, seed % 97);
        size_t vlen = 8 + (seed >> 8) % ((seed >> 20) % 8 == 0 ? 1500 : 120);
        for (size_t k = 0; k < vlen; k++) value[k] = (char)('a' + (k + i) % 26);
        struct header *h = arena_alloc(a, sizeof *h);
        h->key = arena_strdup(a, key, (size_t)klen);
        h->value = arena_strdup(a, value, vlen);
        h->value_len = vlen;
        h->next = NULL;
        *tail = h;
        tail = &h->next;
        r->count++;
    }
    r->index = arena_alloc(a, r->count * sizeof *r->index);
    size_t i = 0;
    for (struct header *h = r->first; h; h = h->next) r->index[i++] = h;
    return r;
}

int main(void) {
    struct arena *a = arena_new();
    unsigned long checksum = 0;
    size_t most_chunks = 0, most_large = 0;
    for (unsigned request = 0; request < 150; request++) {
        struct request *r = parse_request(a, request * 7 + 1, 10 + request % 40);
        for (size_t i = 0; i < r->count; i += 3) checksum += (unsigned char)r->index[i]->value[r->index[i]->value_len / 2] + strlen(r->index[i]->key);
        if (a->chunks > most_chunks) most_chunks = a->chunks;
        if (a->larges > most_large) most_large = a->larges;
        if (request == 119) scan_now(); /* a snapshot while a 49-header request is parsed */
        arena_reset(a);
    }
    printf("%lu %zu %zu\n", checksum, most_chunks, most_large);
    arena_destroy(a);
    return 0;
}
