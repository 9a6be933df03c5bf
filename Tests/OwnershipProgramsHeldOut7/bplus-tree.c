/* An ordered key-value index as a B+ tree (order 8): inner nodes hold up to 8 separator
 * keys and 9 child pointers inline; leaves hold up to 8 keys and record pointers inline
 * and are chained left to right by `next` sibling pointers (the tree also points at the
 * first leaf). Records own a value string that updates extend by realloc. Inserts split
 * full leaves and inner nodes bottom-up (the root splits too, so the tree first holds a
 * leaf as its root and later an inner node). Deletes remove a record from its leaf (the
 * slot shifted and cleared before the record is freed); emptied leaves are kept. Range
 * scans walk the leaf chain. Teardown walks the tree depth first. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LMAX 8
#define IMAX 8

struct record {
    int key;
    size_t len;
    char *val;
};

struct node {
    int is_leaf;
    int n;
    int keys[IMAX];
    union {
        struct node *kids[IMAX + 1];  /* inner */
        struct {
            struct record *recs[LMAX]; /* leaf */
            struct node *next;
        } leaf;
    } u;
};

struct bptree {
    struct node *root;
    struct node *first_leaf;
    int height;
    long count;
};

static unsigned long rng = 12345;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static struct node *new_leaf(void) {
    struct node *l = calloc(1, sizeof *l); // site: leaf
    l->is_leaf = 1;
    return l;
}

static struct node *new_inner(void) {
    struct node *in = calloc(1, sizeof *in); // site: inner
    return in;
}

static struct record *new_record(int key) {
    struct record *r = malloc(sizeof *r); // site: record
    r->key = key;
    r->len = 12;
    r->val = malloc(r->len + 1); // site: rec_val
    snprintf(r->val, r->len + 1, "v%010d", key);
    return r;
}

static void extend_value(struct record *r, unsigned extra) {
    char *v = realloc(r->val, r->len + extra + 1); // site: rec_val_grown
    memset(v + r->len, 'a' + (int)(extra % 26), extra);
    r->len += extra;
    v[r->len] = 0;
    r->val = v;
}

/* Inserts key into the subtree; on a split returns the new right sibling and its
 * separator key through *sep. *found gets the existing record if the key is present. */
static struct node *insert_rec(struct node *nd, int key, int *sep, struct record **found) {
    if (nd->is_leaf) {
        int i = 0;
        while (i < nd->n && nd->keys[i] < key) i++;
        if (i < nd->n && nd->keys[i] == key) {
            *found = nd->u.leaf.recs[i];
            return NULL;
        }
        struct record *r = new_record(key);
        *found = NULL;
        if (nd->n < LMAX) {
            memmove(&nd->keys[i + 1], &nd->keys[i], (size_t)(nd->n - i) * sizeof(int));
            memmove(&nd->u.leaf.recs[i + 1], &nd->u.leaf.recs[i], (size_t)(nd->n - i) * sizeof(struct record *));
            nd->keys[i] = key;
            nd->u.leaf.recs[i] = r;
            nd->n++;
            return NULL;
        }
        int tk[LMAX + 1];
        struct record *tr[LMAX + 1];
        for (int j = 0, k = 0; j <= LMAX; j++) {
            if (j == i) {
                tk[j] = key;
                tr[j] = r;
            } else {
                tk[j] = nd->keys[k];
                tr[j] = nd->u.leaf.recs[k];
                k++;
            }
        }
        struct node *right = new_leaf();
        int half = (LMAX + 1) / 2;
        memset(nd->u.leaf.recs, 0, sizeof nd->u.leaf.recs);
        nd->n = half;
        for (int j = 0; j < half; j++) {
            nd->keys[j] = tk[j];
            nd->u.leaf.recs[j] = tr[j];
        }
        right->n = LMAX + 1 - half;
        for (int j = 0; j < right->n; j++) {
            right->keys[j] = tk[half + j];
            right->u.leaf.recs[j] = tr[half + j];
        }
        right->u.leaf.next = nd->u.leaf.next;
        nd->u.leaf.next = right;
        *sep = right->keys[0];
        return right;
    }
    int i = 0;
    while (i < nd->n && key >= nd->keys[i]) i++;
    int csep;
    struct node *split = insert_rec(nd->u.kids[i], key, &csep, found);
    if (!split) return NULL;
    if (nd->n < IMAX) {
        memmove(&nd->keys[i + 1], &nd->keys[i], (size_t)(nd->n - i) * sizeof(int));
        memmove(&nd->u.kids[i + 2], &nd->u.kids[i + 1], (size_t)(nd->n - i) * sizeof(struct node *));
        nd->keys[i] = csep;
        nd->u.kids[i + 1] = split;
        nd->n++;
        return NULL;
    }
    int tk[IMAX + 1];
    struct node *tc[IMAX + 2];
    tc[0] = nd->u.kids[0];
    for (int j = 0, k = 0; j <= IMAX; j++) {
        if (j == i) {
            tk[j] = csep;
            tc[j + 1] = split;
        } else {
            tk[j] = nd->keys[k];
            tc[j + 1] = nd->u.kids[k + 1];
            k++;
        }
    }
    struct node *right = new_inner();
    int half = (IMAX + 1) / 2; /* left keeps half keys, tk[half] moves up */
    memset(nd->u.kids, 0, sizeof nd->u.kids);
    nd->n = half;
    for (int j = 0; j < half; j++) nd->keys[j] = tk[j];
    for (int j = 0; j <= half; j++) nd->u.kids[j] = tc[j];
    right->n = IMAX - half;
    for (int j = 0; j < right->n; j++) right->keys[j] = tk[half + 1 + j];
    for (int j = 0; j <= right->n; j++) right->u.kids[j] = tc[half + 1 + j];
    *sep = tk[half];
    return right;
}

