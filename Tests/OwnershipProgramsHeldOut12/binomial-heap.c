/* Two print queues as binomial heaps (CLRS ch. 19 layout): a boxed heap record holds
 * the head of a root list sorted by degree (sibling links); each node owns its leftmost
 * child, its next sibling and a job label, and points back at its parent. Union merges
 * the root lists and links trees of equal degree; extract-min reverses the minimum's
 * child list into a second heap and unions it back. Halfway through, the second queue
 * is merged into the first and its heap record freed. Everything left is freed at the
 * end. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
    long key;
    int degree;
    struct node *parent, *child, *sibling;
    char *label;
};

struct heap {
    struct node *head;
    long n;
};

static unsigned long rng = 31337;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static struct node *merge_lists(struct node *a, struct node *b) {
    struct node head = {0, 0, NULL, NULL, NULL, NULL}, *tail = &head;
    while (a && b) {
        if (a->degree <= b->degree) {
            tail->sibling = a;
            a = a->sibling;
        } else {
            tail->sibling = b;
            b = b->sibling;
        }
        tail = tail->sibling;
    }
    tail->sibling = a ? a : b;
    return head.sibling;
}

static void link_trees(struct node *y, struct node *z) {
    y->parent = z;
    y->sibling = z->child;
    z->child = y;
    z->degree++;
}

static void heap_union(struct heap *h, struct node *other) {
    h->head = merge_lists(h->head, other);
    if (!h->head) return;
    struct node *prev = NULL, *x = h->head, *next = x->sibling;
    while (next) {
        if (x->degree != next->degree || (next->sibling && next->sibling->degree == x->degree)) {
            prev = x;
            x = next;
        } else if (x->key <= next->key) {
            x->sibling = next->sibling;
            link_trees(next, x);
        } else {
            if (!prev)
                h->head = next;
            else
                prev->sibling = next;
            link_trees(x, next);
            x = next;
        }
        next = x->sibling;
    }
}

static void push(struct heap *h, long key, int job) {
    struct node *x = malloc(sizeof *x); // site: node
    char buf[64];
    snprintf(buf, sizeof buf, "job %05d, %ld pages, duplex", job, key % 97 + 1);
    x->label = strdup(buf); // site: label
    x->key = key;
    x->degree = 0;
    x->parent = x->child = x->sibling = NULL;
    h->n++;
    heap_union(h, x);
}

static struct node *pop_min(struct heap *h) {
    if (!h->head) return NULL;
    struct node *best = h->head, *bestprev = NULL, *prev = h->head;
    for (struct node *x = h->head->sibling; x; prev = x, x = x->sibling)
        if (x->key < best->key) {
            best = x;
            bestprev = prev;
        }
    if (bestprev)
        bestprev->sibling = best->sibling;
    else
        h->head = best->sibling;
    struct node *rev = NULL, *c = best->child;
    while (c) {
        struct node *next = c->sibling;
        c->sibling = rev;
        c->parent = NULL;
        rev = c;
        c = next;
    }
    best->child = best->sibling = NULL;
    heap_union(h, rev);
    h->n--;
    return best;
}

static void free_node(struct node *x) {
    free(x->label);
    free(x);
}

int main(void) {
    struct heap *a = malloc(sizeof *a); // site: heap_a
    struct heap *b = malloc(sizeof *b); // site: heap_b
    a->head = b->head = NULL;
    a->n = b->n = 0;
    long last = -1, disorder = 0;
    unsigned long checksum = 0;
    int job = 0;
    for (int round = 0; round < 200; round++) {
        struct heap *h = (round & 1) && round < 100 ? b : a;
        for (int k = 0; k < 14; k++) push(h, (long)(rnd() % 100000), job++);
        if (round == 100) {
            heap_union(a, b->head);
            a->n += b->n;
            b->head = NULL;
            b->n = 0;
            printf("merged queue b into a: %ld jobs\n", a->n);
        }
        for (int k = 0; k < 6; k++) {
            struct node *x = pop_min(a);
            if (!x) break;
            checksum = checksum * 131 + (unsigned long)x->key + strlen(x->label);
            free_node(x);
        }
        if (round % 50 == 49) printf("round %d: a %ld jobs, b %ld jobs, checksum %lu\n", round + 1, a->n, b->n, checksum);
    }
    free(b);
    struct node *x;
    while ((x = pop_min(a)) != NULL) {
        if (x->key < last) disorder++;
        last = x->key;
        free_node(x);
    }
    printf("drained in order: %s\n", disorder ? "no" : "yes");
    free(a);
    return 0;
}
