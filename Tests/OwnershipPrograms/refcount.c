/* Reference-counted shared objects: each object is held by five holders and freed by
 * whichever holder releases it last. Holders live in a global table. Decoy: a tag made
 * in holder_new (same function) and freed after everything else. */
#include <stdlib.h>
#include <string.h>
#include "scan.h"

struct object {
    int references;
    char data[60];
};

struct holder {
    struct object *object;
    int id;
};

static struct holder *holders[200];
static void *tags[200];

__attribute__((noinline)) static struct object *object_new(void) {
    struct object *o = malloc(sizeof *o); // site: object
    o->references = 0;
    memset(o->data, 'o', sizeof o->data);
    return o;
}

__attribute__((noinline)) static struct holder *holder_new(struct object *o, int id) {
    struct holder *h = malloc(sizeof *h); // site: holder
    h->object = o;
    h->id = id;
    o->references++;
    tags[id] = malloc(12); // site: tag
    return h;
}

__attribute__((noinline)) static void holder_free(struct holder *h) {
    if (--h->object->references == 0) free(h->object);
    free(h);
}

int main(void) {
    for (int i = 0; i < 40; i++) {
        struct object *o = object_new();
        for (int j = 0; j < 5; j++) holders[i * 5 + j] = holder_new(o, i * 5 + j);
    }
    scan_now();
    srand(3);
    for (int i = 199; i > 0; i--) {
        int j = rand() % (i + 1);
        struct holder *t = holders[i];
        holders[i] = holders[j];
        holders[j] = t;
    }
    for (int i = 0; i < 200; i++) {
        holder_free(holders[i]);
        free(malloc(16));
    }
    for (int i = 0; i < 200; i++) free(tags[i]);
    return 0;
}
