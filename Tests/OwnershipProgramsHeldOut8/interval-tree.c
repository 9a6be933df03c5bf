/* Room reservations kept in an interval tree: an unbalanced binary search tree keyed by
 * start time, each node augmented with the largest end time in its subtree and holding a
 * parent pointer. A node owns its booking record, which owns the holder's name. An id
 * table (allocated once) points at the node currently holding each booking. Cancelling a
 * booking frees the booking first (the node's pointer cleared before the free); a node
 * with two children then takes over its in-order successor's interval and booking (the
 * booking pointer moves from node to node, the id table updated), and the node actually
 * unlinked is detached from its parent's child slot before it is freed. Overlap queries
 * prune by the subtree maxima. At the end the tree is freed in post-order. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXID 4096
#define STEPS 3000

struct booking {
    int id;
    int seats;
    char *holder;
};

struct ivnode {
    long lo, hi, max;
    struct ivnode *left, *right, *parent;
    struct booking *bk;
};

struct tree {
    struct ivnode *root;
    struct ivnode **byid;
    int live;
};

static unsigned long rng = 88172645463325252UL;
static unsigned long next_rand(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void fix_max_up(struct ivnode *n) {
    while (n) {
        long m = n->hi;
        if (n->left && n->left->max > m) m = n->left->max;
        if (n->right && n->right->max > m) m = n->right->max;
        n->max = m;
        n = n->parent;
    }
}

static struct booking *make_booking(int id) {
    struct booking *b = malloc(sizeof *b); // site: booking
    char name[64];
    snprintf(name, sizeof name, "team-%02d/reservation-holder-%04d", id % 13, id);
    b->holder = strdup(name); // site: holder
    b->id = id;
    b->seats = 1 + id % 9;
    return b;
}

static void insert(struct tree *t, int id, long lo, long hi) {
    struct ivnode *n = calloc(1, sizeof *n); // site: ivnode
    n->lo = lo;
    n->hi = hi;
    n->max = hi;
    n->bk = make_booking(id);
    struct ivnode **link = &t->root, *parent = NULL;
    while (*link) {
        parent = *link;
        int goes_left = lo < parent->lo || (lo == parent->lo && id < parent->bk->id);
        link = goes_left ? &parent->left : &parent->right;
    }
    n->parent = parent;
    *link = n;
    t->byid[id] = n;
    t->live++;
    fix_max_up(parent);
}

static struct ivnode **slot_of(struct tree *t, struct ivnode *n) {
    if (!n->parent) return &t->root;
    return n->parent->left == n ? &n->parent->left : &n->parent->right;
}

static void cancel(struct tree *t, int id) {
    struct ivnode *n = t->byid[id];
    t->byid[id] = NULL;
    struct booking *bk = n->bk;
    n->bk = NULL;
    free(bk->holder);
    bk->holder = NULL;
    free(bk);
    if (n->left && n->right) {
        struct ivnode *s = n->right;
        while (s->left) s = s->left;
        n->lo = s->lo;
        n->hi = s->hi;
        n->bk = s->bk;
        s->bk = NULL;
        t->byid[n->bk->id] = n;
        n = s;
    }
    struct ivnode *child = n->left ? n->left : n->right;
    struct ivnode **slot = slot_of(t, n);
    *slot = child;
    if (child) child->parent = n->parent;
    struct ivnode *p = n->parent;
    n->parent = n->left = n->right = NULL;
    free(n);
    fix_max_up(p);
    t->live--;
}

static long overlaps(const struct ivnode *n, long lo, long hi) {
    if (!n || n->max <= lo) return 0;
    long c = overlaps(n->left, lo, hi);
    if (n->lo < hi) {
        if (n->hi > lo) c += n->bk->seats;
        c += overlaps(n->right, lo, hi);
    }
    return c;
}

static void free_tree(struct ivnode *n) {
    if (!n) return;
    free_tree(n->left);
    free_tree(n->right);
    free(n->bk->holder);
    free(n->bk);
    free(n);
}

int main(void) {
    struct tree *t = calloc(1, sizeof *t); // site: tree
    t->byid = calloc(MAXID, sizeof *t->byid); // site: byid
    int next_id = 0, inserted = 0, cancelled = 0;
    long seen = 0;
    for (int step = 0; step < STEPS; step++) {
        unsigned long r = next_rand();
        if (t->live < 60 || (r % 3 != 0 && t->live < 300 && next_id < MAXID)) {
            long lo = (long)(r % 100000);
            long hi = lo + 10 + (long)((r >> 20) % 500);
            insert(t, next_id++, lo, hi);
            inserted++;
        } else {
            int k = (int)((r >> 8) % (unsigned long)next_id);
            while (!t->byid[k]) k = (k + 1) % next_id;
            cancel(t, k);
            cancelled++;
        }
        if (step % 10 == 0) {
            long qlo = (long)((r >> 24) % 100000);
            seen += overlaps(t->root, qlo, qlo + 2000);
        }
    }
    printf("inserted=%d cancelled=%d live=%d seats_seen=%ld\n", inserted, cancelled, t->live, seen);
    free_tree(t->root);
    t->root = NULL;
    free(t->byid);
    free(t);
    return 0;
}
