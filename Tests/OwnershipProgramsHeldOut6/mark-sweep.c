/* A toy Lisp heap with a mark-sweep collector. Every object (cons cell, vector, string or
 * number) is on the heap's singly linked all-objects list (head in the heap, an
 * `allnext` link in each object); the sweep walks that list and frees the unmarked ones.
 * Cons cells point at other objects (cycles allowed), vectors own an item array (grown
 * by realloc) pointing at objects, strings own their characters. The mutator keeps its
 * live values in a root array of sixteen registers (allocated once, held by the heap)
 * and builds lists, vectors and cycles, overwrites fields, and drops registers. A
 * collection runs when the object count passes a threshold: marking is iterative, with a
 * mark stack allocated for the collection and grown by realloc; the sweep unlinks and
 * frees the garbage. At the end the registers are cleared and a last collection frees
 * everything. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NROOTS 16

enum { T_NUM, T_CONS, T_VEC, T_STR };

struct gcobj {
    struct gcobj *allnext;
    int type, marked;
    union {
        long num;
        struct {
            struct gcobj *car, *cdr;
        } cons;
        struct {
            struct gcobj **items;
            size_t n, cap;
        } vec;
        struct {
            char *chars;
            size_t len;
        } str;
    } u;
};

struct heap {
    struct gcobj *all;
    size_t count, threshold;
    struct gcobj **roots;
    long collections, freed, peak_mark;
};

static unsigned long rng = 1618;
static unsigned long next_rand(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return rng >> 33;
}

static struct gcobj **mark_push(struct gcobj **stack, size_t *sp, size_t *cap, struct gcobj *o) {
    o->marked = 1;
    if (*sp == *cap) {
        *cap *= 2;
        stack = realloc(stack, *cap * sizeof *stack); // site: markstack_grown
    }
    stack[(*sp)++] = o;
    return stack;
}

static void mark_all(struct heap *h) {
    size_t cap = 4, sp = 0;
    struct gcobj **stack = malloc(cap * sizeof *stack); // site: markstack
    for (int i = 0; i < NROOTS; i++)
        if (h->roots[i] && !h->roots[i]->marked) stack = mark_push(stack, &sp, &cap, h->roots[i]);
    while (sp) {
        struct gcobj *o = stack[--sp];
        stack[sp] = NULL;
        struct gcobj *kids[2] = {NULL, NULL};
        size_t nk = 0;
        struct gcobj **more = NULL;
        if (o->type == T_CONS) {
            kids[0] = o->u.cons.car;
            kids[1] = o->u.cons.cdr;
            nk = 2;
        } else if (o->type == T_VEC) {
            more = o->u.vec.items;
            nk = o->u.vec.n;
        }
        for (size_t i = 0; i < nk; i++) {
            struct gcobj *k = more ? more[i] : kids[i];
            if (!k || k->marked) continue;
            stack = mark_push(stack, &sp, &cap, k);
            if ((long)sp > h->peak_mark) h->peak_mark = (long)sp;
        }
    }
    free(stack);
}

static void sweep(struct heap *h) {
    struct gcobj **link = &h->all;
    while (*link) {
        struct gcobj *o = *link;
        if (o->marked) {
            o->marked = 0;
            link = &o->allnext;
            continue;
        }
        *link = o->allnext;
        if (o->type == T_VEC) free(o->u.vec.items);
        else if (o->type == T_STR) free(o->u.str.chars);
        free(o);
        h->count--;
        h->freed++;
    }
}

static void collect(struct heap *h) {
    mark_all(h);
    sweep(h);
    h->collections++;
    h->threshold = h->count * 2 > 300 ? h->count * 2 : 300;
}

static struct gcobj *gc_alloc(struct heap *h, int type) {
    if (h->count >= h->threshold) collect(h);
    struct gcobj *o = calloc(1, sizeof *o); // site: gcobj
    o->type = type;
    o->allnext = h->all;
    h->all = o;
    h->count++;
    return o;
}

static void vec_push(struct gcobj *v, struct gcobj *x) {
    if (v->u.vec.n == v->u.vec.cap) {
        v->u.vec.cap *= 2;
        v->u.vec.items = realloc(v->u.vec.items, v->u.vec.cap * sizeof *v->u.vec.items); // site: vec_items_grown
    }
    v->u.vec.items[v->u.vec.n++] = x;
}

static unsigned long walk(const struct gcobj *o, int depth) {
    if (!o || depth > 6) return 1;
    switch (o->type) {
    case T_NUM: return (unsigned long)o->u.num;
    case T_STR: return o->u.str.len + (unsigned char)o->u.str.chars[0];
    case T_CONS: return 3 + walk(o->u.cons.car, depth + 1) + walk(o->u.cons.cdr, depth + 1);
    default: return 7 + o->u.vec.n + (o->u.vec.n ? walk(o->u.vec.items[0], depth + 1) : 0);
    }
}

int main(void) {
    struct heap *h = calloc(1, sizeof *h); // site: heap
    h->threshold = 300;
    h->roots = calloc(NROOTS, sizeof *h->roots); // site: roots
    unsigned long sum = 0;
    for (int step = 0; step < 40000; step++) {
        unsigned long r = next_rand();
        struct gcobj **dst = &h->roots[r % NROOTS];
        struct gcobj *a = h->roots[(r >> 4) % NROOTS], *b = h->roots[(r >> 8) % NROOTS];
        switch ((r >> 12) % 9) {
        case 0: {
            struct gcobj *o = gc_alloc(h, T_NUM);
            o->u.num = (long)(r >> 16) % 1000;
            *dst = o;
            break;
        }
        case 1:
        case 2: {
            struct gcobj *o = gc_alloc(h, T_CONS);
            o->u.cons.car = h->roots[(r >> 4) % NROOTS];
            o->u.cons.cdr = h->roots[(r >> 8) % NROOTS];
            *dst = o;
            break;
        }
        case 3: {
            struct gcobj *o = gc_alloc(h, T_VEC);
            o->u.vec.cap = 2;
            o->u.vec.items = malloc(o->u.vec.cap * sizeof *o->u.vec.items); // site: vec_items
            *dst = o;
            break;
        }
        case 4: {
            struct gcobj *o = gc_alloc(h, T_STR);
            o->u.str.len = 5 + (r >> 16) % 40;
            o->u.str.chars = malloc(o->u.str.len + 1); // site: str_chars
            memset(o->u.str.chars, 'a' + (int)((r >> 20) % 26), o->u.str.len);
            o->u.str.chars[o->u.str.len] = 0;
            *dst = o;
            break;
        }
        case 5:
            if (a && a->type == T_VEC) vec_push(a, b);
            break;
        case 6:
            if (a && a->type == T_CONS) {
                if (r & (1UL << 20)) a->u.cons.car = b;
                else a->u.cons.cdr = b;
            }
            break;
        case 7:
            if (a && a->type == T_VEC && a->u.vec.n) a->u.vec.items[(r >> 16) % a->u.vec.n] = b;
            break;
        default:
            if ((r >> 16) % 4 == 0) *dst = NULL;
            else sum += walk(a, 0);
        }
    }
    long live_before = (long)h->count;
    memset(h->roots, 0, NROOTS * sizeof *h->roots);
    collect(h);
    printf("%ld %ld %ld %zu %ld %lu\n", live_before, h->collections, h->freed, h->count, h->peak_mark, sum);
    free(h->roots);
    free(h);
    return 0;
}
