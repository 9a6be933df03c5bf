/* Hostname counter on an AA tree (Andersson): a boxed tree record owns the root; nodes
 * own their two children and their key string (strdup'ed). Inserts rebalance with skew
 * and split; deletions of an inner node swap its key pointer with its successor's (or
 * predecessor's) and delete that leaf-level node instead, then fix levels on the way
 * up. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct aa { struct aa *left, *right; int level, count; char *key; };
struct tree { struct aa *root; int size; };

static int lvl(struct aa *t) { return t ? t->level : 0; }

static struct aa *skew(struct aa *t) {
    if (t && t->left && t->left->level == t->level) {
        struct aa *l = t->left;
        t->left = l->right;
        l->right = t;
        return l;
    }
    return t;
}

static struct aa *split(struct aa *t) {
    if (t && t->right && t->right->right && t->right->right->level == t->level) {
        struct aa *r = t->right;
        t->right = r->left;
        r->left = t;
        r->level++;
        return r;
    }
    return t;
}

static struct aa *insert(struct tree *tr, struct aa *t, const char *key) {
    if (!t) {
        t = calloc(1, sizeof *t); // site: node
        t->key = strdup(key); // site: key
        t->level = 1;
        t->count = 1;
        tr->size++;
        return t;
    }
    int c = strcmp(key, t->key);
    if (c < 0) t->left = insert(tr, t->left, key);
    else if (c > 0) t->right = insert(tr, t->right, key);
    else { t->count++; return t; }
    return split(skew(t));
}

static struct aa *erase(struct tree *tr, struct aa *t, const char *key) {
    if (!t) return NULL;
    int c = strcmp(key, t->key);
    if (c < 0) t->left = erase(tr, t->left, key);
    else if (c > 0) t->right = erase(tr, t->right, key);
    else if (!t->left && !t->right) {
        free(t->key);
        free(t);
        tr->size--;
        return NULL;
    } else if (!t->left) {
        struct aa *s = t->right;
        while (s->left) s = s->left;
        char *k = t->key; t->key = s->key; s->key = k;
        int n = t->count; t->count = s->count; s->count = n;
        t->right = erase(tr, t->right, k);
    } else {
        struct aa *p = t->left;
        while (p->right) p = p->right;
        char *k = t->key; t->key = p->key; p->key = k;
        int n = t->count; t->count = p->count; p->count = n;
        t->left = erase(tr, t->left, k);
    }
    int want = (lvl(t->left) < lvl(t->right) ? lvl(t->left) : lvl(t->right)) + 1;
    if (want < t->level) {
        t->level = want;
        if (t->right && want < t->right->level) t->right->level = want;
    }
    t = skew(t);
    t->right = skew(t->right);
    if (t->right) t->right->right = skew(t->right->right);
    t = split(t);
    t->right = split(t->right);
    return t;
}

static int check(struct aa *t, const char *lo, const char *hi) {
    if (!t) return 1;
    if ((lo && strcmp(t->key, lo) <= 0) || (hi && strcmp(t->key, hi) >= 0)) return 0;
    if (lvl(t->left) != t->level - 1) return 0;
    if (lvl(t->right) != t->level && lvl(t->right) != t->level - 1) return 0;
    if (t->right && lvl(t->right->right) == t->level) return 0;
    return check(t->left, lo, t->key) && check(t->right, t->key, hi);
}

static void destroy(struct aa *t) {
    if (!t) return;
    destroy(t->left);
    destroy(t->right);
    free(t->key);
    free(t);
}

int main(void) {
    struct tree *tr = calloc(1, sizeof *tr); // site: tree
    char name[48];
    for (int i = 0; i < 1500; i++) {
        snprintf(name, sizeof name, "host-%03d.rack%d.example.net", (i * 613) % 700, i % 5);
        tr->root = insert(tr, tr->root, name);
    }
    int ok1 = check(tr->root, NULL, NULL);
    int before = tr->size;
    for (int i = 0; i < 900; i++) {
        snprintf(name, sizeof name, "host-%03d.rack%d.example.net", (i * 389) % 700, (i * 3) % 7);
        tr->root = erase(tr, tr->root, name);
    }
    printf("%d names, %d after removals, root level %d, valid %d %d\n", before, tr->size, lvl(tr->root), ok1, check(tr->root, NULL, NULL));
    destroy(tr->root);
    free(tr);
    return 0;
}
