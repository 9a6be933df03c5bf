/* Symbol treap: a binary search tree by key that is also a heap by random priority.
 * A boxed treap record owns the root node; each node owns its two children and its
 * name string. Inserts rotate the new node up; deletes rotate the doomed node down to a
 * leaf and unlink it from its parent's slot before freeing it (name first). Some
 * lookups rename a node (the old name freed, a new one made). Everything is freed at
 * the end. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tnode {
    int key;
    unsigned prio;
    char *name;
    struct tnode *left, *right;
};

struct treap {
    struct tnode *root;
    int count;
    long renames;
};

static unsigned long rng = 4242;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static struct tnode *rot_right(struct tnode *n) {
    struct tnode *l = n->left;
    n->left = l->right;
    l->right = n;
    return l;
}

static struct tnode *rot_left(struct tnode *n) {
    struct tnode *r = n->right;
    n->right = r->left;
    r->left = n;
    return r;
}

static struct tnode *make_node(int key) {
    struct tnode *n = malloc(sizeof *n); // site: tnode
    char buf[48];
    snprintf(buf, sizeof buf, "symbol-%05d-of-the-treap", key);
    n->name = strdup(buf); // site: name
    n->key = key;
    n->prio = rnd();
    n->left = n->right = NULL;
    return n;
}

static struct tnode *insert(struct tnode *n, int key, int *added) {
    if (!n) {
        *added = 1;
        return make_node(key);
    }
    if (key < n->key) {
        n->left = insert(n->left, key, added);
        if (n->left->prio > n->prio) n = rot_right(n);
    } else if (key > n->key) {
        n->right = insert(n->right, key, added);
        if (n->right->prio > n->prio) n = rot_left(n);
    }
    return n;
}

static struct tnode *erase(struct tnode *n, int key, int *removed) {
    if (!n) return NULL;
    if (key < n->key) {
        n->left = erase(n->left, key, removed);
    } else if (key > n->key) {
        n->right = erase(n->right, key, removed);
    } else if (!n->left && !n->right) {
        free(n->name);
        n->name = NULL;
        free(n);
        *removed = 1;
        return NULL;
    } else if (!n->right || (n->left && n->left->prio > n->right->prio)) {
        n = rot_right(n);
        n->right = erase(n->right, key, removed);
    } else {
        n = rot_left(n);
        n->left = erase(n->left, key, removed);
    }
    return n;
}

static struct tnode *find(struct tnode *n, int key) {
    while (n && n->key != key) n = key < n->key ? n->left : n->right;
    return n;
}

static void rename_node(struct treap *t, struct tnode *n) {
    char buf[64];
    snprintf(buf, sizeof buf, "renamed-%05d-after-%ld-renames", n->key, t->renames);
    free(n->name);
    n->name = strdup(buf); // site: rename
    t->renames++;
}

static int depth(const struct tnode *n) {
    if (!n) return 0;
    int a = depth(n->left), b = depth(n->right);
    return 1 + (a > b ? a : b);
}

static unsigned long checksum(const struct tnode *n) {
    if (!n) return 0;
    unsigned long h = (unsigned long)n->key * 31u + strlen(n->name);
    return h + 7 * checksum(n->left) + 13 * checksum(n->right);
}

static void destroy(struct tnode *n) {
    if (!n) return;
    destroy(n->left);
    destroy(n->right);
    free(n->name);
    free(n);
}

int main(void) {
    struct treap *t = malloc(sizeof *t); // site: treap
    t->root = NULL;
    t->count = 0;
    t->renames = 0;
    for (int step = 0; step < 6000; step++) {
        int key = (int)(rnd() % 1500);
        unsigned op = rnd() % 10;
        if (op < 5) {
            int added = 0;
            t->root = insert(t->root, key, &added);
            t->count += added;
        } else if (op < 8) {
            int removed = 0;
            t->root = erase(t->root, key, &removed);
            t->count -= removed;
        } else {
            struct tnode *n = find(t->root, key);
            if (n) rename_node(t, n);
        }
        if (step % 1000 == 999)
            printf("step %d: %d nodes, depth %d, checksum %lu\n", step + 1, t->count,
                   depth(t->root), checksum(t->root) % 1000003);
    }
    printf("renames %ld\n", t->renames);
    destroy(t->root);
    t->root = NULL;
    free(t);
    return 0;
}
