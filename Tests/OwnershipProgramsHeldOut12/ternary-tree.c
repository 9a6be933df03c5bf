/* Autocomplete dictionary on a ternary search tree (Bentley and Sedgewick): a boxed
 * tree record owns the root; each node holds one character and owns its lo, eq and hi
 * children; a node that ends a word owns an entry (hit count and a copy of the whole
 * word). Removing a word frees its entry and prunes the nodes left without children or
 * entry on the way back up. Completion queries collect entry pointers into a temporary
 * array (calloc'ed per query, sorted by count). Everything left is freed at the end. No
 * scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    long hits;
    char *word;
};

struct node {
    char c;
    struct node *lo, *eq, *hi;
    struct entry *val;
};

struct tst {
    struct node *root;
    long words, nodes;
};

static unsigned long rng = 777;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static struct node *put(struct tst *t, struct node *x, const char *w, const char *s) {
    if (!x) {
        x = calloc(1, sizeof *x); // site: node
        x->c = *s;
        t->nodes++;
    }
    if (*s < x->c)
        x->lo = put(t, x->lo, w, s);
    else if (*s > x->c)
        x->hi = put(t, x->hi, w, s);
    else if (s[1])
        x->eq = put(t, x->eq, w, s + 1);
    else if (x->val)
        x->val->hits++;
    else {
        x->val = malloc(sizeof *x->val); // site: entry
        x->val->hits = 1;
        x->val->word = strdup(w); // site: word
        t->words++;
    }
    return x;
}

static struct node *del(struct tst *t, struct node *x, const char *s, int *done) {
    if (!x) return NULL;
    if (*s < x->c)
        x->lo = del(t, x->lo, s, done);
    else if (*s > x->c)
        x->hi = del(t, x->hi, s, done);
    else if (s[1])
        x->eq = del(t, x->eq, s + 1, done);
    else if (x->val) {
        free(x->val->word);
        free(x->val);
        x->val = NULL;
        t->words--;
        *done = 1;
    }
    if (!x->val && !x->eq && (!x->lo || !x->hi)) {
        struct node *keep = x->lo ? x->lo : x->hi;
        free(x);
        t->nodes--;
        return keep;
    }
    return x;
}

static struct node *find(struct node *x, const char *s) {
    while (x) {
        if (*s < x->c)
            x = x->lo;
        else if (*s > x->c)
            x = x->hi;
        else if (s[1]) {
            x = x->eq;
            s++;
        } else
            return x;
    }
    return NULL;
}

static void collect(struct node *x, struct entry **out, int *n, int max) {
    if (!x || *n >= max) return;
    collect(x->lo, out, n, max);
    if (x->val && *n < max) out[(*n)++] = x->val;
    collect(x->eq, out, n, max);
    collect(x->hi, out, n, max);
}

static int by_hits(const void *a, const void *b) {
    const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;
    if (x->hits != y->hits) return x->hits < y->hits ? 1 : -1;
    return strcmp(x->word, y->word);
}

static void free_tree(struct node *x) {
    if (!x) return;
    free_tree(x->lo);
    free_tree(x->eq);
    free_tree(x->hi);
    if (x->val) {
        free(x->val->word);
        free(x->val);
    }
    free(x);
}

int main(void) {
    static const char *stems[] = {"car", "cart", "care", "cat", "dog", "door", "dot", "star", "stare", "start"};
    static const char *tails[] = {"", "s", "ed", "ing", "ful", "less", "ly", "ish"};
    struct tst *t = malloc(sizeof *t); // site: tree
    t->root = NULL;
    t->words = t->nodes = 0;
    char w[48];
    long removed = 0;
    for (int step = 0; step < 20000; step++) {
        unsigned r = rnd();
        snprintf(w, sizeof w, "%s%s%u", stems[r % 10], tails[(r >> 8) % 8], (r >> 12) % 40);
        if ((r >> 20) % 4 == 0) {
            int done = 0;
            t->root = del(t, t->root, w, &done);
            removed += done;
        } else {
            t->root = put(t, t->root, w, w);
        }
        if (step % 5000 == 4999) {
            const char *q = stems[step / 5000 % 10];
            struct node *at = find(t->root, q);
            struct entry **hits = calloc(64, sizeof *hits); // site: results
            int n = 0;
            if (at) {
                if (at->val) hits[n++] = at->val;
                collect(at->eq, hits, &n, 64);
            }
            qsort(hits, (size_t)n, sizeof *hits, by_hits);
            printf("step %d: %ld words, %ld nodes, %ld removed; '%s' -> %d, top %s (%ld)\n", step + 1, t->words, t->nodes, removed, q, n, n ? hits[0]->word : "-", n ? hits[0]->hits : 0L);
            free(hits);
        }
    }
    free_tree(t->root);
    free(t);
    return 0;
}
