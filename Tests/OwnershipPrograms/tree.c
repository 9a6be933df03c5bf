/* A binary search tree: each node owns its label and its two children. Decoys made at
 * the same moments: a formatting buffer in node_new (freed before it returns), a
 * scratch buffer in node_new (same function, freed in a later phase) and an insertion
 * log entry (freed after the tree). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

struct node {
    struct node *left, *right;
    char *label;
    int key;
};

static void *scratch[512];
static int scratch_count;
static void *insert_log[512];
static int log_count;

__attribute__((noinline)) static struct node *node_new(int key) {
    struct node *n = malloc(sizeof *n); // site: node
    char *text = malloc(32); // site: format
    snprintf(text, 32, "key-%d", key);
    n->label = strdup(text); // site: label
    free(text);
    scratch[scratch_count++] = malloc(24); // site: scratch
    n->left = n->right = NULL;
    n->key = key;
    return n;
}

__attribute__((noinline)) static void note_insert(int key) {
    insert_log[log_count++] = malloc(16 + key % 16); // site: insert_log
}

__attribute__((noinline)) static struct node *insert(struct node *root, int key) {
    if (!root) {
        struct node *n = node_new(key);
        note_insert(key);
        return n;
    }
    if (key < root->key) root->left = insert(root->left, key);
    else root->right = insert(root->right, key);
    return root;
}

__attribute__((noinline)) static void tree_free(struct node *n) {
    if (!n) return;
    free(n->label);
    tree_free(n->left);
    tree_free(n->right);
    free(n);
}

static struct node *root;

int main(void) {
    srand(7);
    for (int i = 0; i < 300; i++) root = insert(root, rand() % 100000);
    scan_now();
    for (int i = 0; i < scratch_count; i++) free(scratch[i]);
    free(malloc(64));
    tree_free(root);
    root = NULL;
    free(malloc(64));
    for (int i = 0; i < log_count; i++) free(insert_log[i]);
    return 0;
}
