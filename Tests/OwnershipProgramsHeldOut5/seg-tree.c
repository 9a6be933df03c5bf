/* A room-booking calendar indexed by a segment tree over 1024 time slots: each booking
 * [lo, hi) is stored, as a pointer, in the O(log n) tree nodes of its canonical cover
 * (nodes whose whole range the booking spans and whose parent's range it does not);
 * stabbing queries ("who has the room at slot t?") walk one root-to-leaf path and
 * collect the cover lists on it into a scratch array, cleared after each query. Tree
 * nodes are created on demand and pruned when they end up with an empty cover list and
 * no children. A node's cover list is an array grown with realloc. The calendar owns the
 * bookings through a dense array (grown with realloc; cancelling swaps the last booking
 * into the hole and clears the vacated slot); a booking owns its holder's name. Bookings
 * are made, moved and cancelled; the tree is freed, then the bookings. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 1024

struct booking {
    long id;
    int lo, hi;
    char *who;
};

struct segnode {
    struct segnode *left, *right;
    struct booking **cover;
    size_t ncover, cap;
};

struct calendar {
    struct segnode *root;
    struct booking **all;
    size_t nall, allcap;
    long nodes, pruned;
};

static struct segnode *node_new(struct calendar *cal) {
    cal->nodes++;
    return calloc(1, sizeof(struct segnode)); // site: segnode
}

static void cover_add(struct segnode *n, struct booking *b) {
    if (n->ncover == n->cap) {
        n->cap = n->cap ? n->cap * 2 : 2;
        if (!n->cover) n->cover = malloc(n->cap * sizeof *n->cover); // site: cover
        else n->cover = realloc(n->cover, n->cap * sizeof *n->cover); // site: cover_grown
    }
    n->cover[n->ncover++] = b;
}

static void cover_remove(struct segnode *n, const struct booking *b) {
    for (size_t i = 0; i < n->ncover; i++)
        if (n->cover[i] == b) {
            n->cover[i] = n->cover[--n->ncover];
            n->cover[n->ncover] = NULL;
            return;
        }
}

static void tree_insert(struct calendar *cal, struct segnode *n, int nlo, int nhi, struct booking *b) {
    if (b->lo <= nlo && nhi <= b->hi) {
        cover_add(n, b);
        return;
    }
    int mid = (nlo + nhi) / 2;
    if (b->lo < mid) {
        if (!n->left) n->left = node_new(cal);
        tree_insert(cal, n->left, nlo, mid, b);
    }
    if (b->hi > mid) {
        if (!n->right) n->right = node_new(cal);
        tree_insert(cal, n->right, mid, nhi, b);
    }
}

static int node_empty(const struct segnode *n) { return n->ncover == 0 && !n->left && !n->right; }

static void node_free(struct calendar *cal, struct segnode *n) {
    free(n->cover);
    free(n);
    cal->pruned++;
}

static void tree_remove(struct calendar *cal, struct segnode *n, int nlo, int nhi, const struct booking *b) {
    if (b->lo <= nlo && nhi <= b->hi) {
        cover_remove(n, b);
        return;
    }
    int mid = (nlo + nhi) / 2;
    if (b->lo < mid && n->left) {
        tree_remove(cal, n->left, nlo, mid, b);
        if (node_empty(n->left)) {
            node_free(cal, n->left);
            n->left = NULL;
        }
    }
    if (b->hi > mid && n->right) {
        tree_remove(cal, n->right, mid, nhi, b);
        if (node_empty(n->right)) {
            node_free(cal, n->right);
            n->right = NULL;
        }
    }
}

static size_t stab(const struct calendar *cal, int t, struct booking **hits, size_t max) {
    size_t n = 0;
    int lo = 0, hi = SLOTS;
    for (const struct segnode *node = cal->root; node;) {
        for (size_t i = 0; i < node->ncover && n < max; i++) hits[n++] = node->cover[i];
        int mid = (lo + hi) / 2;
        if (t < mid) {
            node = node->left;
            hi = mid;
        } else {
            node = node->right;
            lo = mid;
        }
    }
    return n;
}

static void tree_free(struct calendar *cal, struct segnode *n) {
    if (!n) return;
    tree_free(cal, n->left);
    tree_free(cal, n->right);
    node_free(cal, n);
}

static void book(struct calendar *cal, long id, int lo, int hi) {
    struct booking *b = malloc(sizeof *b); // site: booking
    b->id = id;
    b->lo = lo;
    b->hi = hi;
    b->who = malloc(32); // site: who
    snprintf(b->who, 32, "team-%ld@example.org", id % 37);
    if (cal->nall == cal->allcap) {
        cal->allcap *= 2;
        cal->all = realloc(cal->all, cal->allcap * sizeof *cal->all); // site: all_grown
    }
    cal->all[cal->nall++] = b;
    tree_insert(cal, cal->root, 0, SLOTS, b);
}

static void cancel(struct calendar *cal, size_t i) {
    struct booking *b = cal->all[i];
    tree_remove(cal, cal->root, 0, SLOTS, b);
    cal->all[i] = cal->all[--cal->nall];
    cal->all[cal->nall] = NULL;
    free(b->who);
    free(b);
}

int main(void) {
    struct calendar *cal = calloc(1, sizeof *cal); // site: calendar
    cal->allcap = 16;
    cal->all = malloc(cal->allcap * sizeof *cal->all); // site: all
    cal->root = node_new(cal);
    struct booking **hits = malloc(128 * sizeof *hits); // site: hits
    unsigned seed = 5150;
    long id = 0, found = 0, moved = 0;
    for (int op = 0; op < 8000; op++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 8;
        int lo = (int)(r % SLOTS), len = 1 + (int)((r >> 10) % 96);
        int hi = lo + len > SLOTS ? SLOTS : lo + len;
        switch ((r >> 18) % 8) {
        case 0: case 1: case 2:
            book(cal, id++, lo, hi);
            break;
        case 3: case 4:
            if (cal->nall) cancel(cal, (r >> 3) % cal->nall);
            break;
        case 5:
            if (cal->nall) {
                struct booking *b = cal->all[(r >> 3) % cal->nall];
                tree_remove(cal, cal->root, 0, SLOTS, b);
                b->lo = lo;
                b->hi = hi;
                tree_insert(cal, cal->root, 0, SLOTS, b);
                moved++;
            }
            break;
        default: {
            size_t n = stab(cal, lo, hits, 128);
            for (size_t i = 0; i < n; i++) found += hits[i]->id % 5 + (long)strlen(hits[i]->who);
            memset(hits, 0, n * sizeof *hits);
        }
        }
    }
    free(hits);
    printf("%zu %ld %ld %ld %ld\n", cal->nall, found, moved, cal->nodes, cal->pruned);
    tree_free(cal, cal->root);
    cal->root = NULL;
    for (size_t i = 0; i < cal->nall; i++) {
        free(cal->all[i]->who);
        free(cal->all[i]);
    }
    free(cal->all);
    free(cal);
    return 0;
}
