/* TCP receive-side reassembly: a boxed stream owns an in-order byte buffer (malloc'ed
 * for 16, doubled by realloc) and a sequence-sorted singly linked list of out-of-order
 * segments (the head owns the first segment, `next` owns the rest); segments own their
 * payload copies. Arriving segments are queued, delivered (appended to the buffer, then
 * freed) or dropped as duplicates; the application reads from the front of the buffer
 * (memmove). No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seg { struct seg *next; unsigned seq, len; char *data; };
struct stream { unsigned next_seq; struct seg *ooo; char *buf; size_t len, cap; int grows, queued, dropped; };

static void deliver(struct stream *s, const char *data, unsigned len) {
    while (s->len + len > s->cap) {
        s->cap *= 2;
        s->buf = realloc(s->buf, s->cap); // site: buf_grown
        s->grows++;
    }
    memcpy(s->buf + s->len, data, len);
    s->len += len;
    s->next_seq += len;
}

static void free_seg(struct seg *g) {
    free(g->data);
    free(g);
}

static void arrive(struct stream *s, unsigned seq, const char *text) {
    struct seg *g = malloc(sizeof *g); // site: seg
    g->seq = seq;
    g->len = (unsigned)strlen(text);
    g->data = malloc(g->len); // site: seg_data
    memcpy(g->data, text, g->len);
    g->next = NULL;
    if (seq + g->len <= s->next_seq) { /* old retransmission */
        s->dropped++;
        free_seg(g);
        return;
    }
    struct seg **pp = &s->ooo;
    while (*pp && (*pp)->seq < seq) pp = &(*pp)->next;
    if (*pp && (*pp)->seq == seq) { /* duplicate of a queued segment */
        s->dropped++;
        free_seg(g);
        return;
    }
    g->next = *pp;
    *pp = g;
    s->queued++;
    while (s->ooo && s->ooo->seq <= s->next_seq) {
        struct seg *h = s->ooo;
        s->ooo = h->next;
        unsigned skip = s->next_seq - h->seq;
        if (skip < h->len) deliver(s, h->data + skip, h->len - skip);
        free_seg(h);
    }
}

static void app_read(struct stream *s, size_t n) {
    if (n > s->len) n = s->len;
    printf("read %2zu: %.*s\n", n, (int)n, s->buf);
    memmove(s->buf, s->buf + n, s->len - n);
    s->len -= n;
}

int main(void) {
    const char *msg = "The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs.";
    unsigned total = (unsigned)strlen(msg);
    struct stream *s = calloc(1, sizeof *s); // site: stream
    s->cap = 16;
    s->buf = malloc(s->cap); // site: buf
    /* segments of 9 bytes, arriving out of order with two duplicates and one old one */
    int order[] = {1, 0, 3, 4, 2, 2, 6, 5, 0, 8, 9, 7, 4};
    char piece[16];
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        unsigned seq = (unsigned)order[i] * 9;
        if (seq >= total) continue;
        unsigned len = total - seq < 9 ? total - seq : 9;
        memcpy(piece, msg + seq, len);
        piece[len] = '\0';
        arrive(s, seq, piece);
        if (i == 5 || i == 9) app_read(s, 20);
    }
    int pending = 0;
    for (struct seg *g = s->ooo; g; g = g->next) pending++;
    printf("next_seq %u of %u, pending %d, queued %d, dropped %d, buffer grows %d\n", s->next_seq, total, pending,
           s->queued, s->dropped, s->grows);
    arrive(s, 72, msg + 72);
    app_read(s, s->len);
    while (s->ooo) {
        struct seg *h = s->ooo;
        s->ooo = h->next;
        free_seg(h);
    }
    free(s->buf);
    free(s);
    return 0;
}
