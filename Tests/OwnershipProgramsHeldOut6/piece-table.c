/* A text editor's document as a piece table (Bravo / VS Code style): the original text is
 * one read-only buffer; inserted text is appended to add chunks (fixed 4000-byte blocks on
 * a newest-first list, never moved or grown); the document is a doubly linked list of
 * pieces (head and tail in the document), each pointing into the MIDDLE of the original
 * buffer or of an add chunk. Inserts split a piece in two around a new piece (or extend
 * the piece that ends at the append point); deletes trim, split and unlink pieces. A hint
 * pointer remembers the last piece found (cleared before that piece is freed). When the
 * list grows past 150 pieces the document is flattened: the text is copied into a fresh
 * original buffer, and every piece, every add chunk and the old original are freed. At
 * the end the document is freed the same way. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_TEXT 4000

struct piece {
    struct piece *prev, *next;
    const char *start;
    size_t len;
};

struct addchunk {
    struct addchunk *next;
    size_t used;
    char text[CHUNK_TEXT];
};

struct doc {
    char *orig;
    size_t origlen;
    struct addchunk *chunks;
    struct piece *head, *tail;
    struct piece *hint;
    size_t hintpos;
    size_t len;
    long npieces, flattens, nchunks;
};

static unsigned long rng = 12345;
static unsigned long next_rand(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return rng >> 33;
}

static struct piece *piece_new(struct doc *d, const char *start, size_t len) {
    struct piece *p = malloc(sizeof *p); // site: piece
    p->prev = p->next = NULL;
    p->start = start;
    p->len = len;
    d->npieces++;
    return p;
}

static void link_after(struct doc *d, struct piece *at, struct piece *p) {
    p->prev = at;
    p->next = at ? at->next : d->head;
    if (p->next) p->next->prev = p;
    else d->tail = p;
    if (at) at->next = p;
    else d->head = p;
}

static void unlink_free(struct doc *d, struct piece *p) {
    if (d->hint == p) d->hint = NULL;
    if (p->prev) p->prev->next = p->next;
    else d->head = p->next;
    if (p->next) p->next->prev = p->prev;
    else d->tail = p->prev;
    p->prev = p->next = NULL;
    free(p);
    d->npieces--;
}

/* Appends text to the add chunks and returns where it landed. */
static const char *add_text(struct doc *d, const char *s, size_t n) {
    if (!d->chunks || d->chunks->used + n > CHUNK_TEXT) {
        struct addchunk *c = malloc(sizeof *c); // site: addchunk
        c->used = 0;
        c->next = d->chunks;
        d->chunks = c;
        d->nchunks++;
    }
    char *at = d->chunks->text + d->chunks->used;
    memcpy(at, s, n);
    d->chunks->used += n;
    return at;
}

/* Finds the piece holding position pos (pos < len); *off receives the offset in it. */
static struct piece *find(struct doc *d, size_t pos, size_t *off) {
    struct piece *p = d->head;
    size_t base = 0;
    if (d->hint && d->hintpos <= pos) {
        p = d->hint;
        base = d->hintpos;
    }
    while (p && base + p->len <= pos) {
        base += p->len;
        p = p->next;
    }
    d->hint = p;
    d->hintpos = base;
    *off = pos - base;
    return p;
}

static void doc_insert(struct doc *d, size_t pos, const char *s, size_t n) {
    const char *text = add_text(d, s, n);
    d->len += n;
    if (pos == d->len - n) {
        if (d->tail && d->tail->start + d->tail->len == text) d->tail->len += n;
        else link_after(d, d->tail, piece_new(d, text, n));
        d->hint = NULL;
        return;
    }
    size_t off;
    struct piece *p = find(d, pos, &off);
    d->hint = NULL;
    if (off == 0) {
        if (p->prev && p->prev->start + p->prev->len == text) p->prev->len += n;
        else link_after(d, p->prev, piece_new(d, text, n));
        return;
    }
    struct piece *right = piece_new(d, p->start + off, p->len - off);
    p->len = off;
    link_after(d, p, right);
    link_after(d, p, piece_new(d, text, n));
}

