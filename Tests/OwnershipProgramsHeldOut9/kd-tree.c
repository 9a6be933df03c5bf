/* Two-dimensional k-d tree of named points. Each of four rounds builds a tree in a
 * boxed tree record by inserting points (nodes own their two subtrees and their label);
 * range queries collect pointers to the matching nodes into a result array allocated
 * per query (and freed after it is summed); nearest-neighbour queries walk the tree.
 * At the end of a round the whole tree is freed. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kdnode {
    int x, y;
    char *label;
    struct kdnode *lo, *hi;
};

struct kdtree {
    struct kdnode *root;
    int n;
};

static unsigned long rng = 5150;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static void insert(struct kdtree *t, int x, int y, int id) {
    struct kdnode **pp = &t->root;
    int depth = 0;
    while (*pp) {
        struct kdnode *c = *pp;
        int goes_lo = (depth % 2 == 0) ? x < c->x : y < c->y;
        pp = goes_lo ? &c->lo : &c->hi;
        depth++;
    }
    struct kdnode *n = malloc(sizeof *n); // site: kdnode
    char buf[48];
    snprintf(buf, sizeof buf, "point-%04d-at-%d-%d", id, x, y);
    n->label = strdup(buf); // site: plabel
    n->x = x;
    n->y = y;
    n->lo = n->hi = NULL;
    *pp = n;
    t->n++;
}

static void range(struct kdnode *n, int depth, int x0, int y0, int x1, int y1,
                  struct kdnode **out, int *count) {
    if (!n) return;
    if (n->x >= x0 && n->x <= x1 && n->y >= y0 && n->y <= y1) out[(*count)++] = n;
    int v = depth % 2 == 0 ? n->x : n->y;
    int lo = depth % 2 == 0 ? x0 : y0, hi = depth % 2 == 0 ? x1 : y1;
    if (lo < v) range(n->lo, depth + 1, x0, y0, x1, y1, out, count);
    if (hi >= v) range(n->hi, depth + 1, x0, y0, x1, y1, out, count);
}

static void nearest(struct kdnode *n, int depth, int x, int y, struct kdnode **best,
                    long *bd) {
    if (!n) return;
    long dx = n->x - x, dy = n->y - y, d = dx * dx + dy * dy;
    if (d < *bd) {
        *bd = d;
        *best = n;
    }
    long diff = depth % 2 == 0 ? x - n->x : y - n->y;
    struct kdnode *first = diff < 0 ? n->lo : n->hi, *second = diff < 0 ? n->hi : n->lo;
    nearest(first, depth + 1, x, y, best, bd);
    if (diff * diff < *bd) nearest(second, depth + 1, x, y, best, bd);
}

static void destroy(struct kdnode *n) {
    if (!n) return;
    destroy(n->lo);
    destroy(n->hi);
    free(n->label);
    free(n);
}

int main(void) {
    struct kdtree *t = malloc(sizeof *t); // site: kdtree
    for (int round = 0; round < 4; round++) {
        t->root = NULL;
        t->n = 0;
        int npts = 800 + round * 300;
        for (int i = 0; i < npts; i++) insert(t, (int)(rnd() % 1000), (int)(rnd() % 1000), i);
        long rsum = 0, nsum = 0;
        for (int q = 0; q < 60; q++) {
            int x0 = (int)(rnd() % 900), y0 = (int)(rnd() % 900);
            struct kdnode **hits = malloc((size_t)t->n * sizeof *hits); // site: hits
            int count = 0;
            range(t->root, 0, x0, y0, x0 + 100, y0 + 100, hits, &count);
            for (int i = 0; i < count; i++) rsum += (long)strlen(hits[i]->label) + hits[i]->x;
            free(hits);
            struct kdnode *best = NULL;
            long bd = 1L << 40;
            nearest(t->root, 0, (int)(rnd() % 1000), (int)(rnd() % 1000), &best, &bd);
            nsum += bd + best->y;
        }
        printf("round %d: %d points, range sum %ld, nearest sum %ld\n", round, t->n, rsum,
               nsum);
        destroy(t->root);
        t->root = NULL;
    }
    free(t);
    return 0;
}
