/* Symbol cache on a top-down splay tree (Sleator): a boxed tree record owns the root;
 * nodes own their left and right children and their key strings. Every lookup and
 * insert splays the touched key to the root (zig, zig-zig and zig-zag steps re-link
 * nodes through a header on the stack); a removal splays the key up, joins the two
 * subtrees under the largest key of the left one and frees the node. Periodic range
 * reports collect node pointers into a temporary snapshot array (freed after use).
 * Everything is freed at the end. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
    struct node *left, *right;
    char *key;
    int hits;
};

struct tree {
    struct node *root;
    int n;
};

static unsigned long rng = 2024;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static struct node *splay(struct node *t, const char *key) {
    struct node hdr, *l, *r, *y;
    if (!t) return t;
    hdr.left = hdr.right = NULL;
    l = r = &hdr;
    for (;;) {
        int c = strcmp(key, t->key);
        if (c < 0) {
            if (!t->left) break;
            if (strcmp(key, t->left->key) < 0) {
                y = t->left; /* rotate right */
                t->left = y->right;
                y->right = t;
                t = y;
                if (!t->left) break;
            }
            r->left = t; /* link right */
            r = t;
            t = t->left;
        } else if (c > 0) {
            if (!t->right) break;
            if (strcmp(key, t->right->key) > 0) {
                y = t->right; /* rotate left */
                t->right = y->left;
                y->left = t;
                t = y;
                if (!t->right) break;
            }
            l->right = t; /* link left */
            l = t;
            t = t->right;
        } else {
            break;
        }
    }
    l->right = t->left;
    r->left = t->right;
    t->left = hdr.right;
    t->right = hdr.left;
    return t;
}

static void insert(struct tree *tr, const char *key) {
    struct node *t = splay(tr->root, key);
    if (t && strcmp(key, t->key) == 0) {
        t->hits++;
        tr->root = t;
        return;
    }
    struct node *n = malloc(sizeof *n); // site: node
    n->key = strdup(key); // site: key
    n->hits = 1;
    if (!t) {
        n->left = n->right = NULL;
    } else if (strcmp(key, t->key) < 0) {
        n->left = t->left;
        n->right = t;
        t->left = NULL;
    } else {
        n->right = t->right;
        n->left = t;
        t->right = NULL;
    }
    tr->root = n;
    tr->n++;
}

static int removekey(struct tree *tr, const char *key) {
    struct node *t = splay(tr->root, key);
    if (!t) return 0;
    if (strcmp(key, t->key) != 0) {
        tr->root = t;
        return 0;
    }
    struct node *x;
    if (!t->left) {
        x = t->right;
    } else {
        x = splay(t->left, key); /* largest key of the left subtree comes up */
        x->right = t->right;
    }
    t->left = t->right = NULL;
    free(t->key);
    free(t);
    tr->root = x;
    tr->n--;
    return 1;
}

static void collect(struct node *t, const char *lo, const char *hi, struct node **out, int *k, int max) {
    if (!t || *k >= max) return;
    if (strcmp(t->key, lo) > 0) collect(t->left, lo, hi, out, k, max);
    if (*k < max && strcmp(t->key, lo) >= 0 && strcmp(t->key, hi) < 0) out[(*k)++] = t;
    if (strcmp(t->key, hi) < 0) collect(t->right, lo, hi, out, k, max);
}

static int depth(const struct node *t) {
    if (!t) return 0;
    int a = depth(t->left), b = depth(t->right);
    return 1 + (a > b ? a : b);
}

static void destroy(struct node *t) {
    if (!t) return;
    destroy(t->left);
    destroy(t->right);
    free(t->key);
    free(t);
}

int main(void) {
    struct tree *tr = malloc(sizeof *tr); // site: tree
    tr->root = NULL;
    tr->n = 0;
    char key[48], lo[48], hi[48];
    long reported = 0, hits = 0;
    int removed = 0;
    for (int step = 0; step < 12000; step++) {
        unsigned r = rnd();
        /* skewed keys: a hot set of 40 and a long tail */
        unsigned id = (r % 4 == 0) ? rnd() % 2500 : rnd() % 40;
        snprintf(key, sizeof key, "symbol::module_%02u::item_%04u", id % 23, id);
        if (r % 7 == 3)
            removed += removekey(tr, key);
        else
            insert(tr, key);
        if (step % 500 == 499) {
            snprintf(lo, sizeof lo, "symbol::module_%02u", rnd() % 23);
            snprintf(hi, sizeof hi, "symbol::module_%02u", rnd() % 23 + 1);
            struct node **snap = calloc(64, sizeof *snap); // site: snapshot
            int k = 0;
            collect(tr->root, lo, hi, snap, &k, 64);
            for (int i = 0; i < k; i++) hits += snap[i]->hits;
            reported += k;
            free(snap);
        }
        if (step % 4000 == 3999) printf("step %d: %d keys, depth %d, removed %d, reported %ld (hits %ld)\n", step + 1, tr->n, depth(tr->root), removed, reported, hits);
    }
    destroy(tr->root);
    free(tr);
    return 0;
}
