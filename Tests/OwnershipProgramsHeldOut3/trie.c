/* A trie (prefix tree) keyed by lowercase words, used as a small symbol dictionary. Each
 * node keeps its children in a sorted array of (letter, child) edges, allocated on the
 * first child and grown with realloc; a node that ends a word owns a value record; every
 * node points back at its parent so that removal can prune upwards. Words are loaded, a
 * scan is taken once the dictionary is loaded (as a user would ask for one), about a
 * quarter of the words are removed (pruning emptied nodes, children arrays first), and the
 * trie is finally freed depth first, children before their parent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

struct tnode;

struct edge {
    char letter;
    struct tnode *child;
};

struct entry {
    int id;
    int uses;
    char note[24];
};

struct tnode {
    struct tnode *parent;
    struct edge *edges;
    int nedges, cap;
    struct entry *entry;
};

struct trie {
    struct tnode *root;
    int words, nodes;
};

static struct tnode *node_new(struct trie *t, struct tnode *parent) {
    struct tnode *n = malloc(sizeof *n); // site: node
    n->parent = parent;
    n->edges = NULL;
    n->nedges = n->cap = 0;
    n->entry = NULL;
    t->nodes++;
    return n;
}

static int find_edge(const struct tnode *n, char c, int *at) {
    int lo = 0, hi = n->nedges;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (n->edges[mid].letter < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    *at = lo;
    return lo < n->nedges && n->edges[lo].letter == c;
}

static struct tnode *child_for(struct trie *t, struct tnode *n, char c) {
    int at;
    if (find_edge(n, c, &at)) return n->edges[at].child;
    if (n->nedges == n->cap) {
        if (n->cap == 0) {
            n->cap = 2;
            n->edges = malloc((size_t)n->cap * sizeof *n->edges); // site: children
        } else {
            n->cap *= 2;
            n->edges = realloc(n->edges, (size_t)n->cap * sizeof *n->edges); // site: children_grown
        }
    }
    memmove(&n->edges[at + 1], &n->edges[at], (size_t)(n->nedges - at) * sizeof *n->edges);
    n->edges[at].letter = c;
    n->edges[at].child = node_new(t, n);
    n->nedges++;
    return n->edges[at].child;
}

static void trie_insert(struct trie *t, const char *word, int id) {
    struct tnode *n = t->root;
    for (const char *p = word; *p; p++) n = child_for(t, n, *p);
    if (!n->entry) {
        n->entry = malloc(sizeof *n->entry); // site: entry
        n->entry->uses = 0;
        t->words++;
    }
    n->entry->id = id;
    snprintf(n->entry->note, sizeof n->entry->note, "w%d", id);
}

static struct tnode *trie_find(struct trie *t, const char *word) {
    struct tnode *n = t->root;
    for (const char *p = word; *p && n; p++) {
        int at;
        n = find_edge(n, *p, &at) ? n->edges[at].child : NULL;
    }
    return n && n->entry ? n : NULL;
}

static void trie_remove(struct trie *t, const char *word) {
    struct tnode *n = trie_find(t, word);
    if (!n) return;
    free(n->entry);
    n->entry = NULL;
    t->words--;
    /* Prune: walk up while the node is empty, unlinking it from its parent. */
    size_t depth = strlen(word);
    while (n != t->root && n->nedges == 0 && !n->entry) {
        struct tnode *parent = n->parent;
        int at;
        find_edge(parent, word[depth - 1], &at);
        memmove(&parent->edges[at], &parent->edges[at + 1], (size_t)(parent->nedges - at - 1) * sizeof *parent->edges);
        parent->nedges--;
        free(n->edges);
        free(n);
        t->nodes--;
        n = parent;
        depth--;
    }
}

static void node_free(struct tnode *n) {
    for (int i = 0; i < n->nedges; i++) node_free(n->edges[i].child);
    free(n->edges);
    free(n->entry);
    free(n);
}

static void make_word(char *buf, unsigned x) {
    int len = 3 + (int)(x % 6);
    for (int i = 0; i < len; i++) {
        x = x * 1664525u + 1013904223u;
        buf[i] = (char)('a' + (x >> 24) % 7 + (i % 3) * 6);
    }
    buf[len] = 0;
}

int main(void) {
    struct trie *t = malloc(sizeof *t); // site: trie
    t->words = t->nodes = 0;
    t->root = node_new(t, NULL);
    char word[16];
    for (unsigned i = 0; i < 2500; i++) {
        make_word(word, i * 2654435761u);
        trie_insert(t, word, (int)i);
    }
    int loaded = t->words, loaded_nodes = t->nodes;
    scan_now();
    long found = 0;
    for (unsigned i = 0; i < 5000; i += 2) {
        make_word(word, i * 2654435761u);
        struct tnode *n = trie_find(t, word);
        if (n) {
            n->entry->uses++;
            found++;
        }
    }
    for (unsigned i = 0; i < 2500; i += 4) {
        make_word(word, i * 2654435761u);
        trie_remove(t, word);
    }
    printf("%d %d %ld %d %d\n", loaded, loaded_nodes, found, t->words, t->nodes);
    node_free(t->root);
    free(t);
    return 0;
}
