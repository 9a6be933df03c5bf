/* Phone directory on a scapegoat tree (Galperin and Rivest, alpha = 2/3): a boxed tree
 * record owns the root; nodes own their children and a name string. An insert that
 * lands too deep walks back up its path (kept in a fixed array on the stack) to the
 * first unbalanced ancestor and rebuilds that subtree perfectly balanced: its nodes are
 * flattened in order into a temporary malloc'ed array of node pointers and re-linked.
 * Deletions are ordinary BST deletions (two-child nodes take their successor's key and
 * name); when the tree falls below alpha times its size at the last full rebuild, the
 * whole tree is rebuilt. Everything left is freed at the end. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
    long key;
    struct node *left, *right;
    char *name;
};

struct tree {
    struct node *root;
    long n, maxn, rebuilds;
};

static unsigned long rng = 8086;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static long size(const struct node *x) { return x ? 1 + size(x->left) + size(x->right) : 0; }

static void flatten(struct node *x, struct node **out, long *i) {
    if (!x) return;
    flatten(x->left, out, i);
    out[(*i)++] = x;
    flatten(x->right, out, i);
}

static struct node *build(struct node **a, long lo, long hi) {
    if (lo >= hi) return NULL;
    long mid = lo + (hi - lo) / 2;
    struct node *x = a[mid];
    x->left = build(a, lo, mid);
    x->right = build(a, mid + 1, hi);
    return x;
}

static struct node *rebuild(struct tree *t, struct node *x, long n) {
    struct node **flat = malloc((size_t)n * sizeof *flat); // site: flat
    long i = 0;
    flatten(x, flat, &i);
    struct node *r = build(flat, 0, n);
    free(flat);
    t->rebuilds++;
    return r;
}

static int depth_limit(long n) {
    int d = 0;
    double lim = 1;
    while (lim < (double)n) {
        lim *= 1.5;
        d++;
    }
    return d;
}

static void insert(struct tree *t, long key, const char *name) {
    struct node *path[128];
    int d = 0;
    struct node **link = &t->root;
    while (*link) {
        path[d++] = *link;
        if (key == (*link)->key) return;
        link = key < (*link)->key ? &(*link)->left : &(*link)->right;
    }
    struct node *x = malloc(sizeof *x); // site: node
    x->key = key;
    x->left = x->right = NULL;
    x->name = strdup(name); // site: name
    *link = x;
    t->n++;
    if (t->n > t->maxn) t->maxn = t->n;
    if (d <= depth_limit(t->n)) return;
    long child_size = 1;
    struct node *child = x;
    for (int i = d - 1; i >= 0; i--) {
        struct node *p = path[i];
        long sib = size(p->left == child ? p->right : p->left);
        long total = child_size + sib + 1;
        if (3 * child_size > 2 * total) {
            struct node *r = rebuild(t, p, total);
            if (i == 0)
                t->root = r;
            else if (path[i - 1]->left == p)
                path[i - 1]->left = r;
            else
                path[i - 1]->right = r;
            return;
        }
        child_size = total;
        child = p;
    }
}

static int erase(struct tree *t, long key) {
    struct node **link = &t->root;
    while (*link && (*link)->key != key) link = key < (*link)->key ? &(*link)->left : &(*link)->right;
    struct node *x = *link;
    if (!x) return 0;
    if (x->left && x->right) {
        struct node **s = &x->right;
        while ((*s)->left) s = &(*s)->left;
        struct node *y = *s;
        *s = y->right;
        free(x->name);
        x->name = y->name;
        x->key = y->key;
        free(y);
    } else {
        *link = x->left ? x->left : x->right;
        free(x->name);
        free(x);
    }
    t->n--;
    if (t->n > 0 && 3 * t->n < 2 * t->maxn) {
        t->root = rebuild(t, t->root, t->n);
        t->maxn = t->n;
    }
    return 1;
}

static int height(const struct node *x) {
    if (!x) return 0;
    int l = height(x->left), r = height(x->right);
    return 1 + (l > r ? l : r);
}

static void free_tree(struct node *x) {
    if (!x) return;
    free_tree(x->left);
    free_tree(x->right);
    free(x->name);
    free(x);
}

int main(void) {
    struct tree *t = calloc(1, sizeof *t); // site: tree
    char name[48];
    long gone = 0;
    for (int step = 0; step < 16000; step++) {
        unsigned r = rnd();
        long key = step < 6000 ? step * 7 % 6000 : (long)(r % 9000);
        if (step >= 6000 && (r % 3 == 0 || (step >= 9000 && step < 14000))) {
            gone += erase(t, key);
        } else {
            snprintf(name, sizeof name, "subscriber %05ld, line %u", key, r % 4 + 1);
            insert(t, key, name);
        }
        if (step % 4000 == 3999) printf("step %d: %ld entries, height %d, %ld rebuilds, %ld erased\n", step + 1, t->n, height(t->root), t->rebuilds, gone);
    }
    free_tree(t->root);
    free(t);
    return 0;
}
