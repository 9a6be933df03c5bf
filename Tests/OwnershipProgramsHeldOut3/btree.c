/* A B-tree of minimum degree 4 (CLRS style, single-pass insertion with pre-emptive
 * splits) mapping integer keys to heap-allocated value records. Keys and value pointers
 * are inline in the node; an internal node keeps its children in a separately allocated
 * array of 2t child pointers. Range queries walk the tree with a heap-allocated cursor
 * holding the path of nodes from the root (it points at nodes, never frees them).
 * Deletion is lazy, as some storage engines do it: the value record is freed and its
 * slot emptied, the key stays. Finally the tree is freed bottom-up (children before their
 * parent's child array and the parent). No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T 4
#define MAX_KEYS (2 * T - 1)
#define MAX_DEPTH 16

struct value {
    int key;
    long payload;
    char label[16];
};

struct bnode {
    int n;
    int leaf;
    int keys[MAX_KEYS];
    struct value *vals[MAX_KEYS];
    struct bnode **kids;
};

struct btree {
    struct bnode *root;
    long size, nodes;
};

static struct bnode *bnode_new(struct btree *t, int leaf) {
    struct bnode *x = malloc(sizeof *x); // site: bnode
    x->n = 0;
    x->leaf = leaf;
    x->kids = leaf ? NULL : malloc(2 * T * sizeof *x->kids); // site: kids
    t->nodes++;
    return x;
}

/* Splits the full child y = x->kids[i] around its median key. */
static void split_child(struct btree *t, struct bnode *x, int i) {
    struct bnode *y = x->kids[i];
    struct bnode *z = bnode_new(t, y->leaf);
    z->n = T - 1;
    for (int j = 0; j < T - 1; j++) {
        z->keys[j] = y->keys[j + T];
        z->vals[j] = y->vals[j + T];
    }
    if (!y->leaf)
        for (int j = 0; j < T; j++) z->kids[j] = y->kids[j + T];
    y->n = T - 1;
    for (int j = x->n; j > i; j--) x->kids[j + 1] = x->kids[j];
    x->kids[i + 1] = z;
    for (int j = x->n - 1; j >= i; j--) {
        x->keys[j + 1] = x->keys[j];
        x->vals[j + 1] = x->vals[j];
    }
    x->keys[i] = y->keys[T - 1];
    x->vals[i] = y->vals[T - 1];
    x->n++;
}

static struct value *value_new(int key) {
    struct value *v = malloc(sizeof *v); // site: value
    v->key = key;
    v->payload = (long)key * 3;
    snprintf(v->label, sizeof v->label, "k%d", key);
    return v;
}

static void btree_put(struct btree *t, int key) {
    struct bnode *x = t->root;
    if (x->n == MAX_KEYS) {
        struct bnode *s = bnode_new(t, 0);
        s->kids[0] = x;
        t->root = s;
        split_child(t, s, 0);
        x = s;
    }
    for (;;) {
        int i = 0;
        while (i < x->n && x->keys[i] < key) i++;
        if (i < x->n && x->keys[i] == key) {
            if (!x->vals[i]) {
                x->vals[i] = value_new(key);
                t->size++;
            }
            x->vals[i]->payload++;
            return;
        }
        if (x->leaf) {
            for (int j = x->n; j > i; j--) {
                x->keys[j] = x->keys[j - 1];
                x->vals[j] = x->vals[j - 1];
            }
            x->keys[i] = key;
            x->vals[i] = value_new(key);
            x->n++;
            t->size++;
            return;
        }
        if (x->kids[i]->n == MAX_KEYS) {
            split_child(t, x, i);
            if (key == x->keys[i]) continue;
            if (key > x->keys[i]) i++;
        }
        x = x->kids[i];
    }
}

static struct value **btree_slot(struct btree *t, int key) {
    struct bnode *x = t->root;
    for (;;) {
        int i = 0;
        while (i < x->n && x->keys[i] < key) i++;
        if (i < x->n && x->keys[i] == key) return &x->vals[i];
        if (x->leaf) return NULL;
        x = x->kids[i];
    }
}

static void btree_delete(struct btree *t, int key) {
    struct value **slot = btree_slot(t, key);
    if (slot && *slot) {
        free(*slot);
        *slot = NULL;
        t->size--;
    }
}

struct cursor {
    struct bnode *path[MAX_DEPTH];
    int at[MAX_DEPTH];
    int depth;
};

/* In-order walk driven by the cursor's explicit path: at[d] is the next step at depth d
 * (even steps visit child step/2, odd steps key step/2); subtrees outside [lo, hi) are
 * skipped. */
static long range_sum(struct btree *t, int lo, int hi) {
    struct cursor *c = malloc(sizeof *c); // site: cursor
    c->depth = 0;
    c->path[0] = t->root;
    c->at[0] = 0;
    long sum = 0;
    while (c->depth >= 0) {
        struct bnode *x = c->path[c->depth];
        if (x->leaf) {
            for (int k = 0; k < x->n; k++)
                if (x->keys[k] >= lo && x->keys[k] < hi && x->vals[k]) sum += x->vals[k]->payload;
            c->depth--;
            continue;
        }
        int step = c->at[c->depth]++;
        if (step > 2 * x->n) {
            c->depth--;
            continue;
        }
        int i = step / 2;
        if (step % 2 == 0) {
            if ((i > 0 && x->keys[i - 1] >= hi) || (i < x->n && x->keys[i] < lo)) continue;
            c->depth++;
            c->path[c->depth] = x->kids[i];
            c->at[c->depth] = 0;
        } else if (x->keys[i] >= lo && x->keys[i] < hi && x->vals[i]) {
            sum += x->vals[i]->payload;
        }
    }
    free(c);
    return sum;
}

static void bnode_free(struct bnode *x) {
    if (!x->leaf) {
        for (int i = 0; i <= x->n; i++) bnode_free(x->kids[i]);
        free(x->kids);
    }
    for (int i = 0; i < x->n; i++) free(x->vals[i]);
    free(x);
}

int main(void) {
    struct btree *t = malloc(sizeof *t); // site: btree
    t->size = t->nodes = 0;
    t->root = bnode_new(t, 1);
    for (int i = 0; i < 4000; i++) btree_put(t, (int)(((unsigned)i * 2654435761u) % 20000));
    long before = t->size;
    for (int i = 0; i < 4000; i += 3) btree_delete(t, (int)(((unsigned)i * 2654435761u) % 20000));
    for (int i = 0; i < 600; i++) btree_put(t, (int)(((unsigned)i * 2654435761u) % 20000));
    long sums = 0;
    for (int q = 0; q < 40; q++) sums += range_sum(t, q * 500, q * 500 + 900);
    printf("%ld %ld %ld %ld\n", before, t->size, t->nodes, sums);
    bnode_free(t->root);
    free(t);
    return 0;
}
