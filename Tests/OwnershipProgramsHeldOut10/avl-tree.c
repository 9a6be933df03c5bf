/* Word counter on an AVL tree. A boxed tree record owns the root node; each node owns
 * its two children and its key string. Inserts rebalance with single and double
 * rotations; removals of a node with two children take the in-order successor's key
 * (the removed node's own key is freed, the successor's key pointer moved up, the
 * successor node freed). Everything is freed at the end. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
    char *key;
    int count, height;
    struct node *left, *right;
};

struct tree {
    struct node *root;
    int size;
};

static unsigned long rng = 4242;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static int h(const struct node *n) { return n ? n->height : 0; }
static void fix(struct node *n) {
    int a = h(n->left), b = h(n->right);
    n->height = (a > b ? a : b) + 1;
}
static struct node *rot_right(struct node *n) {
    struct node *l = n->left;
    n->left = l->right;
    l->right = n;
    fix(n);
    fix(l);
    return l;
}
static struct node *rot_left(struct node *n) {
    struct node *r = n->right;
    n->right = r->left;
    r->left = n;
    fix(n);
    fix(r);
    return r;
}
static struct node *balance(struct node *n) {
    fix(n);
    int bf = h(n->left) - h(n->right);
    if (bf > 1) {
        if (h(n->left->left) < h(n->left->right)) n->left = rot_left(n->left);
        return rot_right(n);
    }
    if (bf < -1) {
        if (h(n->right->right) < h(n->right->left)) n->right = rot_right(n->right);
        return rot_left(n);
    }
    return n;
}

static struct node *insert(struct tree *t, struct node *n, const char *key) {
    if (n == NULL) {
        struct node *m = malloc(sizeof *m); // site: node
        m->key = strdup(key); // site: key
        m->count = 1;
        m->height = 1;
        m->left = m->right = NULL;
        t->size++;
        return m;
    }
    int c = strcmp(key, n->key);
    if (c == 0) {
        n->count++;
        return n;
    }
    if (c < 0)
        n->left = insert(t, n->left, key);
    else
        n->right = insert(t, n->right, key);
    return balance(n);
}

/* Unlinks the minimum of the subtree into *min; returns the new subtree. */
static struct node *take_min(struct node *n, struct node **min) {
    if (n->left == NULL) {
        *min = n;
        struct node *r = n->right;
        n->right = NULL;
        return r;
    }
    n->left = take_min(n->left, min);
    return balance(n);
}

static struct node *removek(struct tree *t, struct node *n, const char *key) {
    if (n == NULL) return NULL;
    int c = strcmp(key, n->key);
    if (c < 0) {
        n->left = removek(t, n->left, key);
    } else if (c > 0) {
        n->right = removek(t, n->right, key);
    } else {
        t->size--;
        if (n->left == NULL || n->right == NULL) {
            struct node *child = n->left ? n->left : n->right;
            free(n->key);
            free(n);
            return child;
        }
        struct node *succ;
        n->right = take_min(n->right, &succ);
        free(n->key);
        n->key = succ->key;
        n->count = succ->count;
        free(succ);
    }
    return balance(n);
}

static void destroy(struct node *n) {
    if (!n) return;
    destroy(n->left);
    destroy(n->right);
    free(n->key);
    free(n);
}

static long weigh(const struct node *n, int depth) {
    return n ? (long)n->count * depth + weigh(n->left, depth + 1) + weigh(n->right, depth + 1) : 0;
}

int main(void) {
    struct tree *t = calloc(1, sizeof *t); // site: tree
    char word[48];
    for (int step = 0; step < 8000; step++) {
        snprintf(word, sizeof word, "word-%04u-of-the-avl-counter", rnd() % 900);
        if (rnd() % 4 == 0)
            t->root = removek(t, t->root, word);
        else
            t->root = insert(t, t->root, word);
        if (step % 2000 == 1999)
            printf("step %d: %d words, height %d, weight %ld\n", step + 1, t->size, h(t->root), weigh(t->root, 1));
    }
    destroy(t->root);
    t->root = NULL;
    free(t);
    return 0;
}
