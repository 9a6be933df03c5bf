/* An arena: an arena struct holds the newest chunk, each chunk holds the previous one
 * (its first word). Objects are carved out of chunks (no malloc of their own); each object
 * holds a name allocated with malloc, which the arena frees when it is destroyed. Three
 * arenas live at once; a scan runs while they live. Teardown: every object's name, then
 * the chunks newest first, then the arena. Decoy: a scratch buffer allocated right after
 * each chunk, in the same function, kept in a global and freed after all arenas. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

#define CHUNK 4096

struct chunk {
    struct chunk *previous;
    size_t used;
    char bytes[CHUNK];
};

struct object {
    char *name;
    long value;
};

struct arena {
    struct chunk *newest;
    size_t objects;
};

static void *scratch[64];
static int scratches;

__attribute__((noinline)) static struct arena *arena_new(void) {
    struct arena *a = malloc(sizeof *a); // site: arena
    a->newest = NULL;
    a->objects = 0;
    return a;
}

__attribute__((noinline)) static void grow(struct arena *a) {
    struct chunk *c = malloc(sizeof *c); // site: chunk
    scratch[scratches++] = malloc(256); // site: scratch
    c->previous = a->newest;
    c->used = 0;
    a->newest = c;
}

__attribute__((noinline)) static struct object *arena_object(struct arena *a, int i) {
    if (!a->newest || a->newest->used + sizeof(struct object) > CHUNK) grow(a);
    struct object *o = (struct object *)(a->newest->bytes + a->newest->used);
    a->newest->used += sizeof(struct object);
    o->name = malloc(20 + i % 7); // site: name
    snprintf(o->name, 20, "obj-%d", i);
    o->value = i;
    a->objects++;
    return o;
}

__attribute__((noinline)) static void arena_free(struct arena *a) {
    for (struct chunk *c = a->newest; c; c = c->previous)
        for (size_t at = 0; at < c->used; at += sizeof(struct object)) free(((struct object *)(c->bytes + at))->name);
    for (struct chunk *c = a->newest, *previous; c; c = previous) {
        previous = c->previous;
        free(c);
    }
    free(a);
}

int main(void) {
    struct arena *arenas[3];
    long sum = 0;
    for (int k = 0; k < 3; k++) {
        arenas[k] = arena_new();
        for (int i = 0; i < 900; i++) sum += arena_object(arenas[k], i)->value;
    }
    scan_now();
    for (int k = 0; k < 3; k++) arena_free(arenas[k]);
    for (int i = 0; i < scratches; i++) free(scratch[i]);
    printf("%ld\n", sum);
    return 0;
}
