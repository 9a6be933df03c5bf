/* Dijkstra-style task scheduler on a Fibonacci heap (Fredman and Tarjan). A boxed heap
 * record points at the minimum root of a circular doubly linked root list and owns a
 * handle table (allocated once) of node pointers by task id. Nodes own the circular
 * list of their children (child pointer), point back at their parent, and own a name
 * string. extract-min splices the minimum's children into the root list and
 * consolidates roots of equal degree through a temporary degree table; decrease-key
 * cuts a node (and cascades through marked parents) into the root list. Everything
 * left is freed at the end. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXID 4096

struct node {
    struct node *parent, *child, *left, *right;
    long key;
    int degree, mark, id;
    char *name;
};

struct heap {
    struct node *min;
    int n;
    struct node **handles;
};

static unsigned long rng = 99991;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

/* insert x (a single node, its own ring) into the ring beside a */
static void ring_add(struct node *a, struct node *x) {
    x->right = a->right;
    x->left = a;
    a->right->left = x;
    a->right = x;
}

static void ring_remove(struct node *x) {
    x->left->right = x->right;
    x->right->left = x->left;
    x->left = x->right = x;
}

static void add_root(struct heap *h, struct node *x) {
    x->parent = NULL;
    x->mark = 0;
    if (!h->min) {
        x->left = x->right = x;
        h->min = x;
    } else {
        ring_add(h->min, x);
        if (x->key < h->min->key) h->min = x;
    }
}

static void push(struct heap *h, int id, long key) {
    struct node *x = malloc(sizeof *x); // site: node
    char buf[48];
    snprintf(buf, sizeof buf, "task-%04d/priority-lane", id);
    x->name = strdup(buf); // site: name
    x->key = key;
    x->degree = 0;
    x->child = NULL;
    x->id = id;
    x->left = x->right = x;
    add_root(h, x);
    h->handles[id] = x;
    h->n++;
}

static void link_under(struct node *y, struct node *x) {
    ring_remove(y);
    y->parent = x;
    y->mark = 0;
    if (!x->child)
        x->child = y;
    else
        ring_add(x->child, y);
    x->degree++;
}

static void consolidate(struct heap *h) {
    struct node **deg = calloc(64, sizeof *deg); // site: degtab
    /* detach the root ring into a list we can walk safely */
    int nroots = 0;
    struct node *w = h->min;
    do {
        nroots++;
        w = w->right;
    } while (w != h->min);
    while (nroots-- > 0) {
        struct node *x = w;
        w = w->right;
        int d = x->degree;
        while (deg[d]) {
            struct node *y = deg[d];
            if (y->key < x->key || (y->key == x->key && y->id < x->id)) {
                struct node *t = x;
                x = y;
                y = t;
            }
            if (y == w) w = w->right;
            link_under(y, x);
            deg[d] = NULL;
            d++;
        }
        deg[d] = x;
    }
    h->min = NULL;
    for (int i = 0; i < 64; i++) {
        if (!deg[i]) continue;
        if (!h->min || deg[i]->key < h->min->key || (deg[i]->key == h->min->key && deg[i]->id < h->min->id)) h->min = deg[i];
    }
    free(deg);
}

static struct node *pop_min(struct heap *h) {
    struct node *z = h->min;
    if (!z) return NULL;
    while (z->child) {
        struct node *c = z->child;
        if (c->right == c)
            z->child = NULL;
        else
            z->child = c->right;
        ring_remove(c);
        ring_add(z, c);
        c->parent = NULL;
    }
    if (z->right == z) {
        h->min = NULL;
    } else {
        h->min = z->right;
        ring_remove(z);
        consolidate(h);
    }
    z->left = z->right = z;
    h->handles[z->id] = NULL;
    h->n--;
    return z;
}

static void cut(struct heap *h, struct node *x, struct node *p) {
    if (x->right == x)
        p->child = NULL;
    else {
        if (p->child == x) p->child = x->right;
        ring_remove(x);
    }
    p->degree--;
    ring_add(h->min, x);
    x->parent = NULL;
    x->mark = 0;
}

static void decrease(struct heap *h, struct node *x, long key) {
    x->key = key;
    struct node *p = x->parent;
    if (p && x->key < p->key) {
        cut(h, x, p);
        while (p->parent) {
            if (!p->mark) {
                p->mark = 1;
                break;
            }
            struct node *pp = p->parent;
            cut(h, p, pp);
            p = pp;
        }
    }
    if (x->key < h->min->key) h->min = x;
}

static void free_node(struct node *x) {
    free(x->name);
    free(x);
}

int main(void) {
    struct heap *h = malloc(sizeof *h); // site: heap
    h->min = NULL;
    h->n = 0;
    h->handles = calloc(MAXID, sizeof *h->handles); // site: handles
    int next_id = 0, decreases = 0, pops = 0, maxdeg = 0;
    long now = 0;
    unsigned long checksum = 0;
    int disorder = 0;
    for (int round = 0; round < 300; round++) {
        for (int k = 0; k < 12 && next_id < MAXID; k++) push(h, next_id++, now + 1 + (long)(rnd() % 5000));
        for (int k = 0; k < 10; k++) {
            int id = (int)(rnd() % (unsigned)next_id);
            struct node *x = h->handles[id];
            if (x && x->key > now + 1) {
                decrease(h, x, now + 1 + (x->key - now) / 2);
                decreases++;
            }
        }
        for (int k = 0; k < 9; k++) {
            struct node *z = pop_min(h);
            if (!z) break;
            if (z->key < now) disorder++;
            now = z->key;
            checksum = checksum * 31 + z->id;
            if (z->degree > maxdeg) maxdeg = z->degree;
            pops++;
            free_node(z);
        }
        if (round % 100 == 99) printf("round %d: %d queued, %d popped, %d decreased, max degree %d, now %ld, out of order %d, checksum %lu\n", round + 1, h->n, pops, decreases, maxdeg, now, disorder, checksum);
    }
    struct node *z;
    while ((z = pop_min(h)) != NULL) free_node(z);
    free(h->handles);
    free(h);
    return 0;
}
