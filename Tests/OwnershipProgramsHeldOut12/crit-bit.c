/* Host-name set on a crit-bit tree (djb / Langley): a boxed tree record holds the root;
 * leaves are the strdup'ed strings themselves, internal nodes record the critical byte
 * and bit mask and hold two children. As in the original code, a pointer to an internal
 * node is tagged by adding 1 (so it points one byte inside the node); an untagged child
 * is a leaf string. Inserts, deletions (the leaf and its parent node are freed, the
 * sibling moves up) and prefix counts. Everything left is freed at the end. No scan. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct inode {
    void *child[2];
    uint32_t byte;
    uint8_t otherbits;
};

struct cbt {
    void *root;
    size_t n;
};

static unsigned long rng = 424242;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static int is_inode(const void *p) { return (int)(1 & (uintptr_t)p); }
static struct inode *untag(void *p) { return (struct inode *)((uint8_t *)p - 1); }

static int dir_of(const struct inode *q, const uint8_t *u, size_t ulen) {
    uint8_t c = q->byte < ulen ? u[q->byte] : 0;
    return (1 + (q->otherbits | c)) >> 8;
}

static int contains(const struct cbt *t, const char *u) {
    void *p = t->root;
    size_t ulen = strlen(u);
    if (!p) return 0;
    while (is_inode(p)) p = untag(p)->child[dir_of(untag(p), (const uint8_t *)u, ulen)];
    return strcmp(u, (const char *)p) == 0;
}

static int insert(struct cbt *t, const char *u) {
    const uint8_t *ubytes = (const uint8_t *)u;
    size_t ulen = strlen(u);
    if (!t->root) {
        t->root = strdup(u); // site: leaf_first
        t->n++;
        return 1;
    }
    uint8_t *p = t->root;
    while (is_inode(p)) p = untag(p)->child[dir_of(untag(p), ubytes, ulen)];
    uint32_t newbyte;
    uint32_t newotherbits;
    for (newbyte = 0; newbyte < ulen; ++newbyte)
        if (p[newbyte] != ubytes[newbyte]) {
            newotherbits = p[newbyte] ^ ubytes[newbyte];
            goto different;
        }
    if (p[newbyte] != 0) {
        newotherbits = p[newbyte];
        goto different;
    }
    return 0;
different:
    newotherbits |= newotherbits >> 1;
    newotherbits |= newotherbits >> 2;
    newotherbits |= newotherbits >> 4;
    newotherbits = (newotherbits & ~(newotherbits >> 1)) ^ 255;
    uint8_t c = p[newbyte];
    int newdirection = (1 + (newotherbits | c)) >> 8;
    struct inode *nn = malloc(sizeof *nn); // site: inode
    char *x = strdup(u); // site: leaf
    nn->byte = newbyte;
    nn->otherbits = (uint8_t)newotherbits;
    nn->child[1 - newdirection] = x;
    void **wherep = &t->root;
    for (;;) {
        uint8_t *w = *wherep;
        if (!is_inode(w)) break;
        struct inode *q = untag(w);
        if (q->byte > newbyte) break;
        if (q->byte == newbyte && q->otherbits > newotherbits) break;
        wherep = q->child + dir_of(q, ubytes, ulen);
    }
    nn->child[newdirection] = *wherep;
    *wherep = (uint8_t *)nn + 1;
    t->n++;
    return 1;
}

static int erase(struct cbt *t, const char *u) {
    const uint8_t *ubytes = (const uint8_t *)u;
    size_t ulen = strlen(u);
    uint8_t *p = t->root;
    void **wherep = &t->root, **whereq = NULL;
    struct inode *q = NULL;
    int direction = 0;
    if (!p) return 0;
    while (is_inode(p)) {
        whereq = wherep;
        q = untag(p);
        direction = dir_of(q, ubytes, ulen);
        wherep = q->child + direction;
        p = *wherep;
    }
    if (strcmp(u, (const char *)p) != 0) return 0;
    free(p);
    t->n--;
    if (!whereq) {
        t->root = NULL;
        return 1;
    }
    *whereq = q->child[1 - direction];
    free(q);
    return 1;
}

static long count_prefix_walk(void *p) {
    if (!is_inode(p)) return 1;
    struct inode *q = untag(p);
    return count_prefix_walk(q->child[0]) + count_prefix_walk(q->child[1]);
}

static long count_prefix(const struct cbt *t, const char *prefix) {
    const uint8_t *ubytes = (const uint8_t *)prefix;
    size_t ulen = strlen(prefix);
    uint8_t *p = t->root, *top = p;
    if (!p) return 0;
    while (is_inode(p)) {
        struct inode *q = untag(p);
        p = q->child[dir_of(q, ubytes, ulen)];
        if (q->byte < ulen) top = p;
    }
    if (strncmp((const char *)p, prefix, ulen) != 0) return 0;
    return count_prefix_walk(top);
}

static void free_all(void *p) {
    if (is_inode(p)) {
        struct inode *q = untag(p);
        free_all(q->child[0]);
        free_all(q->child[1]);
        free(q);
    } else {
        free(p);
    }
}

int main(void) {
    static const char *zones[] = {"eu-west", "eu-north", "us-east", "us-west", "ap-south"};
    struct cbt *t = malloc(sizeof *t); // site: tree
    t->root = NULL;
    t->n = 0;
    char name[64];
    long added = 0, removed = 0, hits = 0;
    for (int step = 0; step < 12000; step++) {
        unsigned r = rnd();
        snprintf(name, sizeof name, "node-%04u.%s.cluster.internal", (r >> 4) % 900, zones[(r >> 20) % 5]);
        if (r % 5 == 0)
            removed += erase(t, name);
        else if (r % 5 == 1)
            hits += contains(t, name);
        else
            added += insert(t, name);
        if (step % 4000 == 3999) printf("step %d: %zu names, %ld added, %ld removed, %ld hits, %ld under node-01, %ld under node-08\n", step + 1, t->n, added, removed, hits, count_prefix(t, "node-01"), count_prefix(t, "node-08"));
    }
    if (t->root) free_all(t->root);
    free(t);
    return 0;
}
