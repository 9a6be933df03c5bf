/* Search-box autocomplete: a dictionary of weighted terms (a term array grown by realloc
 * owns the term records, which own their text) indexed by a trie in first-child /
 * next-sibling form (each node owns its first child and its next sibling). Every node on
 * a term's path keeps a ranked suggestion list: a fixed array of up to four pointers to
 * the heaviest terms below it, allocated when the node first needs one, and a node at
 * the end of a term points at that term. Adding a term, bumping its weight and removing
 * it re-rank the lists along its path (removal clears the term's pointers everywhere
 * before the record is freed; the array slot is cleared and reused). Queries read the
 * list of a prefix's node. Trie nodes are never pruned. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOPK 4

struct term {
    char *text;
    long weight;
    int slot;
};

struct tnode {
    char ch;
    struct tnode *child, *sibling;
    struct term *term;
    struct term **top;
    int ntop;
};

struct dict {
    struct term **terms;
    int nterms, cap;
    struct tnode *root;
    int live;
};

static unsigned long rng = 2024;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static struct tnode *new_node(char ch) {
    struct tnode *n = calloc(1, sizeof *n); // site: tnode
    n->ch = ch;
    return n;
}

static struct tnode *child_of(struct tnode *n, char ch, int create) {
    struct tnode **link = &n->child;
    while (*link && (*link)->ch < ch) link = &(*link)->sibling;
    if (*link && (*link)->ch == ch) return *link;
    if (!create) return NULL;
    struct tnode *c = new_node(ch);
    c->sibling = *link;
    *link = c;
    return c;
}

static int better(const struct term *a, const struct term *b) {
    return a->weight > b->weight || (a->weight == b->weight && strcmp(a->text, b->text) < 0);
}

static void offer(struct tnode *n, struct term *t) {
    int i = n->ntop;
    if (i == TOPK) {
        if (!better(t, n->top[TOPK - 1])) return;
        i = TOPK - 1;
    } else {
        n->ntop++;
    }
    while (i > 0 && better(t, n->top[i - 1])) {
        n->top[i] = n->top[i - 1];
        i--;
    }
    n->top[i] = t;
}

static void collect(struct tnode *n, struct tnode *into) {
    for (; n; n = n->sibling) {
        if (n->term) offer(into, n->term);
        collect(n->child, into);
    }
}

static void rerank(struct tnode *n) {
    if (!n->top) n->top = malloc(TOPK * sizeof *n->top); // site: top
    memset(n->top, 0, TOPK * sizeof *n->top);
    n->ntop = 0;
    if (n->term) offer(n, n->term);
    collect(n->child, n);
}

static void rerank_path(struct dict *d, const char *s) {
    struct tnode *path[64];
    int np = 0;
    struct tnode *n = d->root;
    path[np++] = n;
    for (const char *p = s; *p && n; p++) {
        n = child_of(n, *p, 0);
        if (n) path[np++] = n;
    }
    for (int i = np - 1; i >= 0; i--) rerank(path[i]);
}

static struct term *add_term(struct dict *d, const char *s, long w) {
    struct tnode *n = d->root;
    for (const char *p = s; *p; p++) n = child_of(n, *p, 1);
    if (n->term) {
        n->term->weight += w;
        rerank_path(d, s);
        return n->term;
    }
    int slot = -1;
    for (int i = 0; i < d->nterms; i++)
        if (!d->terms[i]) {
            slot = i;
            break;
        }
    if (slot < 0) {
        if (d->nterms == d->cap) {
            d->cap *= 2;
            d->terms = realloc(d->terms, (size_t)d->cap * sizeof *d->terms); // site: terms_grown
        }
        slot = d->nterms++;
    }
    struct term *t = malloc(sizeof *t); // site: term
    t->text = strdup(s); // site: term_text
    t->weight = w;
    t->slot = slot;
    d->terms[slot] = t;
    n->term = t;
    d->live++;
    rerank_path(d, s);
    return t;
}

static void remove_term(struct dict *d, struct term *t) {
    struct tnode *n = d->root;
    for (const char *p = t->text; *p; p++) n = child_of(n, *p, 0);
    n->term = NULL;
    /* clear the term from every list on its path, then re-rank without it */
    struct tnode *m = d->root;
    for (const char *p = t->text;; p++) {
        for (int i = 0; i < m->ntop; i++)
            if (m->top[i] == t) m->top[i] = NULL;
        if (!*p) break;
        m = child_of(m, *p, 0);
    }
    d->terms[t->slot] = NULL;
    d->live--;
    char key[64];
    snprintf(key, sizeof key, "%s", t->text);
    free(t->text);
    free(t);
    rerank_path(d, key);
}

static long query(struct dict *d, const char *prefix) {
    struct tnode *n = d->root;
    for (const char *p = prefix; *p && n; p++) n = child_of(n, *p, 0);
    if (!n) return 0;
    long s = 0;
    for (int i = 0; i < n->ntop; i++) s += n->top[i]->weight * (i + 1) + n->top[i]->text[0];
    return s;
}

static void free_trie(struct tnode *n) {
    while (n) {
        struct tnode *next = n->sibling;
        free_trie(n->child);
        free(n->top);
        free(n);
        n = next;
    }
}

int main(void) {
    static const char *syl[] = {"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi"};
    struct dict *d = calloc(1, sizeof *d); // site: dict
    d->cap = 16;
    d->terms = malloc((size_t)d->cap * sizeof *d->terms); // site: terms
    d->root = new_node(0);
    long sum = 0;
    for (int step = 0; step < 2500; step++) {
        char w[16] = "";
        int nsyl = 2 + (int)(rnd() % 3);
        for (int i = 0; i < nsyl; i++) strcat(w, syl[rnd() % 8]);
        unsigned op = rnd() % 10;
        if (op < 6) {
            add_term(d, w, 1 + rnd() % 50);
        } else if (op < 8 && d->live > 0) {
            int start = (int)(rnd() % (unsigned)d->nterms);
            for (int i = 0; i < d->nterms; i++) {
                struct term *t = d->terms[(start + i) % d->nterms];
                if (t) {
                    remove_term(d, t);
                    break;
                }
            }
        } else {
            w[2 + 2 * (rnd() % 2)] = 0;
            sum += query(d, w);
        }
    }
    printf("terms=%d live=%d cap=%d sum=%ld\n", d->nterms, d->live, d->cap, sum);
    for (int i = 0; i < d->nterms; i++)
        if (d->terms[i]) {
            free(d->terms[i]->text);
            free(d->terms[i]);
        }
    free(d->terms);
    free_trie(d->root);
    free(d);
    return 0;
}
