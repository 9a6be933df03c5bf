/* Spelling suggestions on a BK-tree (Burkhard-Keller, Levenshtein distance). A boxed
 * tree record holds the root node; each node owns its word and an edge array of
 * (distance, child) pairs, malloc'ed for 2 at the first child and doubled by realloc
 * (the new half zeroed). Removal only marks a word deleted. Fuzzy queries collect the
 * matching nodes into a temporary calloc'ed array. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bk;
struct edge { int d; struct bk *child; };
struct bk { char *word; int deleted, nkids, cap; struct edge *kids; };
struct bktree { struct bk *root; int size, live; };

static unsigned long seed = 4242;
static unsigned rnd(void) { seed = seed * 6364136223846793005UL + 1442695040888963407UL; return (unsigned)(seed >> 33); }

static int lev(const char *a, const char *b) {
    int la = (int)strlen(a), lb = (int)strlen(b), row[32];
    for (int j = 0; j <= lb; j++) row[j] = j;
    for (int i = 1; i <= la; i++) {
        int prev = row[0];
        row[0] = i;
        for (int j = 1; j <= lb; j++) {
            int cur = row[j], best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}
static struct bk *new_bk(const char *w) {
    struct bk *n = calloc(1, sizeof *n); // site: node
    n->word = strdup(w); // site: word
    return n;
}
static void add_child(struct bk *n, int d, struct bk *c) {
    if (!n->kids) {
        n->cap = 2;
        n->kids = calloc((size_t)n->cap, sizeof *n->kids); // site: kids
    } else if (n->nkids == n->cap) {
        n->kids = realloc(n->kids, (size_t)n->cap * 2 * sizeof *n->kids); // site: kids_grown
        memset(n->kids + n->cap, 0, (size_t)n->cap * sizeof *n->kids);
        n->cap *= 2;
    }
    n->kids[n->nkids].d = d;
    n->kids[n->nkids++].child = c;
}
static void insert(struct bktree *t, const char *w) {
    if (!t->root) { t->root = new_bk(w); t->size++; t->live++; return; }
    struct bk *n = t->root;
    for (;;) {
        int d = lev(n->word, w);
        if (d == 0) { if (n->deleted) { n->deleted = 0; t->live++; } return; }
        struct bk *next = NULL;
        for (int i = 0; i < n->nkids; i++) if (n->kids[i].d == d) next = n->kids[i].child;
        if (!next) { add_child(n, d, new_bk(w)); t->size++; t->live++; return; }
        n = next;
    }
}
static void search(struct bk *n, const char *w, int radius, struct bk **hits, int *nhits, int cap) {
    int d = lev(n->word, w);
    if (d <= radius && !n->deleted && *nhits < cap) hits[(*nhits)++] = n;
    for (int i = 0; i < n->nkids; i++)
        if (n->kids[i].d >= d - radius && n->kids[i].d <= d + radius) search(n->kids[i].child, w, radius, hits, nhits, cap);
}
static void destroy(struct bk *n) {
    for (int i = 0; i < n->nkids; i++) destroy(n->kids[i].child);
    free(n->kids);
    free(n->word);
    free(n);
}
static void make_word(char *buf) {
    static const char *syl[] = { "ka", "ro", "mi", "te", "lu", "sa", "n", "or", "is", "ve" };
    int parts = 2 + (int)(rnd() % 3);
    buf[0] = 0;
    for (int i = 0; i < parts; i++) strcat(buf, syl[rnd() % 10]);
}

int main(void) {
    struct bktree *t = calloc(1, sizeof *t); // site: tree
    char w[32];
    long found = 0, dist = 0;
    for (int step = 0; step < 1600; step++) {
        make_word(w);
        unsigned op = rnd() % 8;
        if (op < 5) insert(t, w);
        else if (op < 6 && t->root) {
            struct bk *hits[1] = { NULL };
            int nh = 0;
            search(t->root, w, 0, hits, &nh, 1);
            if (nh) { hits[0]->deleted = 1; t->live--; }
        } else if (t->root) {
            int cap = 64, nh = 0;
            struct bk **hits = calloc((size_t)cap, sizeof *hits); // site: hits
            search(t->root, w, 1 + (int)(op & 1), hits, &nh, cap);
            found += nh;
            for (int i = 0; i < nh; i++) dist += lev(hits[i]->word, w);
            free(hits);
        }
    }
    printf("words %d, live %d, suggestions %ld, distance sum %ld\n", t->size, t->live, found, dist);
    destroy(t->root);
    free(t);
    return 0;
}
