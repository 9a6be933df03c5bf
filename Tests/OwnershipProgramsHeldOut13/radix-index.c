/* Inode cache on a fixed-fanout radix tree (16 slots a node, 4 bits a level, like the
 * kernel's radix tree / xarray). A boxed tree record holds the root; the tree grows by
 * putting a new root above the old one when a larger inode number arrives and shrinks
 * when the root keeps only its first slot. Interior nodes hold child nodes; nodes of
 * the last level hold inode records, each owning its path. Every node points back to
 * its parent and remembers its slot there; emptied nodes are freed upwards. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAN 16

struct inode { unsigned long ino; long size; char *path; };
struct rnode { struct rnode *parent; int offset, count, shift; void *slot[FAN]; };
struct rtree { struct rnode *root; long items, nodes; };

static unsigned long seed = 77;
static unsigned rnd(void) { seed = seed * 6364136223846793005UL + 1442695040888963407UL; return (unsigned)(seed >> 33); }

static struct rnode *new_node(struct rnode *parent, int offset, int shift) {
    struct rnode *n = calloc(1, sizeof *n); // site: node
    n->parent = parent;
    n->offset = offset;
    n->shift = shift;
    return n;
}
static unsigned long span(const struct rnode *n) { return 1UL << (n->shift + 4); }

static int insert(struct rtree *t, struct inode *item) {
    unsigned long key = item->ino;
    if (!t->root) { t->root = new_node(NULL, 0, 0); t->nodes++; }
    while (key >= span(t->root)) {
        struct rnode *old = t->root;
        struct rnode *top = new_node(NULL, 0, old->shift + 4);
        t->nodes++;
        top->slot[0] = old;
        top->count = 1;
        old->parent = top;
        old->offset = 0;
        t->root = top;
    }
    struct rnode *n = t->root;
    while (n->shift > 0) {
        int i = (int)((key >> n->shift) & (FAN - 1));
        if (!n->slot[i]) {
            n->slot[i] = new_node(n, i, n->shift - 4);
            n->count++;
            t->nodes++;
        }
        n = n->slot[i];
    }
    int i = (int)(key & (FAN - 1));
    if (n->slot[i]) return 0;
    n->slot[i] = item;
    n->count++;
    t->items++;
    return 1;
}
static struct rnode *leaf_of(struct rtree *t, unsigned long key) {
    struct rnode *n = t->root;
    if (!n || key >= span(n)) return NULL;
    while (n && n->shift > 0) n = n->slot[(key >> n->shift) & (FAN - 1)];
    return n;
}
static struct inode *lookup(struct rtree *t, unsigned long key) {
    struct rnode *n = leaf_of(t, key);
    return n ? n->slot[key & (FAN - 1)] : NULL;
}
static void erase(struct rtree *t, unsigned long key) {
    struct rnode *n = leaf_of(t, key);
    if (!n || !n->slot[key & (FAN - 1)]) return;
    struct inode *item = n->slot[key & (FAN - 1)];
    n->slot[key & (FAN - 1)] = NULL;
    n->count--;
    t->items--;
    free(item->path);
    free(item);
    while (n && n->count == 0) {
        struct rnode *p = n->parent;
        if (p) { p->slot[n->offset] = NULL; p->count--; }
        else t->root = NULL;
        free(n);
        t->nodes--;
        n = p;
    }
    while (t->root && t->root->shift > 0 && t->root->count == 1 && t->root->slot[0]) {
        struct rnode *old = t->root;
        t->root = old->slot[0];
        t->root->parent = NULL;
        free(old);
        t->nodes--;
    }
}
static void destroy(struct rnode *n) {
    for (int i = 0; i < FAN; i++) {
        if (!n->slot[i]) continue;
        if (n->shift > 0) destroy(n->slot[i]);
        else {
            struct inode *item = n->slot[i];
            free(item->path);
            free(item);
        }
    }
    free(n);
}

int main(void) {
    struct rtree *t = calloc(1, sizeof *t); // site: tree
    long hits = 0, sizes = 0;
    int maxshift = 0;
    for (int step = 0; step < 6000; step++) {
        if (step == 4000)
            for (unsigned long ino = 4096; ino < (1UL << 18); ino++) erase(t, ino);
        unsigned long range = step < 2000 ? 512 : step < 4000 ? (1UL << 18) : 4096;
        unsigned long ino = rnd() % range;
        unsigned op = rnd() % 10;
        if (op < 5) {
            if (lookup(t, ino)) continue;
            struct inode *item = malloc(sizeof *item); // site: inode
            item->ino = ino;
            item->size = (long)(rnd() % 100000);
            char buf[80];
            snprintf(buf, sizeof buf, "/srv/data/%lu/%lu/file-%lu.dat", ino % 7, ino % 131, ino);
            item->path = strdup(buf); // site: path
            insert(t, item);
        } else if (op < 8 || step >= 4000) {
            erase(t, ino);
        } else {
            struct inode *item = lookup(t, ino);
            if (item) { hits++; sizes += item->size + (long)strlen(item->path); }
        }
        if (t->root && t->root->shift > maxshift) maxshift = t->root->shift;
    }
    printf("items %ld, nodes %ld, root shift %d (max %d), hits %ld, sizes %ld\n", t->items, t->nodes,
           t->root ? t->root->shift : -1, maxshift, hits, sizes);
    if (t->root) destroy(t->root);
    free(t);
    return 0;
}
