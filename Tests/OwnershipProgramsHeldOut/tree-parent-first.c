/* An n-ary tree freed parent first: each node owns a name and an array of its children
 * (malloc'd once with the node's fan-out), and the array owns the child nodes. The tree is
 * freed top-down: a node's name and the node itself go before its children, the children
 * array last (its pointers saved first). No scan runs while the tree lives. */
#include <stdio.h>
#include <stdlib.h>

struct node {
    char *name;
    struct node **children;
    int count;
};

__attribute__((noinline)) static struct node *build(int depth, int *made) {
    struct node *n = malloc(sizeof *n); // site: node
    n->name = malloc(16); // site: name
    snprintf(n->name, 16, "n%d", (*made)++);
    n->count = depth > 0 ? 2 + depth % 3 : 0;
    n->children = n->count ? malloc(n->count * sizeof *n->children) : NULL; // site: children
    for (int i = 0; i < n->count; i++) n->children[i] = build(depth - 1, made);
    return n;
}

__attribute__((noinline)) static void free_parent_first(struct node *n) {
    struct node **children = n->children;
    int count = n->count;
    free(n->name);
    free(n);
    for (int i = 0; i < count; i++) free_parent_first(children[i]);
    free(children);
}

int main(void) {
    int made = 0;
    for (int t = 0; t < 3; t++) {
        struct node *root = build(5, &made);
        free_parent_first(root);
    }
    printf("%d\n", made);
    return 0;
}
