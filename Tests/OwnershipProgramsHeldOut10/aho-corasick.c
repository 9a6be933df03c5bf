/* Multi-pattern matcher (Aho-Corasick). A boxed automaton owns a pattern array (fixed
 * size) of pattern strings and the root of a trie. A trie node owns a lazily allocated
 * array of 26 child pointers, which owns the child nodes. A breadth-first pass (with a
 * temporary queue array of node pointers, freed after the build) sets each node's
 * failure link and dictionary-suffix link (to other nodes) and the output link (to the
 * pattern string ending at the node). Three rounds each build an automaton from a
 * different pattern set, count matches in a generated text and free everything.
 * No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPAT 60

struct acnode {
    struct acnode **kids;
    struct acnode *fail, *dict;
    const char *out;
    int depth;
};

struct ac {
    struct acnode *root;
    char **pats;
    int nnodes;
};

static unsigned long rng = 99991;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static struct acnode *new_node(struct ac *a, int depth) {
    struct acnode *n = calloc(1, sizeof *n); // site: acnode
    n->depth = depth;
    a->nnodes++;
    return n;
}

static void add_pattern(struct ac *a, const char *p) {
    struct acnode *n = a->root;
    for (; *p; p++) {
        int c = *p - 'a';
        if (n->kids == NULL) n->kids = calloc(26, sizeof *n->kids); // site: kids
        if (n->kids[c] == NULL) n->kids[c] = new_node(a, n->depth + 1);
        n = n->kids[c];
    }
}

static void set_outputs(struct ac *a) {
    for (int i = 0; i < NPAT; i++) {
        struct acnode *n = a->root;
        for (const char *p = a->pats[i]; *p; p++) n = n->kids[*p - 'a'];
        n->out = a->pats[i];
    }
}

static struct acnode *step(struct ac *a, struct acnode *n, int c) {
    while (n != a->root && (n->kids == NULL || n->kids[c] == NULL)) n = n->fail;
    if (n->kids && n->kids[c]) return n->kids[c];
    return a->root;
}

static void build_links(struct ac *a) {
    struct acnode **queue = malloc((size_t)a->nnodes * sizeof *queue); // site: bfsq
    int head = 0, tail = 0;
    a->root->fail = a->root;
    queue[tail++] = a->root;
    while (head < tail) {
        struct acnode *n = queue[head++];
        if (n->kids == NULL) continue;
        for (int c = 0; c < 26; c++) {
            struct acnode *k = n->kids[c];
            if (!k) continue;
            k->fail = n == a->root ? a->root : step(a, n->fail, c);
            k->dict = k->fail->out ? k->fail : k->fail->dict;
            queue[tail++] = k;
        }
    }
    free(queue);
}

static void free_node(struct acnode *n) {
    if (n->kids) {
        for (int c = 0; c < 26; c++)
            if (n->kids[c]) free_node(n->kids[c]);
        free(n->kids);
    }
    free(n);
}

int main(void) {
    char *text = malloc(20001); // site: text
    long total = 0;
    for (int round = 0; round < 3; round++) {
        struct ac *a = calloc(1, sizeof *a); // site: ac
        a->pats = calloc(NPAT, sizeof *a->pats); // site: pats
        a->root = new_node(a, 0);
        for (int i = 0; i < NPAT; i++) {
            char buf[16];
            int len = 2 + (int)(rnd() % 6);
            for (int k = 0; k < len; k++) buf[k] = (char)('a' + rnd() % (4 + (unsigned)round));
            buf[len] = 0;
            a->pats[i] = strdup(buf); // site: pat
            add_pattern(a, buf);
        }
        set_outputs(a);
        build_links(a);
        for (int i = 0; i < 20000; i++) text[i] = (char)('a' + rnd() % (4 + (unsigned)round));
        text[20000] = 0;
        long matches = 0, lensum = 0;
        struct acnode *n = a->root;
        for (const char *t = text; *t; t++) {
            n = step(a, n, *t - 'a');
            for (struct acnode *m = n->out ? n : n->dict; m; m = m->dict) {
                matches++;
                lensum += (long)strlen(m->out);
            }
        }
        printf("round %d: %d nodes, %ld matches, matched length %ld\n", round, a->nnodes, matches, lensum);
        total += matches;
        free_node(a->root);
        for (int i = 0; i < NPAT; i++) free(a->pats[i]);
        free(a->pats);
        free(a);
    }
    printf("total %ld\n", total);
    free(text);
    return 0;
}
