/* Real-program test: C at -O2 with static inline helpers that call the allocator, and
 * two allocations on one line. Written for the name checks of issue 16, after the
 * naming rules. */
#include <stdlib.h>
#include <string.h>

struct node {
    struct node *left, *right;
    char *label;
    int key;
};

static inline char *copy_label(const char *text) {
    size_t n = strlen(text) + 1;
    char *copy = malloc(n);
    if (copy) memcpy(copy, text, n);
    return copy;
}

static inline struct node *make_node(int key, const char *text) {
    struct node *n = calloc(1, sizeof *n); n->label = malloc(24 + (key & 7));
    if (n->label) strcpy(n->label, key & 1 ? "odd" : "even");
    n->key = key;
    (void)text;
    return n;
}

static struct node *insert(struct node *root, int key, const char *text) {
    if (!root) return make_node(key, text);
    if (key < root->key) root->left = insert(root->left, key, text);
    else root->right = insert(root->right, key, text);
    return root;
}

static void release(struct node *n) {
    if (!n) return;
    release(n->left);
    release(n->right);
    free(n->label);
    free(n);
}

int main(int argc, char **argv) {
    int count = argc > 1 ? atoi(argv[1]) : 2000;
    struct node *root = NULL;
    unsigned seed = 12345;
    char *names[64];
    for (int i = 0; i < 64; i++) names[i] = copy_label(i & 1 ? "a longer label for odd" : "even");
    for (int i = 0; i < count; i++) {
        seed = seed * 1103515245u + 12345u;
        root = insert(root, (int)(seed >> 8) % 100000, names[i & 63]);
    }
    release(root);
    for (int i = 0; i < 64; i += 2) free(names[i]);  /* the odd ones leak */
    return 0;
}
