/* Issue 18's second false case: a binary search tree whose node (calloc) and label
 * (malloc) are allocated on one line. Each node owns its label and its two children. The
 * tree is freed children first, then the label, then the node. No reference scan runs
 * while it lives. */
#include <stdio.h>
#include <stdlib.h>

struct node {
    struct node *left, *right;
    char *label;
    long key;
};

__attribute__((noinline)) static struct node *node_new(long key) {
    struct node *n = calloc(1, sizeof *n); n->label = malloc(16 + key % 16); // sites: node label
    snprintf(n->label, 16, "k%ld", key);
    n->key = key;
    return n;
}

__attribute__((noinline)) static struct node *insert(struct node *root, long key) {
    if (!root) return node_new(key);
    if (key < root->key) root->left = insert(root->left, key);
    else root->right = insert(root->right, key);
    return root;
}

__attribute__((noinline)) static void tree_free(struct node *n) {
    if (!n) return;
    tree_free(n->left);
    tree_free(n->right);
    free(n->label);
    free(n);
}

int main(void) {
    struct node *root = NULL;
    srand(11);
    for (int i = 0; i < 400; i++) root = insert(root, rand() % 100000);
    tree_free(root);
    return 0;
}
