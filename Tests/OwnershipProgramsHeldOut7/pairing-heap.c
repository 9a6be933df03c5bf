/* A deadline scheduler on a pairing heap: each heap node (a task with a priority and a
 * label string) points at its first child and next sibling, which it owns, and back at
 * its previous sibling or, for a first child, at its parent (`prev`). The heap struct
 * holds the root and a handle table (array indexed by task id) that points at live
 * nodes for decrease-key and cancellation. Operations: insert (meld with the root),
 * decrease-key (cut the subtree, meld it back), delete-min (two-pass pairing of the
 * root's children) and cancel (cut, pair the children, meld). A node's handle slot is
 * cleared before the node is freed. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXID 2048

struct pnode {
    long prio;
    int id;
    char *label;
    struct pnode *child, *sibling, *prev;
};

struct heap {
    struct pnode *root;
    struct pnode **handles;
    int size;
};

static unsigned long rng = 31337;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static struct pnode *meld(struct pnode *a, struct pnode *b) {
    if (!a) return b;
    if (!b) return a;
    if (b->prio < a->prio || (b->prio == a->prio && b->id < a->id)) {
        struct pnode *t = a;
        a = b;
        b = t;
    }
    /* b becomes a's first child */
    b->prev = a;
    b->sibling = a->child;
    if (a->child) a->child->prev = b;
    a->child = b;
    a->sibling = NULL;
    a->prev = NULL;
    return a;
}

static struct pnode *pair_children(struct pnode *first) {
    if (!first) return NULL;
    struct pnode *pairs[MAXID];
    int n = 0;
    while (first) {
        struct pnode *a = first, *b = first->sibling;
        first = b ? b->sibling : NULL;
        a->sibling = a->prev = NULL;
        if (b) b->sibling = b->prev = NULL;
        pairs[n++] = meld(a, b);
    }
    struct pnode *r = pairs[--n];
    while (n > 0) r = meld(pairs[--n], r);
    return r;
}

static void cut(struct heap *h, struct pnode *x) {
    if (x == h->root) {
        h->root = NULL;
        return;
    }
    if (x->prev->child == x) x->prev->child = x->sibling;
    else x->prev->sibling = x->sibling;
    if (x->sibling) x->sibling->prev = x->prev;
    x->sibling = x->prev = NULL;
}

static void insert(struct heap *h, int id, long prio) {
    struct pnode *x = calloc(1, sizeof *x); // site: pnode
    x->id = id;
    x->prio = prio;
    char buf[40];
    snprintf(buf, sizeof buf, "task-%04d-deadline", id);
    x->label = strdup(buf); // site: label
    h->handles[id] = x;
    h->root = meld(h->root, x);
    h->size++;
}

static void decrease(struct heap *h, struct pnode *x, long prio) {
    x->prio = prio;
    if (x == h->root) return;
    cut(h, x);
    h->root = meld(h->root, x);
}

static void drop_node(struct heap *h, struct pnode *x) {
    h->handles[x->id] = NULL;
    x->child = NULL;
    free(x->label);
    free(x);
    h->size--;
}

static long pop_min(struct heap *h) {
    struct pnode *r = h->root;
    if (!r) return -1;
    h->root = pair_children(r->child);
    long v = r->prio * 7 + (long)strlen(r->label) + r->id;
    drop_node(h, r);
    return v;
}

static void cancel(struct heap *h, struct pnode *x) {
    cut(h, x);
    struct pnode *sub = pair_children(x->child);
    h->root = meld(h->root, sub);
    drop_node(h, x);
}

int main(void) {
    struct heap *h = calloc(1, sizeof *h); // site: heap
    h->handles = calloc(MAXID, sizeof *h->handles); // site: handles
    long sum = 0;
    int next_id = 0, popped = 0, cancelled = 0;
    for (int step = 0; step < 6000; step++) {
        unsigned op = rnd() % 10;
        if (op < 4 && next_id < MAXID) {
            insert(h, next_id++, (long)(rnd() % 100000));
        } else if (op < 6 && h->size > 0) {
            sum += pop_min(h);
            popped++;
        } else if (op < 9 && next_id > 0) {
            struct pnode *x = h->handles[rnd() % (unsigned)next_id];
            if (x) decrease(h, x, x->prio - (long)(rnd() % 5000));
        } else if (next_id > 0) {
            struct pnode *x = h->handles[rnd() % (unsigned)next_id];
            if (x) {
                cancel(h, x);
                cancelled++;
            }
        }
    }
    int remaining = h->size;
    while (h->root) sum += pop_min(h);
    printf("inserted=%d popped=%d cancelled=%d remaining=%d sum=%ld\n", next_id, popped, cancelled, remaining, sum);
    free(h->handles);
    free(h);
    return 0;
}
