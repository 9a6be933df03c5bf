/* Text document as a rope: a boxed document record owns the root; concatenation nodes
 * own their two children (and cache the left weight), leaves own a character chunk.
 * Inserting splits the rope at the position (a split leaf becomes two new leaves with
 * new chunks; concatenation nodes on the path are freed and rebuilt), then joins the
 * pieces with the new text's leaf. When the rope gets deeper than 10 it is rebalanced:
 * its leaves are collected into a temporary calloc'ed array (non-owning), the
 * concatenation nodes freed, and a balanced tree built over the same leaves. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rope { struct rope *left, *right; size_t weight, len; char *text; };
struct doc { struct rope *root; int rebalances; };

static struct rope *make_leaf(const char *s, size_t n) {
    struct rope *r = calloc(1, sizeof *r); // site: leaf
    r->text = malloc(n + 1); // site: chunk
    memcpy(r->text, s, n);
    r->text[n] = 0;
    r->len = r->weight = n;
    return r;
}

static size_t length(struct rope *r) { return !r ? 0 : r->text ? r->len : r->weight + length(r->right); }

static struct rope *concat(struct rope *a, struct rope *b) {
    if (!a) return b;
    if (!b) return a;
    struct rope *r = calloc(1, sizeof *r); // site: concat
    r->left = a;
    r->right = b;
    r->weight = length(a);
    return r;
}

static void split(struct rope *r, size_t pos, struct rope **l, struct rope **rr) {
    if (!r) { *l = *rr = NULL; return; }
    if (r->text) {
        if (pos == 0) { *l = NULL; *rr = r; return; }
        if (pos >= r->len) { *l = r; *rr = NULL; return; }
        *l = make_leaf(r->text, pos);
        *rr = make_leaf(r->text + pos, r->len - pos);
        free(r->text);
        free(r);
        return;
    }
    struct rope *a, *b;
    if (pos < r->weight) { split(r->left, pos, &a, &b); *l = a; *rr = concat(b, r->right); }
    else { split(r->right, pos - r->weight, &a, &b); *l = concat(r->left, a); *rr = b; }
    free(r);
}

static int depth(struct rope *r) {
    if (!r || r->text) return 0;
    int a = depth(r->left), b = depth(r->right);
    return 1 + (a > b ? a : b);
}

static void collect(struct rope *r, struct rope **out, int *n) {
    if (r->text) { out[(*n)++] = r; return; }
    collect(r->left, out, n);
    collect(r->right, out, n);
    free(r);
}

static int count_leaves(struct rope *r) { return r->text ? 1 : count_leaves(r->left) + count_leaves(r->right); }

static struct rope *build(struct rope **leaves, int lo, int hi) {
    if (hi - lo == 1) return leaves[lo];
    int mid = (lo + hi) / 2;
    return concat(build(leaves, lo, mid), build(leaves, mid, hi));
}

static void rebalance(struct doc *d) {
    int n = count_leaves(d->root), k = 0;
    struct rope **leaves = calloc(n, sizeof *leaves); // site: leaves_tmp
    collect(d->root, leaves, &k);
    d->root = build(leaves, 0, n);
    free(leaves);
    d->rebalances++;
}

static void insert(struct doc *d, size_t pos, const char *s) {
    struct rope *a, *b;
    split(d->root, pos, &a, &b);
    d->root = concat(concat(a, make_leaf(s, strlen(s))), b);
    if (depth(d->root) > 10) rebalance(d);
}

static void emit(struct rope *r, unsigned long *h) {
    if (r->text) { for (size_t i = 0; i < r->len; i++) *h = *h * 31 + (unsigned char)r->text[i]; return; }
    emit(r->left, h);
    emit(r->right, h);
}

static void destroy(struct rope *r) {
    if (!r) return;
    destroy(r->left);
    destroy(r->right);
    free(r->text);
    free(r);
}

int main(void) {
    struct doc *d = calloc(1, sizeof *d); // site: doc
    const char *first = "It was the best of times, it was the worst of times.";
    d->root = make_leaf(first, strlen(first));
    static const char *words[] = { "alpha ", "bravo ", "charlie ", "delta ", "echo ", "foxtrot " };
    for (int i = 0; i < 400; i++) {
        size_t len = length(d->root);
        insert(d, (size_t)(i * 7919) % (len + 1), words[i % 6]);
    }
    unsigned long h = 0;
    emit(d->root, &h);
    printf("length %zu, %d leaves, depth %d, %d rebalances, hash %lx\n", length(d->root), count_leaves(d->root), depth(d->root), d->rebalances, h);
    destroy(d->root);
    free(d);
    return 0;
}
