/* An HTTP router's path table as a radix tree with path compression (as in httprouter or
 * the Linux kernel's radix-tree users): every node holds an edge label (a string of one or
 * more characters), a sorted array of child pointers grown with realloc, an optional
 * route and a parent pointer. Inserting a path that diverges inside a label splits the
 * node: a new node takes the common prefix and the old node keeps the rest (its label
 * replaced). Removing a route prunes nodes left with neither route nor children and
 * merges a routeless node with its only child (the child takes the concatenated label
 * and the node's place in its parent's array). A route owns its handler name. The router
 * keeps a small cache of the most recently matched routes, cleared of a route before it
 * is freed. Routes are added, matched, removed and re-added; the tree is freed at the
 * end. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECENT 8

struct route {
    char *handler;
    int method;
    long hits;
};

struct rnode {
    char *label;
    struct rnode **children;
    size_t nchildren, cap;
    struct route *route;
    struct rnode *parent;
};

struct router {
    struct rnode *root;
    struct route **recent;
    size_t next_recent;
    long nodes, splits, merges;
};

static char *label_dup(const char *s, size_t n) {
    char *l = malloc(n + 1); // site: label
    memcpy(l, s, n);
    l[n] = 0;
    return l;
}

static struct rnode *node_new(struct router *r, struct rnode *parent, const char *label, size_t n) {
    struct rnode *node = calloc(1, sizeof *node); // site: rnode
    node->label = label_dup(label, n);
    node->parent = parent;
    r->nodes++;
    return node;
}

static void add_child(struct rnode *p, struct rnode *c) {
    if (p->nchildren == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 2;
        if (!p->children) p->children = malloc(p->cap * sizeof *p->children); // site: children
        else p->children = realloc(p->children, p->cap * sizeof *p->children); // site: children_grown
    }
    size_t i = p->nchildren;
    while (i > 0 && p->children[i - 1]->label[0] > c->label[0]) {
        p->children[i] = p->children[i - 1];
        i--;
    }
    p->children[i] = c;
    p->nchildren++;
    c->parent = p;
}

static struct rnode *child_for(const struct rnode *p, char ch) {
    for (size_t i = 0; i < p->nchildren; i++)
        if (p->children[i]->label[0] == ch) return p->children[i];
    return NULL;
}

static size_t common(const char *a, const char *b) {
    size_t n = 0;
    while (a[n] && a[n] == b[n]) n++;
    return n;
}

static void insert(struct router *r, const char *path, const char *handler, int method) {
    struct rnode *n = r->root;
    while (*path) {
        struct rnode *c = child_for(n, *path);
        if (!c) {
            c = node_new(r, n, path, strlen(path));
            add_child(n, c);
            n = c;
            break;
        }
        size_t k = common(c->label, path);
        if (c->label[k]) {
            /* split c: a new node takes the common prefix and c becomes its child */
            struct rnode *mid = node_new(r, n, c->label, k);
            for (size_t i = 0; i < n->nchildren; i++)
                if (n->children[i] == c) n->children[i] = mid;
            char *rest = label_dup(c->label + k, strlen(c->label + k));
            free(c->label);
            c->label = rest;
            add_child(mid, c);
            r->splits++;
            c = mid;
        }
        n = c;
        path += k;
    }
    if (!n->route) {
        n->route = malloc(sizeof *n->route); // site: route
        n->route->handler = malloc(strlen(handler) + 1); // site: handler
        strcpy(n->route->handler, handler);
        n->route->hits = 0;
    }
    n->route->method = method;
}

static struct rnode *find(struct rnode *n, const char *path) {
    while (*path) {
        struct rnode *c = child_for(n, *path);
        if (!c || strncmp(c->label, path, strlen(c->label)) != 0) return NULL;
        path += strlen(c->label);
        n = c;
    }
    return n;
}

static void remove_child(struct rnode *p, struct rnode *c) {
    size_t i = 0;
    while (p->children[i] != c) i++;
    memmove(&p->children[i], &p->children[i + 1], (p->nchildren - i - 1) * sizeof *p->children);
    p->children[--p->nchildren] = NULL;
}

static void node_free(struct router *r, struct rnode *n) {
    free(n->label);
    free(n->children);
    free(n);
    r->nodes--;
}

/* n has no route: drop it if it has no children, merge it into its only child if it has one. */
static void compress(struct router *r, struct rnode *n) {
    if (n == r->root || n->route || n->nchildren > 1) return;
    struct rnode *p = n->parent;
    if (n->nchildren == 0) {
        remove_child(p, n);
        node_free(r, n);
        compress(r, p);
        return;
    }
    struct rnode *c = n->children[0];
    size_t a = strlen(n->label), b = strlen(c->label);
    char *merged = malloc(a + b + 1); // site: label_merged
    memcpy(merged, n->label, a);
    memcpy(merged + a, c->label, b + 1);
    free(c->label);
    c->label = merged;
    for (size_t i = 0; i < p->nchildren; i++)
        if (p->children[i] == n) p->children[i] = c;
    c->parent = p;
    node_free(r, n);
    r->merges++;
}

static void unroute(struct router *r, const char *path) {
    struct rnode *n = find(r->root, path);
    if (!n || !n->route) return;
    for (size_t i = 0; i < RECENT; i++)
        if (r->recent[i] == n->route) r->recent[i] = NULL;
    free(n->route->handler);
    free(n->route);
    n->route = NULL;
    compress(r, n);
}

static long match(struct router *r, const char *path) {
    struct rnode *n = find(r->root, path);
    if (!n || !n->route) return 0;
    n->route->hits++;
    r->recent[r->next_recent++ % RECENT] = n->route;
    return (long)strlen(n->route->handler) + n->route->method;
}

static void free_tree(struct router *r, struct rnode *n) {
    for (size_t i = 0; i < n->nchildren; i++) free_tree(r, n->children[i]);
    if (n->route) {
        free(n->route->handler);
        free(n->route);
    }
    node_free(r, n);
}

int main(void) {
    static const char *seg1[] = {"api", "app", "apple", "static", "status", "user", "users", "v1", "v2"};
    static const char *seg2[] = {"items", "item", "index", "login", "logout", "profile", "profiles", "settings"};
    struct router *r = calloc(1, sizeof *r); // site: router
    r->root = node_new(r, NULL, "/", 1);
    r->recent = calloc(RECENT, sizeof *r->recent); // site: recent
    char path[64], handler[64];
    unsigned seed = 4242;
    long score = 0;
    for (int op = 0; op < 6000; op++) {
        seed = seed * 1103515245u + 12345u;
        unsigned a = (seed >> 8) % 9, b = (seed >> 12) % 8, c = (seed >> 16) % 6;
        snprintf(path, sizeof path, "/%s/%s/%u", seg1[a], seg2[b], c);
        switch ((seed >> 24) % 8) {
        case 0: case 1:
            snprintf(handler, sizeof handler, "handle_%s_%s_%u_view", seg1[a], seg2[b], c);
            insert(r, path, handler, (int)(seed & 3));
            break;
        case 2:
            unroute(r, path);
            break;
        default:
            score += match(r, path);
        }
    }
    long cached = 0;
    for (size_t i = 0; i < RECENT; i++)
        if (r->recent[i]) cached += r->recent[i]->hits;
    printf("%ld %ld %ld %ld %ld\n", score, r->nodes, r->splits, r->merges, cached);
    free_tree(r, r->root);
    free(r->recent);
    free(r);
    return 0;
}
