/* A text editor buffer as a piece table: the document points at an original text block
 * and at a list of append-only add chunks (linked newest last, each with its characters
 * inline); the text is a doubly linked list of pieces (head and tail in the document),
 * each piece pointing at a run of characters inside the original block or inside an add
 * chunk (interior pointers). Inserts append the new characters to the last add chunk (a
 * new chunk when it is full) and split the piece at the insertion point; deletes trim,
 * split or unlink pieces (an unlinked piece is freed). When the list grows past a limit
 * the document is compacted: the whole text is copied into a new original block, and
 * the old pieces, chunks and original are freed. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_CHARS 512

struct chunk {
    struct chunk *next;
    size_t used;
    char data[CHUNK_CHARS];
};

struct piece {
    struct piece *prev, *next;
    const char *start;
    size_t len;
};

struct doc {
    char *orig;
    size_t orig_len;
    struct chunk *add_head, *add_tail;
    struct piece *head, *tail;
    size_t len;
    int npieces;
    int compactions;
};

static unsigned long rng = 99;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static struct piece *new_piece(const char *start, size_t len) {
    struct piece *p = calloc(1, sizeof *p); // site: piece
    p->start = start;
    p->len = len;
    return p;
}

static void link_after(struct doc *d, struct piece *at, struct piece *p) {
    p->prev = at;
    p->next = at ? at->next : d->head;
    if (p->next) p->next->prev = p;
    else d->tail = p;
    if (at) at->next = p;
    else d->head = p;
    d->npieces++;
}

static void unlink_piece(struct doc *d, struct piece *p) {
    if (p->prev) p->prev->next = p->next;
    else d->head = p->next;
    if (p->next) p->next->prev = p->prev;
    else d->tail = p->prev;
    p->prev = p->next = NULL;
    d->npieces--;
}

static const char *append_chars(struct doc *d, const char *s, size_t n) {
    if (!d->add_tail || d->add_tail->used + n > CHUNK_CHARS) {
        struct chunk *c = malloc(sizeof *c); // site: chunk
        c->next = NULL;
        c->used = 0;
        if (d->add_tail) d->add_tail->next = c;
        else d->add_head = c;
        d->add_tail = c;
    }
    char *dst = d->add_tail->data + d->add_tail->used;
    memcpy(dst, s, n);
    d->add_tail->used += n;
    return dst;
}

/* Finds the piece containing position pos; splits it so that a piece boundary falls at
 * pos. Returns the piece ending just before pos (NULL for pos 0). */
static struct piece *split_at(struct doc *d, size_t pos) {
    struct piece *p = d->head;
    size_t off = 0;
    while (p && off + p->len <= pos) {
        off += p->len;
        if (off == pos) return p;
        p = p->next;
    }
    if (!p || pos == 0) return NULL;
    size_t k = pos - off;
    struct piece *right = new_piece(p->start + k, p->len - k);
    p->len = k;
    link_after(d, p, right);
    return p;
}

static void insert_text(struct doc *d, size_t pos, const char *s, size_t n) {
    const char *at = append_chars(d, s, n);
    struct piece *before = split_at(d, pos);
    link_after(d, before, new_piece(at, n));
    d->len += n;
}

static void delete_text(struct doc *d, size_t pos, size_t n) {
    if (pos + n > d->len) n = d->len - pos;
    struct piece *before = split_at(d, pos);
    split_at(d, pos + n);
    struct piece *p = before ? before->next : d->head;
    size_t left = n;
    while (left > 0 && p) {
        struct piece *next = p->next;
        left -= p->len;
        unlink_piece(d, p);
        free(p);
        p = next;
    }
    d->len -= n;
}

static void free_pieces_and_chunks(struct doc *d) {
    struct piece *p = d->head;
    d->head = d->tail = NULL;
    while (p) {
        struct piece *next = p->next;
        free(p);
        p = next;
    }
    struct chunk *c = d->add_head;
    d->add_head = d->add_tail = NULL;
    while (c) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    d->npieces = 0;
}

static void compact(struct doc *d) {
    char *text = malloc(d->len + 1); // site: orig_compact
    size_t off = 0;
    for (struct piece *p = d->head; p; p = p->next) {
        memcpy(text + off, p->start, p->len);
        off += p->len;
    }
    text[off] = 0;
    free_pieces_and_chunks(d);
    free(d->orig);
    d->orig = text;
    d->orig_len = off;
    if (off) link_after(d, NULL, new_piece(text, off));
    d->compactions++;
}

static unsigned long checksum(struct doc *d) {
    unsigned long h = 5381;
    for (struct piece *p = d->head; p; p = p->next)
        for (size_t i = 0; i < p->len; i++) h = h * 33 + (unsigned char)p->start[i];
    return h;
}

int main(void) {
    struct doc *d = calloc(1, sizeof *d); // site: doc
    const char *seed = "The quick brown fox jumps over the lazy dog while the editor keeps a piece table. ";
    size_t slen = strlen(seed);
    d->orig_len = slen * 8;
    d->orig = malloc(d->orig_len + 1); // site: orig
    for (int i = 0; i < 8; i++) memcpy(d->orig + (size_t)i * slen, seed, slen);
    d->orig[d->orig_len] = 0;
    link_after(d, NULL, new_piece(d->orig, d->orig_len));
    d->len = d->orig_len;
    const char *words[] = {"alpha ", "beta ", "gamma ", "delta ", "epsilon ", "zeta ", "eta ", "theta "};
    unsigned long sum = 0;
    for (int step = 0; step < 3000; step++) {
        unsigned op = rnd() % 10;
        size_t pos = d->len ? rnd() % (d->len + 1) : 0;
        if (op < 6) {
            const char *w = words[rnd() % 8];
            insert_text(d, pos, w, strlen(w));
        } else if (op < 9 && d->len > 0) {
            delete_text(d, pos < d->len ? pos : d->len - 1, 1 + rnd() % 9);
        }
        if (d->npieces > 150) compact(d);
        if (step % 500 == 499) sum += checksum(d);
    }
    sum += checksum(d);
    printf("len=%zu pieces=%d compactions=%d sum=%lu\n", d->len, d->npieces, d->compactions, sum);
    free_pieces_and_chunks(d);
    free(d->orig);
    free(d);
    return 0;
}
