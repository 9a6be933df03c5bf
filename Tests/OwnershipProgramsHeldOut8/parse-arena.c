/* A request handler that parses each request's body (an s-expression text, malloc'd per
 * request and owned by the request record) into a tree of parse nodes bump-allocated in
 * an arena. The arena (allocated once) keeps a singly linked list of chunks (the newest
 * first; each chunk links to the previous one) and one spare chunk. Parse nodes live
 * inside the chunks: their first-child and next-sibling pointers point into chunks (the
 * same one or another), and each node's token pointer points into the request text. The
 * request record points at the root node and owns a summary string made after the
 * parse. At the end of a request the arena is reset:
 * the oldest chunk is kept as the spare (zeroed, so no stale pointer survives) if there
 * is none, the others are freed; then the summary, the text and the request record are freed. A new
 * chunk is taken from the spare slot when there is one. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUESTS 300
#define CHUNK_BYTES 2048

struct chunk {
    struct chunk *next;
    size_t used;
    _Alignas(16) unsigned char data[];
};

struct arena {
    struct chunk *head;
    struct chunk *spare;
    long fresh, reused;
};

struct pnode {
    int kind; /* 0 list, 1 atom */
    int toklen;
    const char *tok;
    struct pnode *first_child;
    struct pnode *next_sibling;
};

struct request {
    int id;
    char *text;
    char *summary;
    struct pnode *root;
};

static unsigned long rng = 7777;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static void *arena_alloc(struct arena *a, size_t n) {
    n = (n + 15) & ~(size_t)15;
    if (!a->head || a->head->used + n > CHUNK_BYTES) {
        struct chunk *c = a->spare;
        if (c) {
            a->spare = NULL;
            a->reused++;
        } else {
            c = malloc(sizeof *c + CHUNK_BYTES); // site: chunk
            a->fresh++;
        }
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = a->head->data + a->head->used;
    a->head->used += n;
    return p;
}

static void arena_reset(struct arena *a) {
    struct chunk *c = a->head;
    a->head = NULL;
    while (c) {
        struct chunk *next = c->next;
        c->next = NULL;
        if (!next && !a->spare) {
            memset(c->data, 0, CHUNK_BYTES);
            c->used = 0;
            a->spare = c;
        } else {
            free(c);
        }
        c = next;
    }
}

/* Writes a random s-expression of the given depth into buf; returns the length. */
static size_t gen(char *buf, size_t at, size_t cap, int depth) {
    static const char *atoms[] = {"add", "mul", "neg", "x", "y", "zeta", "42", "7", "1000", "lambda"};
    if (depth == 0 || rnd() % 4 == 0) {
        const char *s = atoms[rnd() % 10];
        size_t n = strlen(s);
        if (at + n + 1 < cap) {
            memcpy(buf + at, s, n);
            at += n;
        }
        return at;
    }
    if (at + 2 >= cap) return at;
    buf[at++] = '(';
    int k = 1 + (int)(rnd() % 4);
    for (int i = 0; i < k; i++) {
        if (i && at + 1 < cap) buf[at++] = ' ';
        at = gen(buf, at, cap, depth - 1);
    }
    if (at + 1 < cap) buf[at++] = ')';
    return at;
}

static struct pnode *parse(struct arena *a, const char **pp) {
    const char *p = *pp;
    while (*p == ' ') p++;
    struct pnode *n = arena_alloc(a, sizeof *n);
    n->first_child = n->next_sibling = NULL;
    n->tok = p;
    if (*p == '(') {
        n->kind = 0;
        p++;
        struct pnode **tail = &n->first_child;
        for (;;) {
            while (*p == ' ') p++;
            if (*p == ')' || *p == '\0') break;
            *tail = parse(a, &p);
            tail = &(*tail)->next_sibling;
        }
        if (*p == ')') p++;
        n->toklen = (int)(p - n->tok);
    } else {
        n->kind = 1;
        while (*p && *p != ' ' && *p != '(' && *p != ')') p++;
        n->toklen = (int)(p - n->tok);
    }
    *pp = p;
    return n;
}

static long eval(const struct pnode *n) {
    if (n->kind == 1) return n->toklen * 3 + (n->tok[0] >= '0' && n->tok[0] <= '9');
    long s = 1;
    for (const struct pnode *c = n->first_child; c; c = c->next_sibling) s = (s * 7 + eval(c)) % 1000003;
    return s;
}

int main(void) {
    struct arena *a = calloc(1, sizeof *a); // site: arena
    long total = 0, bytes = 0;
    for (int r = 0; r < REQUESTS; r++) {
        struct request *req = calloc(1, sizeof *req); // site: request
        req->id = r;
        size_t cap = 3000 + rnd() % 5000;
        req->text = malloc(cap); // site: req_text
        size_t len = gen(req->text, 0, cap - 1, 7);
        req->text[len] = '\0';
        bytes += (long)len;
        const char *p = req->text;
        req->root = parse(a, &p);
        req->summary = malloc(64); // site: summary
        snprintf(req->summary, 64, "req=%d kind=%d len=%d", r, req->root->kind, req->root->toklen);
        total = (total * 13 + eval(req->root) + (long)strlen(req->summary)) % 1000000007;
        req->root = NULL;
        free(req->summary);
        req->summary = NULL;
        arena_reset(a);
        free(req->text);
        req->text = NULL;
        free(req);
    }
    printf("requests=%d bytes=%ld fresh_chunks=%ld reused=%ld total=%ld\n", REQUESTS, bytes, a->fresh, a->reused, total);
    free(a->spare);
    free(a);
    return 0;
}
