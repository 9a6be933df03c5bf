/* Network reader with reference-counted receive buffers (hand-written count), in the
 * style of Go byte slices or Netty buffers: a boxed reader holds a counted reference to
 * its current buffer (a header block owning a 256-byte data block); framed messages
 * are cut out as slices, each slice holding a counted reference to its buffer and a
 * pointer into the buffer's data. A message (boxed) owns an exact-size slice array; a
 * calloc'ed message table owns the messages. Messages are consumed out of order;
 * buffers are freed when their last reference goes. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf { int refs; size_t len; unsigned char *data; };
struct slice { struct buf *b; const unsigned char *p; size_t len; };
struct msg { int id; int nparts; struct slice *parts; };
struct reader { struct buf *cur; size_t pos; unsigned seed; int made; };

static int live_bufs;

static struct buf *buf_new(unsigned *seed) {
    struct buf *b = malloc(sizeof *b); // site: buf
    b->refs = 1;
    b->len = 256;
    b->data = malloc(256); // site: buf_data
    for (int i = 0; i < 256; i++) { *seed = *seed * 1664525u + 1013904223u; b->data[i] = (unsigned char)(*seed >> 24); }
    live_bufs++;
    return b;
}

static struct buf *buf_ref(struct buf *b) { b->refs++; return b; }

static void buf_unref(struct buf *b) {
    if (--b->refs == 0) {
        free(b->data);
        free(b);
        live_bufs--;
    }
}

/* Cut a message of `want` bytes, spanning buffers as needed. */
static struct msg *read_msg(struct reader *r, int id, size_t want) {
    int n = 0;
    struct slice tmp[8];
    while (want > 0) {
        if (r->pos == r->cur->len) {
            buf_unref(r->cur);
            r->cur = buf_new(&r->seed);
            r->made++;
            r->pos = 0;
        }
        size_t take = r->cur->len - r->pos;
        if (take > want) take = want;
        tmp[n].b = buf_ref(r->cur);
        tmp[n].p = r->cur->data + r->pos;
        tmp[n].len = take;
        n++;
        r->pos += take;
        want -= take;
    }
    struct msg *m = malloc(sizeof *m); // site: msg
    m->id = id;
    m->nparts = n;
    m->parts = calloc((size_t)n, sizeof *m->parts); // site: parts
    memcpy(m->parts, tmp, (size_t)n * sizeof *tmp);
    return m;
}

static unsigned long consume(struct msg *m) {
    unsigned long h = (unsigned long)m->id;
    for (int i = 0; i < m->nparts; i++) {
        for (size_t j = 0; j < m->parts[i].len; j++) h = h * 131 + m->parts[i].p[j];
        buf_unref(m->parts[i].b);
    }
    free(m->parts);
    free(m);
    return h % 1000000007ul;
}

int main(void) {
    enum { NMSG = 120 };
    struct reader *r = malloc(sizeof *r); // site: reader
    r->seed = 12345u;
    r->made = 1;
    r->pos = 0;
    r->cur = buf_new(&r->seed);
    struct msg **table = calloc(NMSG, sizeof *table); // site: msg_table
    unsigned long total = 0;
    int most_live = 0, consumed = 0;
    for (int i = 0; i < NMSG; i++) {
        table[i] = read_msg(r, i, 20 + (size_t)(i * 37) % 300);
        if (live_bufs > most_live) most_live = live_bufs;
        if (i % 3 == 2) {
            int j = i - 2 - (i % 5 == 0);
            if (j >= 0 && table[j]) { total += consume(table[j]); table[j] = NULL; consumed++; }
        }
    }
    for (int i = NMSG - 1; i >= 0; i--)
        if (table[i]) { total += consume(table[i]); table[i] = NULL; }
    printf("buffers %d most live %d early %d checksum %lu live after %d\n", r->made, most_live, consumed, total % 1000003, live_bufs);
    buf_unref(r->cur);
    free(table);
    free(r);
    printf("live at end %d\n", live_bufs);
    return 0;
}