static void doc_delete(struct doc *d, size_t pos, size_t n) {
    if (pos >= d->len) return;
    if (pos + n > d->len) n = d->len - pos;
    size_t off;
    struct piece *p = find(d, pos, &off);
    d->hint = NULL;
    d->len -= n;
    if (off > 0) {
        if (off + n < p->len) {
            struct piece *right = piece_new(d, p->start + off + n, p->len - off - n);
            p->len = off;
            link_after(d, p, right);
            return;
        }
        n -= p->len - off;
        p->len = off;
        p = p->next;
    }
    while (n > 0) {
        if (n >= p->len) {
            struct piece *next = p->next;
            n -= p->len;
            unlink_free(d, p);
            p = next;
        } else {
            p->start += n;
            p->len -= n;
            n = 0;
        }
    }
}

static void free_pieces_and_chunks(struct doc *d) {
    while (d->head) unlink_free(d, d->head);
    while (d->chunks) {
        struct addchunk *c = d->chunks;
        d->chunks = c->next;
        free(c);
        d->nchunks--;
    }
}

static void flatten(struct doc *d) {
    char *flat = malloc(d->len + 1); // site: orig_flat
    size_t at = 0;
    for (struct piece *p = d->head; p; p = p->next) {
        memcpy(flat + at, p->start, p->len);
        at += p->len;
    }
    flat[at] = 0;
    free_pieces_and_chunks(d);
    free(d->orig);
    d->orig = flat;
    d->origlen = at;
    if (at) link_after(d, NULL, piece_new(d, flat, at));
    d->flattens++;
}

static unsigned long checksum(const struct doc *d) {
    unsigned long h = 1469598103934665603UL;
    for (const struct piece *p = d->head; p; p = p->next)
        for (size_t i = 0; i < p->len; i++) h = (h ^ (unsigned char)p->start[i]) * 1099511628211UL;
    return h;
}

int main(void) {
    static const char *words[] = {"lorem ", "ipsum ", "dolor ", "sit ", "amet, ", "consectetur ", "adipiscing ", "elit.\n"};
    struct doc *d = calloc(1, sizeof *d); // site: doc
    size_t n0 = 6000;
    d->orig = malloc(n0 + 1); // site: orig
    for (size_t i = 0; i < n0; i++) d->orig[i] = (char)('a' + (i * 7) % 26);
    d->orig[n0] = 0;
    d->origlen = d->len = n0;
    link_after(d, NULL, piece_new(d, d->orig, n0));
    long inserts = 0, deletes = 0;
    unsigned long peeked = 0;
    for (int step = 0; step < 6000; step++) {
        unsigned long r = next_rand();
        if (r % 10 < 6 || d->len < 100) {
            const char *w = words[(r >> 4) % 8];
            size_t pos = (r % 5 == 0) ? d->len : (size_t)((r >> 8) % (d->len + 1));
            doc_insert(d, pos, w, strlen(w));
            inserts++;
        } else if (r % 10 < 9) {
            doc_delete(d, (size_t)((r >> 8) % d->len), 1 + (r >> 20) % 12);
            deletes++;
        } else {
            for (size_t pos = (size_t)((r >> 8) % d->len), k = 0; k < 30 && pos < d->len; k++, pos++) {
                size_t off;
                peeked += (unsigned char)find(d, pos, &off)->start[off];
            }
        }
        if (d->npieces > 150) flatten(d);
    }
    printf("%ld %ld %lu %zu %ld %ld %lu\n", inserts, deletes, peeked, d->len, d->npieces, d->flattens, checksum(d));
    free_pieces_and_chunks(d);
    free(d->orig);
    free(d);
    return 0;
}