static void put(struct bptree *t, int key, unsigned extra) {
    int sep;
    struct record *found = NULL;
    struct node *split = insert_rec(t->root, key, &sep, &found);
    if (found) {
        extend_value(found, extra);
        return;
    }
    t->count++;
    if (split) {
        struct node *root = new_inner();
        root->n = 1;
        root->keys[0] = sep;
        root->u.kids[0] = t->root;
        root->u.kids[1] = split;
        t->root = root;
        t->height++;
    }
}

static struct node *find_leaf(struct bptree *t, int key) {
    struct node *nd = t->root;
    while (!nd->is_leaf) {
        int i = 0;
        while (i < nd->n && key >= nd->keys[i]) i++;
        nd = nd->u.kids[i];
    }
    return nd;
}

static int del(struct bptree *t, int key) {
    struct node *l = find_leaf(t, key);
    for (int i = 0; i < l->n; i++) {
        if (l->keys[i] != key) continue;
        struct record *r = l->u.leaf.recs[i];
        memmove(&l->keys[i], &l->keys[i + 1], (size_t)(l->n - i - 1) * sizeof(int));
        memmove(&l->u.leaf.recs[i], &l->u.leaf.recs[i + 1], (size_t)(l->n - i - 1) * sizeof(struct record *));
        l->n--;
        l->u.leaf.recs[l->n] = NULL;
        free(r->val);
        free(r);
        t->count--;
        return 1;
    }
    return 0;
}

static unsigned long range_sum(struct bptree *t, int lo, int hi) {
    unsigned long s = 0;
    for (struct node *l = find_leaf(t, lo); l; l = l->u.leaf.next)
        for (int i = 0; i < l->n; i++) {
            if (l->keys[i] >= hi) return s;
            if (l->keys[i] >= lo) s += (unsigned long)l->keys[i] + l->u.leaf.recs[i]->len + (unsigned char)l->u.leaf.recs[i]->val[l->u.leaf.recs[i]->len - 1];
        }
    return s;
}

static void destroy(struct node *nd) {
    if (nd->is_leaf) {
        for (int i = 0; i < nd->n; i++) {
            free(nd->u.leaf.recs[i]->val);
            free(nd->u.leaf.recs[i]);
        }
    } else {
        for (int i = 0; i <= nd->n; i++) destroy(nd->u.kids[i]);
    }
    free(nd);
}

int main(void) {
    struct bptree *t = malloc(sizeof *t); // site: bptree
    t->root = new_leaf();
    t->first_leaf = t->root;
    t->height = 1;
    t->count = 0;
    unsigned long sum = 0;
    int deleted = 0;
    for (int step = 0; step < 4000; step++) {
        unsigned op = rnd() % 10;
        int key = (int)(rnd() % 3000);
        if (op < 7) put(t, key, 8 + rnd() % 40);
        else if (op < 9) deleted += del(t, key);
        else sum += range_sum(t, key, key + 200);
    }
    sum += range_sum(t, 0, 1 << 30);
    printf("count=%ld height=%d deleted=%d sum=%lu\n", t->count, t->height, deleted, sum);
    destroy(t->root);
    free(t);
    return 0;
}
