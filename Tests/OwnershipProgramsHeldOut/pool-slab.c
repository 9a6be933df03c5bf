/* An object pool: a pool struct owns an array of slab pointers (grown with realloc); each
 * slab (one malloc) holds 64 fixed-size objects. Freed objects go on the pool's free list
 * (inside the slabs) and are reused. An object in use owns a payload (malloc), freed when
 * the object is released. Two pools; a scan runs while they live. Teardown: the payloads of
 * objects in use, then the slabs, then the slab array, then the pool. Decoy: a request
 * record allocated before each acquire and freed right after it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

#define PER_SLAB 64

struct object {
    struct object *next_free;
    char *payload;
    int in_use;
};

struct pool {
    struct object **slabs;
    size_t slab_count;
    struct object *free_objects;
};

__attribute__((noinline)) static struct pool *pool_new(void) {
    struct pool *p = malloc(sizeof *p); // site: pool
    p->slabs = malloc(sizeof *p->slabs); // site: slabs
    p->slab_count = 0;
    p->free_objects = NULL;
    return p;
}

__attribute__((noinline)) static void add_slab(struct pool *p) {
    p->slabs = realloc(p->slabs, (p->slab_count + 1) * sizeof *p->slabs); // site: slabs_grown
    struct object *slab = malloc(PER_SLAB * sizeof *slab); // site: slab
    p->slabs[p->slab_count++] = slab;
    for (int i = 0; i < PER_SLAB; i++) {
        slab[i].in_use = 0;
        slab[i].payload = NULL;
        slab[i].next_free = p->free_objects;
        p->free_objects = &slab[i];
    }
}

__attribute__((noinline)) static struct object *acquire(struct pool *p, int size) {
    if (!p->free_objects) add_slab(p);
    struct object *o = p->free_objects;
    p->free_objects = o->next_free;
    o->in_use = 1;
    o->payload = malloc(size); // site: payload
    memset(o->payload, 1, size);
    return o;
}

__attribute__((noinline)) static void release(struct pool *p, struct object *o) {
    free(o->payload);
    o->payload = NULL;
    o->in_use = 0;
    o->next_free = p->free_objects;
    p->free_objects = o;
}

__attribute__((noinline)) static void pool_free(struct pool *p) {
    for (size_t s = 0; s < p->slab_count; s++)
        for (int i = 0; i < PER_SLAB; i++)
            if (p->slabs[s][i].in_use) free(p->slabs[s][i].payload);
    for (size_t s = 0; s < p->slab_count; s++) free(p->slabs[s]);
    free(p->slabs);
    free(p);
}

int main(void) {
    static struct object *held[2][700];
    struct pool *pools[2] = {pool_new(), pool_new()};
    srand(31);
    for (int round = 0; round < 3000; round++) {
        int k = round % 2, i = rand() % 700;
        char *request = malloc(48); // site: request
        snprintf(request, 48, "request %d", round);
        if (held[k][i]) {
            release(pools[k], held[k][i]);
            held[k][i] = NULL;
        } else {
            held[k][i] = acquire(pools[k], 16 + (int)strlen(request));
        }
        free(request);
    }
    scan_now();
    pool_free(pools[0]);
    pool_free(pools[1]);
    return 0;
}
