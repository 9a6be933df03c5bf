/* A skip list (ordered map from int keys to string values), as in Pugh's paper: every
 * node has a separately allocated array of forward pointers, one per level it is on; the
 * list header holds its own forward array for the head. Level 0 is the ordinary linked
 * list through which nodes are freed (teardown walks it); the higher levels are express
 * lanes that only refer to nodes further on. A node owns its value string. Keys are
 * inserted in a scrambled order, some are overwritten (the value replaced), a third are
 * deleted mid-way, and the rest are freed from the front at the end. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEVEL 12

struct node {
    int key;
    int level;
    char *value;
    struct node **forward;
};

struct skiplist {
    int level;
    int count;
    unsigned seed;
    struct node **head;
};

static unsigned next_random(unsigned *seed) {
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

static int random_level(struct skiplist *s) {
    int level = 1;
    while (level < MAX_LEVEL && (next_random(&s->seed) & 3) == 0) level++;
    return level;
}

static char *make_value(int key, int version) {
    char *v = malloc(24); // site: value
    snprintf(v, 24, "v%d.%d", key, version);
    return v;
}

static struct skiplist *skiplist_new(void) {
    struct skiplist *s = malloc(sizeof *s); // site: skiplist
    s->level = 1;
    s->count = 0;
    s->seed = 2024;
    s->head = calloc(MAX_LEVEL, sizeof *s->head); // site: head
    return s;
}

static void skiplist_put(struct skiplist *s, int key, int version) {
    struct node **update[MAX_LEVEL];
    struct node **fwd = s->head;
    for (int i = s->level - 1; i >= 0; i--) {
        while (fwd[i] && fwd[i]->key < key) fwd = fwd[i]->forward;
        update[i] = fwd;
    }
    struct node *n = fwd[0];
    if (n && n->key == key) {
        free(n->value);
        n->value = make_value(key, version);
        return;
    }
    int level = random_level(s);
    for (int i = s->level; i < level; i++) update[i] = s->head;
    if (level > s->level) s->level = level;
    n = malloc(sizeof *n); // site: node
    n->key = key;
    n->level = level;
    n->value = make_value(key, version);
    n->forward = malloc((size_t)level * sizeof *n->forward); // site: forward
    for (int i = 0; i < level; i++) {
        n->forward[i] = update[i][i];
        update[i][i] = n;
    }
    s->count++;
}

static const char *skiplist_get(struct skiplist *s, int key) {
    struct node **fwd = s->head;
    for (int i = s->level - 1; i >= 0; i--)
        while (fwd[i] && fwd[i]->key < key) fwd = fwd[i]->forward;
    struct node *n = fwd[0];
    return n && n->key == key ? n->value : NULL;
}

static int skiplist_delete(struct skiplist *s, int key) {
    struct node **update[MAX_LEVEL];
    struct node **fwd = s->head;
    for (int i = s->level - 1; i >= 0; i--) {
        while (fwd[i] && fwd[i]->key < key) fwd = fwd[i]->forward;
        update[i] = fwd;
    }
    struct node *n = fwd[0];
    if (!n || n->key != key) return 0;
    for (int i = 0; i < n->level; i++) update[i][i] = n->forward[i];
    while (s->level > 1 && s->head[s->level - 1] == NULL) s->level--;
    free(n->value);
    free(n->forward);
    free(n);
    s->count--;
    return 1;
}

static void skiplist_free(struct skiplist *s) {
    struct node *n = s->head[0];
    while (n) {
        struct node *next = n->forward[0];
        free(n->value);
        free(n->forward);
        free(n);
        n = next;
    }
    free(s->head);
    free(s);
}

int main(void) {
    struct skiplist *s = skiplist_new();
    const int n = 3000;
    for (int i = 0; i < n; i++) skiplist_put(s, (i * 7919) % 10007, 0);
    for (int i = 0; i < n; i += 5) skiplist_put(s, (i * 7919) % 10007, 1);
    long hits = 0;
    for (int k = 0; k < 10007; k += 3)
        if (skiplist_get(s, k)) hits++;
    int deleted = 0;
    for (int i = 0; i < n; i += 3) deleted += skiplist_delete(s, (i * 7919) % 10007);
    for (int i = 0; i < 400; i++) skiplist_put(s, 10007 + i * 3, 2);
    const char *v = skiplist_get(s, (5 * 7919) % 10007);
    printf("%ld %d %d %s\n", hits, deleted, s->count, v ? v : "-");
    skiplist_free(s);
    return 0;
}
