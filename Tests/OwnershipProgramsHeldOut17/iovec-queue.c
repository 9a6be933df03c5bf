/* Output queue of a network server, gathered writev-style: a boxed queue owns an iovec
 * array and a parallel array of owned base pointers (both calloc'ed for 4 and doubled by
 * realloc). Entries point at heap copies of body chunks (owned: the base array keeps
 * the original pointer, the iovec may point into the middle after a short write), at
 * header lines inside one header block the queue owns, or at static strings (borrowed).
 * A simulated socket accepts a limited number of bytes per flush. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

struct outq {
    struct iovec *iov;
    char **own;
    int head, n, cap, grows;
    char *hdr;
    char sink[4096];
    size_t sunk;
};

static void push(struct outq *q, void *base, size_t len, char *owned) {
    if (q->n == q->cap) {
        q->cap *= 2;
        q->iov = realloc(q->iov, (size_t)q->cap * sizeof *q->iov); // site: iov_grown
        q->own = realloc(q->own, (size_t)q->cap * sizeof *q->own); // site: own_grown
        q->grows++;
    }
    q->iov[q->n].iov_base = base;
    q->iov[q->n].iov_len = len;
    q->own[q->n] = owned;
    q->n++;
}

static void push_copy(struct outq *q, const char *text) {
    size_t len = strlen(text);
    char *c = malloc(len); // site: chunk
    memcpy(c, text, len);
    push(q, c, len, c);
}

static void push_static(struct outq *q, const char *text) {
    push(q, (void *)text, strlen(text), NULL);
}

static void start_response(struct outq *q, int status, size_t body) {
    free(q->hdr);
    q->hdr = malloc(128); // site: hdr
    int l1 = snprintf(q->hdr, 128, "HTTP/1.1 %d OK\r\n", status);
    int l2 = snprintf(q->hdr + l1, 128 - (size_t)l1, "Content-Length: %zu\r\n\r\n", body);
    push(q, q->hdr, (size_t)l1, NULL);
    push(q, q->hdr + l1, (size_t)l2, NULL);
}

/* The socket takes at most `limit` bytes; fully written entries are dropped (owned
 * chunks freed), a partly written entry is advanced in place. */
static size_t flush(struct outq *q, size_t limit) {
    size_t done = 0;
    while (q->head < q->n && done < limit) {
        struct iovec *v = &q->iov[q->head];
        size_t take = v->iov_len < limit - done ? v->iov_len : limit - done;
        memcpy(q->sink + q->sunk, v->iov_base, take);
        q->sunk += take;
        done += take;
        v->iov_base = (char *)v->iov_base + take;
        v->iov_len -= take;
        if (v->iov_len == 0) {
            free(q->own[q->head]);
            q->own[q->head] = NULL;
            q->head++;
        }
    }
    if (q->head == q->n) q->head = q->n = 0;
    return done;
}

int main(void) {
    struct outq *q = calloc(1, sizeof *q); // site: outq
    q->cap = 4;
    q->iov = calloc((size_t)q->cap, sizeof *q->iov); // site: iov
    q->own = calloc((size_t)q->cap, sizeof *q->own); // site: own
    const char *bodies[3][3] = {
        {"<html><body>", "first page, generated for the held-out test", "</body></html>\n"},
        {"{\"items\": [1, 2, 3], ", "\"note\": \"second response body\"", "}\n"},
        {"plain text line one\n", "plain text line two, somewhat longer than the first\n", "end\n"},
    };
    int flushes = 0;
    for (int r = 0; r < 3; r++) {
        size_t body = 0;
        for (int k = 0; k < 3; k++) body += strlen(bodies[r][k]);
        start_response(q, 200 + r, body);
        push_static(q, bodies[r][0]);
        push_copy(q, bodies[r][1]);
        push_static(q, bodies[r][2]);
        while (q->n) {
            size_t w = flush(q, 23 + (size_t)r * 11);
            flushes++;
            if (flushes % 5 == 0) printf("flush %2d wrote %zu, %d entries pending\n", flushes, w, q->n - q->head);
        }
    }
    printf("flushes %d, array grows %d, bytes %zu\n", flushes, q->grows, q->sunk);
    fwrite(q->sink, 1, q->sunk, stdout);
    free(q->hdr);
    free(q->iov);
    free(q->own);
    free(q);
    return 0;
}
