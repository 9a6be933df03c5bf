/* Merkle tree over 16 data blocks (a file's content hashes): a boxed tree record owns
 * the root and indexes the leaves in an inline array (non-owning); every node owns an
 * 8-byte digest buffer and points back at its parent; internal nodes own their two
 * children, leaves own their data block (strdup'ed; replaced on update by a new copy).
 * Updates rehash the path to the root; inclusion proofs collect pointers to the
 * sibling digests in a temporary calloc'ed array. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NLEAF 16
#define DLEN 8
#define DEPTH 4

struct mnode { struct mnode *left, *right, *parent; unsigned char *digest; char *data; };
struct mtree { struct mnode *root; struct mnode *leaves[NLEAF]; };

static void hash_bytes(const unsigned char *p, size_t n, unsigned char *out) {
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 1099511628211ULL; }
    for (int i = 0; i < DLEN; i++) out[i] = (unsigned char)(h >> (8 * i));
}

static void rehash(struct mnode *n) {
    if (n->data) { hash_bytes((const unsigned char *)n->data, strlen(n->data), n->digest); return; }
    unsigned char both[2 * DLEN];
    memcpy(both, n->left->digest, DLEN);
    memcpy(both + DLEN, n->right->digest, DLEN);
    hash_bytes(both, sizeof both, n->digest);
}

static struct mnode *build(struct mtree *t, int lo, int hi) {
    struct mnode *n = calloc(1, sizeof *n); // site: node
    n->digest = malloc(DLEN); // site: digest
    if (hi - lo == 1) {
        char buf[64];
        snprintf(buf, sizeof buf, "block %02d: initial contents %d", lo, lo * 37 % 101);
        n->data = strdup(buf); // site: data
        t->leaves[lo] = n;
    } else {
        int mid = (lo + hi) / 2;
        n->left = build(t, lo, mid);
        n->right = build(t, mid, hi);
        n->left->parent = n;
        n->right->parent = n;
    }
    rehash(n);
    return n;
}

static void update(struct mtree *t, int i, int version) {
    struct mnode *leaf = t->leaves[i];
    char buf[64];
    snprintf(buf, sizeof buf, "block %02d: version %d of the contents", i, version);
    free(leaf->data);
    leaf->data = strdup(buf); // site: data_new
    for (struct mnode *n = leaf; n; n = n->parent) rehash(n);
}

static int verify(struct mtree *t, int i) {
    const unsigned char **proof = calloc(DEPTH, sizeof *proof); // site: proof
    int k = 0;
    for (struct mnode *n = t->leaves[i]; n->parent; n = n->parent)
        proof[k++] = n->parent->left == n ? n->parent->right->digest : n->parent->left->digest;
    unsigned char acc[DLEN], both[2 * DLEN];
    hash_bytes((const unsigned char *)t->leaves[i]->data, strlen(t->leaves[i]->data), acc);
    int pos = i;
    for (int j = 0; j < k; j++, pos /= 2) {
        if (pos % 2 == 0) { memcpy(both, acc, DLEN); memcpy(both + DLEN, proof[j], DLEN); }
        else { memcpy(both, proof[j], DLEN); memcpy(both + DLEN, acc, DLEN); }
        hash_bytes(both, sizeof both, acc);
    }
    int ok = k == DEPTH && memcmp(acc, t->root->digest, DLEN) == 0;
    free(proof);
    return ok;
}

static void destroy(struct mnode *n) {
    if (!n) return;
    destroy(n->left);
    destroy(n->right);
    free(n->data);
    free(n->digest);
    free(n);
}

int main(void) {
    struct mtree *t = calloc(1, sizeof *t); // site: tree
    t->root = build(t, 0, NLEAF);
    int verified = 0;
    for (int step = 0; step < 300; step++) {
        update(t, (step * 7 + 3) % NLEAF, step);
        verified += verify(t, (step * 5) % NLEAF);
    }
    unsigned long long root = 0;
    for (int i = 0; i < DLEN; i++) root = root << 8 | t->root->digest[i];
    printf("verified %d of 300 proofs, root digest %016llx\n", verified, root);
    destroy(t->root);
    free(t);
    return 0;
}
