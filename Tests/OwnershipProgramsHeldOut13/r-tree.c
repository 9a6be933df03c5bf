/* Map features in an R-tree (Guttman, at most 4 entries a node, splits by sorting the
 * five entries on their centres). A boxed tree record holds the root node; internal
 * nodes hold their child nodes, leaves the features; each feature owns its name. A
 * calloc'ed lookup array indexes the live features by id (non-owning: cleared before a
 * feature is deleted). Deletion removes the leaf entry, frees emptied nodes and
 * collapses a root with one child; at the end all features but those whose box starts
 * left of x = 100 are deleted. Window queries count features. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define M 4
#define NIDS 1500

struct rect { int x0, y0, x1, y1; };
struct feature { struct rect r; int id; char *name; };
struct node { int leaf, n; struct rect box[M + 1]; void *child[M + 1]; };
struct rtree { struct node *root; int height, count; };

static unsigned long seed = 2026;
static unsigned rnd(void) { seed = seed * 6364136223846793005UL + 1442695040888963407UL; return (unsigned)(seed >> 33); }

static struct node *new_node(int leaf) {
    struct node *n = calloc(1, sizeof *n); // site: node
    n->leaf = leaf;
    return n;
}
static struct rect join(struct rect a, struct rect b) {
    if (b.x0 < a.x0) a.x0 = b.x0;
    if (b.y0 < a.y0) a.y0 = b.y0;
    if (b.x1 > a.x1) a.x1 = b.x1;
    if (b.y1 > a.y1) a.y1 = b.y1;
    return a;
}
static long area(struct rect r) { return (long)(r.x1 - r.x0) * (r.y1 - r.y0); }
static int contains(struct rect a, struct rect b) { return a.x0 <= b.x0 && a.y0 <= b.y0 && a.x1 >= b.x1 && a.y1 >= b.y1; }
static int overlaps(struct rect a, struct rect b) { return a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1; }
static struct rect cover(const struct node *n) {
    struct rect r = n->box[0];
    for (int i = 1; i < n->n; i++) r = join(r, n->box[i]);
    return r;
}
static void drop_entry(struct node *n, int i) {
    n->n--;
    n->box[i] = n->box[n->n];
    n->child[i] = n->child[n->n];
    n->child[n->n] = NULL;
    memset(&n->box[n->n], 0, sizeof n->box[0]);
}
static struct node *split(struct node *n) {
    for (int i = 1; i <= M; i++)
        for (int j = i; j > 0 && n->box[j].x0 + n->box[j].x1 < n->box[j - 1].x0 + n->box[j - 1].x1; j--) {
            struct rect r = n->box[j]; n->box[j] = n->box[j - 1]; n->box[j - 1] = r;
            void *c = n->child[j]; n->child[j] = n->child[j - 1]; n->child[j - 1] = c;
        }
    struct node *s = new_node(n->leaf);
    for (int i = 2; i <= M; i++) {
        s->box[s->n] = n->box[i];
        s->child[s->n++] = n->child[i];
        n->child[i] = NULL;
        memset(&n->box[i], 0, sizeof n->box[0]);
    }
    n->n = 2;
    return s;
}
static struct node *insert_at(struct node *n, struct rect r, void *item) {
    if (n->leaf) {
        n->box[n->n] = r;
        n->child[n->n++] = item;
    } else {
        int best = 0;
        long bestgrow = -1;
        for (int i = 0; i < n->n; i++) {
            long g = area(join(n->box[i], r)) - area(n->box[i]);
            if (bestgrow < 0 || g < bestgrow) { best = i; bestgrow = g; }
        }
        struct node *c = n->child[best];
        struct node *s = insert_at(c, r, item);
        n->box[best] = cover(c);
        if (s) { n->box[n->n] = cover(s); n->child[n->n++] = s; }
    }
    return n->n > M ? split(n) : NULL;
}
static void insert(struct rtree *t, struct feature *f) {
    struct node *s = insert_at(t->root, f->r, f);
    if (s) {
        struct node *root = new_node(0);
        root->box[0] = cover(t->root); root->child[0] = t->root;
        root->box[1] = cover(s); root->child[1] = s;
        root->n = 2;
        t->root = root;
        t->height++;
    }
    t->count++;
}
static int remove_at(struct node *n, struct feature *f) {
    for (int i = 0; i < n->n; i++) {
        if (!contains(n->box[i], f->r)) continue;
        if (n->leaf) {
            if (n->child[i] != f) continue;
            drop_entry(n, i);
            return 1;
        }
        struct node *c = n->child[i];
        if (remove_at(c, f)) {
            if (c->n == 0) { drop_entry(n, i); free(c); }
            else n->box[i] = cover(c);
            return 1;
        }
    }
    return 0;
}
static void collapse(struct rtree *t) {
    while (!t->root->leaf && t->root->n == 1) {
        struct node *old = t->root;
        t->root = old->child[0];
        free(old);
        t->height--;
    }
}
static long query(const struct node *n, struct rect w) {
    long hits = 0;
    for (int i = 0; i < n->n; i++) {
        if (!overlaps(n->box[i], w)) continue;
        if (n->leaf) hits += ((const struct feature *)n->child[i])->id % 7 + 1;
        else hits += query(n->child[i], w);
    }
    return hits;
}
static void destroy(struct node *n) {
    for (int i = 0; i < n->n; i++) {
        if (n->leaf) {
            struct feature *f = n->child[i];
            free(f->name);
            free(f);
        } else destroy(n->child[i]);
    }
    free(n);
}

int main(void) {
    struct rtree *t = calloc(1, sizeof *t); // site: tree
    t->root = new_node(1);
    struct feature **lookup = calloc(NIDS, sizeof *lookup); // site: lookup
    long checksum = 0;
    int removed = 0;
    for (int step = 0; step < 3000; step++) {
        int id = (int)(rnd() % NIDS);
        if (!lookup[id]) {
            struct feature *f = malloc(sizeof *f); // site: feature
            f->id = id;
            f->r.x0 = (int)(rnd() % 1000); f->r.y0 = (int)(rnd() % 1000);
            f->r.x1 = f->r.x0 + 1 + (int)(rnd() % 30); f->r.y1 = f->r.y0 + 1 + (int)(rnd() % 30);
            char buf[64];
            snprintf(buf, sizeof buf, "%s-%d@%d,%d", id % 3 ? "road" : "lake", id, f->r.x0, f->r.y0);
            f->name = strdup(buf); // site: fname
            insert(t, f);
            lookup[id] = f;
        } else if (rnd() % 3) {
            struct feature *f = lookup[id];
            lookup[id] = NULL;
            if (!remove_at(t->root, f)) { fprintf(stderr, "lost feature %d\n", id); return 1; }
            t->count--;
            removed++;
            collapse(t);
            checksum += (long)strlen(f->name);
            free(f->name);
            free(f);
        }
        if (step % 100 == 99) {
            struct rect w = { (int)(rnd() % 800), (int)(rnd() % 800), 0, 0 };
            w.x1 = w.x0 + 200; w.y1 = w.y0 + 200;
            checksum += query(t->root, w);
        }
    }
    for (int id = 0; id < NIDS; id++) {
        struct feature *f = lookup[id];
        if (!f || f->r.x0 < 100) continue;
        lookup[id] = NULL;
        if (!remove_at(t->root, f)) { fprintf(stderr, "lost feature %d\n", id); return 1; }
        t->count--;
        removed++;
        collapse(t);
        free(f->name);
        free(f);
    }
    printf("features %d, removed %d, height %d, checksum %ld\n", t->count, removed, t->height, checksum);
    destroy(t->root);
    free(lookup);
    free(t);
    return 0;
}
