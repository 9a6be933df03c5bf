/* An HTTP/1.1 server's connection handling with pipelining: bytes arrive in fragments of
 * arbitrary size and are appended to the connection's input buffer (grown with realloc).
 * A parser takes complete header blocks off the front: it allocates the request (method
 * and target strings, a header array of name/value string pairs grown with realloc) and
 * then collects the body, as declared by Content-Length, in a linked list of chunks (one
 * per fragment that carried body bytes). Complete requests queue on the connection in
 * arrival order; a dispatcher turns the oldest into a response, which takes over the
 * request (freed with the response) and owns its body text; responses wait on an output
 * list until they are written. Connections close mid-way (everything they hold is freed,
 * their slot cleared) and new ones take their place. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXCONN 6

struct header {
    char *name;
    char *value;
};

struct chunk {
    struct chunk *next;
    size_t len;
    char data[];
};

struct request {
    long id;
    char *method;
    char *target;
    struct header *headers;
    size_t nheaders, hcap;
    size_t content_length, body_len;
    struct chunk *body_head, *body_tail;
    struct request *next;
};

struct response {
    struct response *next;
    struct request *req;
    int status;
    char *body;
    size_t len;
};

struct conn {
    int fd;
    char *inbuf;
    size_t inlen, incap;
    struct request *cur;
    struct request *q_head, *q_tail;
    struct response *out_head, *out_tail;
    char pending[1024];
    size_t plen, ppos;
    long next_id, served;
};

static char *dup_n(const char *s, size_t n) {
    char *p = malloc(n + 1); // site: target
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

static void request_free(struct request *r) {
    for (size_t i = 0; i < r->nheaders; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    free(r->headers);
    for (struct chunk *c = r->body_head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(r->method);
    free(r->target);
    free(r);
}

static void consume(struct conn *c, size_t n) {
    memmove(c->inbuf, c->inbuf + n, c->inlen - n);
    c->inlen -= n;
}

static void add_header(struct request *r, const char *line, size_t n) {
    const char *colon = memchr(line, ':', n);
    if (!colon) return;
    if (r->nheaders == r->hcap) {
        r->hcap *= 2;
        r->headers = realloc(r->headers, r->hcap * sizeof *r->headers); // site: headers_grown
    }
    struct header *h = &r->headers[r->nheaders++];
    size_t klen = (size_t)(colon - line);
    h->name = malloc(klen + 1); // site: hname
    for (size_t i = 0; i < klen; i++) h->name[i] = (char)(line[i] | 0x20);
    h->name[klen] = 0;
    const char *v = colon + 1;
    while (*v == ' ') v++;
    size_t vlen = n - (size_t)(v - line);
    h->value = malloc(vlen + 1); // site: hvalue
    memcpy(h->value, v, vlen);
    h->value[vlen] = 0;
    if (strcmp(h->name, "content-length") == 0) r->content_length = strtoul(h->value, NULL, 10);
}

static struct request *parse_head(struct conn *c, size_t head_len) {
    struct request *r = calloc(1, sizeof *r); // site: request
    r->id = c->next_id++;
    r->hcap = 4;
    r->headers = malloc(r->hcap * sizeof *r->headers); // site: headers
    const char *line = c->inbuf, *end = c->inbuf + head_len;
    const char *eol = strstr(line, "\r\n");
    const char *sp1 = memchr(line, ' ', (size_t)(eol - line));
    const char *sp2 = memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1));
    r->method = malloc((size_t)(sp1 - line) + 1); // site: method
    memcpy(r->method, line, (size_t)(sp1 - line));
    r->method[sp1 - line] = 0;
    r->target = dup_n(sp1 + 1, (size_t)(sp2 - sp1 - 1));
    for (line = eol + 2; line < end; line = eol + 2) {
        eol = strstr(line, "\r\n");
        if (eol == line) break;
        add_header(r, line, (size_t)(eol - line));
    }
    return r;
}

static void enqueue(struct conn *c, struct request *r) {
    if (c->q_tail) c->q_tail->next = r;
    else c->q_head = r;
    c->q_tail = r;
}

static void parse(struct conn *c) {
    for (;;) {
        if (!c->cur) {
            c->inbuf[c->inlen] = 0;
            char *blank = strstr(c->inbuf, "\r\n\r\n");
            if (!blank) return;
            size_t head_len = (size_t)(blank - c->inbuf) + 4;
            c->cur = parse_head(c, head_len);
            consume(c, head_len);
        }
        struct request *r = c->cur;
        if (r->body_len < r->content_length) {
            size_t n = r->content_length - r->body_len;
            if (n > c->inlen) n = c->inlen;
            if (n == 0) return;
            struct chunk *ch = malloc(sizeof *ch + n); // site: chunk
            ch->next = NULL;
            ch->len = n;
            memcpy(ch->data, c->inbuf, n);
            if (r->body_tail) r->body_tail->next = ch;
            else r->body_head = ch;
            r->body_tail = ch;
            r->body_len += n;
            consume(c, n);
            if (r->body_len < r->content_length) return;
        }
        c->cur = NULL;
        enqueue(c, r);
    }
}

static void receive(struct conn *c, const char *data, size_t n) {
    if (c->inlen + n + 1 > c->incap) {
        while (c->inlen + n + 1 > c->incap) c->incap *= 2;
        c->inbuf = realloc(c->inbuf, c->incap); // site: inbuf_grown
    }
    memcpy(c->inbuf + c->inlen, data, n);
    c->inlen += n;
    parse(c);
}

static void dispatch(struct conn *c) {
    struct request *r = c->q_head;
    if (!r) return;
    c->q_head = r->next;
    if (!c->q_head) c->q_tail = NULL;
    r->next = NULL;
    struct response *resp = calloc(1, sizeof *resp); // site: response
    resp->req = r;
    resp->status = strcmp(r->method, "POST") == 0 ? 201 : 200;
    resp->body = malloc(160); // site: resp_body
    unsigned long sum = 0;
    for (struct chunk *ch = r->body_head; ch; ch = ch->next)
        for (size_t i = 0; i < ch->len; i++) sum = sum * 33 + (unsigned char)ch->data[i];
    resp->len = (size_t)snprintf(resp->body, 160, "{\"id\":%ld,\"target\":\"%s\",\"headers\":%zu,\"digest\":%lu}", r->id, r->target, r->nheaders, sum % 100000);
    if (c->out_tail) c->out_tail->next = resp;
    else c->out_head = resp;
    c->out_tail = resp;
}

static size_t flush(struct conn *c) {
    size_t bytes = 0;
    while (c->out_head) {
        struct response *resp = c->out_head;
        c->out_head = resp->next;
        bytes += resp->len + (size_t)resp->status;
        c->served++;
        request_free(resp->req);
        free(resp->body);
        free(resp);
    }
    c->out_tail = NULL;
    return bytes;
}

static struct conn *conn_open(int fd) {
    struct conn *c = calloc(1, sizeof *c); // site: conn
    c->fd = fd;
    c->incap = 256;
    c->inbuf = malloc(c->incap); // site: inbuf
    return c;
}

static long conn_close(struct conn *c) {
    flush(c);
    for (struct request *r = c->q_head, *next; r; r = next) {
        next = r->next;
        request_free(r);
    }
    if (c->cur) request_free(c->cur);
    long served = c->served;
    free(c->inbuf);
    free(c);
    return served;
}

static void generate(struct conn *c, unsigned r) {
    static const char *paths[] = {"/index.html", "/api/v2/orders", "/api/v2/users/42/avatar", "/static/app.js", "/healthz"};
    int post = r % 3 == 0;
    size_t body = post ? 20 + (r >> 4) % 300 : 0;
    int n = snprintf(c->pending, sizeof c->pending, "%s %s?q=%u HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: loadgen/1.0\r\nAccept: */*\r\nX-Request-Id: %u\r\n", post ? "POST" : "GET", paths[(r >> 8) % 5], r % 1000, r);
    if ((r >> 12) % 2) n += snprintf(c->pending + n, sizeof c->pending - (size_t)n, "Cookie: session=%08x; theme=dark\r\nAccept-Encoding: gzip\r\n", r);
    if (post) n += snprintf(c->pending + n, sizeof c->pending - (size_t)n, "Content-Type: application/json\r\nContent-Length: %zu\r\n", body);
    n += snprintf(c->pending + n, sizeof c->pending - (size_t)n, "\r\n");
    for (size_t i = 0; i < body; i++) c->pending[n + (int)i] = (char)('a' + (r + i) % 26);
    c->plen = (size_t)n + body;
    c->ppos = 0;
}

int main(void) {
    struct conn **conns = calloc(MAXCONN, sizeof *conns); // site: conns
    for (int i = 0; i < MAXCONN; i++) conns[i] = conn_open(i);
    unsigned seed = 31337;
    size_t bytes = 0;
    long served = 0, opened = MAXCONN;
    for (int step = 0; step < 20000; step++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 8;
        int i = (int)(r % MAXCONN);
        struct conn *c = conns[i];
        if (c->ppos == c->plen) generate(c, r * 2654435761u);
        size_t n = 1 + (r >> 4) % 180;
        if (n > c->plen - c->ppos) n = c->plen - c->ppos;
        receive(c, c->pending + c->ppos, n);
        c->ppos += n;
        if ((r >> 10) % 3 == 0) dispatch(c);
        if ((r >> 14) % 7 == 0) bytes += flush(c);
        if ((r >> 17) % 400 == 0) {
            served += conn_close(c);
            conns[i] = NULL;
            conns[i] = conn_open((int)opened++);
        }
    }
    for (int i = 0; i < MAXCONN; i++) {
        served += conn_close(conns[i]);
        conns[i] = NULL;
    }
    free(conns);
    printf("%zu %ld %ld\n", bytes, served, opened);
    return 0;
}
