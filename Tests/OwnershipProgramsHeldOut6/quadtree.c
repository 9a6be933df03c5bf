/* A game world's spatial index as a point-region quadtree: a node covers a square; a leaf
 * holds up to four object pointers inline, and splits into four children (each pointing
 * back at its parent) when a fifth arrives; at the maximum depth, extra objects go to an
 * overflow array (grown by realloc, freed when it empties). Removing an object may
 * collapse four leaf children back into their parent. The world owns the objects through
 * a dense array (grown by realloc; despawning swaps the last object into the hole and
 * clears the vacated slot); an object owns its name. Objects spawn (on a coarse grid,
 * so several share a position), move (removed from the tree and reinserted), and
 * despawn; range queries collect object pointers into a scratch array. At the end the
 * tree is freed, then the objects. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAP 4
#define MAX_DEPTH 6
#define SIZE 1024

struct obj {
    int x, y;
    long id;
    char *name;
};

struct qnode {
    int x0, y0, size, depth;
    struct qnode *parent;
    struct qnode *child[4];
    struct obj *items[CAP];
    int nitems;
    struct obj **overflow;
    size_t noverflow, overcap;
};

struct world {
    struct qnode *root;
    struct obj **objs;
    size_t nobjs, cap;
    long nodes, splits, collapses;
};

static unsigned long rng = 2718;
static unsigned long next_rand(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return rng >> 33;
}

static struct qnode *node_new(struct world *w, struct qnode *parent, int x0, int y0, int size, int depth) {
    struct qnode *n = calloc(1, sizeof *n); // site: qnode
    n->parent = parent;
    n->x0 = x0;
    n->y0 = y0;
    n->size = size;
    n->depth = depth;
    w->nodes++;
    return n;
}

static int quadrant(const struct qnode *n, const struct obj *o) {
    int half = n->size / 2;
    return (o->x >= n->x0 + half) + 2 * (o->y >= n->y0 + half);
}

static void insert(struct world *w, struct qnode *n, struct obj *o) {
    while (n->child[0]) n = n->child[quadrant(n, o)];
    if (n->nitems < CAP) {
        n->items[n->nitems++] = o;
        return;
    }
    if (n->depth == MAX_DEPTH) {
        if (n->noverflow == n->overcap) {
            if (!n->overflow) {
                n->overcap = 2;
                n->overflow = malloc(n->overcap * sizeof *n->overflow); // site: overflow
            } else {
                n->overcap *= 2;
                n->overflow = realloc(n->overflow, n->overcap * sizeof *n->overflow); // site: overflow_grown
            }
        }
        n->overflow[n->noverflow++] = o;
        return;
    }
    int half = n->size / 2;
    for (int q = 0; q < 4; q++) n->child[q] = node_new(w, n, n->x0 + (q & 1) * half, n->y0 + (q >> 1) * half, half, n->depth + 1);
    w->splits++;
    struct obj *moved[CAP];
    memcpy(moved, n->items, sizeof moved);
    memset(n->items, 0, sizeof n->items);
    n->nitems = 0;
    for (int i = 0; i < CAP; i++) insert(w, n, moved[i]);
    insert(w, n, o);
}

static int subtree_count(const struct qnode *n) {
    if (n->child[0]) return 5 * CAP;
    return n->nitems + (int)n->noverflow * 5 * CAP;
}

static void try_collapse(struct world *w, struct qnode *n) {
    while (n) {
        int total = 0;
        for (int q = 0; q < 4; q++) total += subtree_count(n->child[q]);
        if (total > CAP) return;
        for (int q = 0; q < 4; q++) {
            struct qnode *c = n->child[q];
            for (int i = 0; i < c->nitems; i++) n->items[n->nitems++] = c->items[i];
            n->child[q] = NULL;
            free(c);
            w->nodes--;
        }
        w->collapses++;
        n = n->parent;
    }
}

static void remove_obj(struct world *w, struct obj *o) {
    struct qnode *n = w->root;
    while (n->child[0]) n = n->child[quadrant(n, o)];
    for (int i = 0; i < n->nitems; i++)
        if (n->items[i] == o) {
            n->items[i] = n->items[--n->nitems];
            n->items[n->nitems] = NULL;
            if (n->noverflow) {
                n->items[n->nitems++] = n->overflow[--n->noverflow];
                n->overflow[n->noverflow] = NULL;
            }
            goto removed;
        }
    for (size_t i = 0; i < n->noverflow; i++)
        if (n->overflow[i] == o) {
            n->overflow[i] = n->overflow[--n->noverflow];
            n->overflow[n->noverflow] = NULL;
            goto removed;
        }
    abort();
removed:
    if (n->overflow && n->noverflow == 0) {
        free(n->overflow);
        n->overflow = NULL;
        n->overcap = 0;
    }
    if (n->parent) try_collapse(w, n->parent);
}

static size_t query(const struct qnode *n, int x0, int y0, int x1, int y1, struct obj **out, size_t k, size_t cap) {
    if (n->x0 >= x1 || n->y0 >= y1 || n->x0 + n->size <= x0 || n->y0 + n->size <= y0) return k;
    if (n->child[0]) {
        for (int q = 0; q < 4; q++) k = query(n->child[q], x0, y0, x1, y1, out, k, cap);
        return k;
    }
    for (int i = 0; i < n->nitems && k < cap; i++)
        if (n->items[i]->x >= x0 && n->items[i]->x < x1 && n->items[i]->y >= y0 && n->items[i]->y < y1) out[k++] = n->items[i];
    for (size_t i = 0; i < n->noverflow && k < cap; i++)
        if (n->overflow[i]->x >= x0 && n->overflow[i]->x < x1 && n->overflow[i]->y >= y0 && n->overflow[i]->y < y1) out[k++] = n->overflow[i];
    return k;
}

static void free_tree(struct qnode *n) {
    if (n->child[0])
        for (int q = 0; q < 4; q++) free_tree(n->child[q]);
    free(n->overflow);
    free(n);
}

static int coord(unsigned long r) { return (int)(r % 48) * 21 + ((r >> 6) % 4 == 0 ? (int)((r >> 8) % 3) : 0); }

int main(void) {
    struct world *w = calloc(1, sizeof *w); // site: world
    w->root = node_new(w, NULL, 0, 0, SIZE, 0);
    w->cap = 16;
    w->objs = malloc(w->cap * sizeof *w->objs); // site: objs
    long next_id = 0, moves = 0, despawns = 0;
    unsigned long seen = 0;
    for (int step = 0; step < 30000; step++) {
        unsigned long r = next_rand();
        unsigned op = (unsigned)(r % 10);
        if (op < 3 || w->nobjs < 10) {
            if (w->nobjs == w->cap) {
                w->cap *= 2;
                w->objs = realloc(w->objs, w->cap * sizeof *w->objs); // site: objs_grown
            }
            struct obj *o = malloc(sizeof *o); // site: obj
            o->id = next_id++;
            o->x = coord(r >> 4);
            o->y = coord(r >> 17);
            o->name = malloc(32); // site: obj_name
            snprintf(o->name, 32, "%s-%ld", (r >> 30) % 2 ? "orc" : "archer", o->id);
            w->objs[w->nobjs++] = o;
            insert(w, w->root, o);
        } else if (op < 7) {
            struct obj *o = w->objs[(r >> 4) % w->nobjs];
            remove_obj(w, o);
            o->x = (o->x + (int)((r >> 12) % 61) - 30 + SIZE) % SIZE;
            o->y = (o->y + (int)((r >> 20) % 61) - 30 + SIZE) % SIZE;
            insert(w, w->root, o);
            moves++;
        } else if (op < 9 && (step / 5000) % 2 == 1) {
            size_t i = (r >> 4) % w->nobjs;
            struct obj *o = w->objs[i];
            remove_obj(w, o);
            w->objs[i] = w->objs[--w->nobjs];
            w->objs[w->nobjs] = NULL;
            free(o->name);
            free(o);
            despawns++;
        } else {
            int x0 = (int)((r >> 4) % SIZE), y0 = (int)((r >> 14) % SIZE), span = 32 + (int)((r >> 24) % 128);
            struct obj **found = malloc(128 * sizeof *found); // site: found
            size_t k = query(w->root, x0, y0, x0 + span, y0 + span, found, 0, 128);
            for (size_t i = 0; i < k; i++) seen += (unsigned long)found[i]->id % 97 + strlen(found[i]->name);
            free(found);
        }
    }
    printf("%ld %zu %ld %ld %ld %ld %ld %lu\n", next_id, w->nobjs, moves, despawns, w->nodes, w->splits, w->collapses, seen);
    free_tree(w->root);
    for (size_t i = 0; i < w->nobjs; i++) {
        free(w->objs[i]->name);
        free(w->objs[i]);
    }
    free(w->objs);
    free(w);
    return 0;
}
