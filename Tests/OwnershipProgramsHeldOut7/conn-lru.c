/* A server's connection table with keep-alive: a slot table (fixed size) owns the open
 * connections; idle connections are also threaded on an LRU list (head and tail in the
 * server, prev/next links in the connections) that does not own them: when a new client
 * arrives and the table is full, the least recently used idle connection is unlinked,
 * its slot cleared and it is closed. Each connection owns a receive buffer (grown by
 * realloc when a request does not fit) and a ring of up to eight outgoing messages
 * (pointers inline in the connection, freed as they are sent). Closing a connection
 * parks its receive buffer in the server's buffer ring (a separate array of pointers)
 * for the next connection to reuse, or frees it when the ring is full. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSLOTS 48
#define NRING 8
#define NBUF 12

struct msg {
    size_t len;
    char body[40];
};

struct conn {
    int id;
    int busy;
    struct conn *lru_prev, *lru_next;
    char *rx;
    size_t rx_cap, rx_len;
    struct msg *out[NRING];
    unsigned out_head, out_count;
};

struct server {
    struct conn **slots;
    int nopen;
    struct conn *lru_head, *lru_tail; /* head = most recently used */
    char **bufring;
    int nbufs;
    long sent, closed, evicted;
};

static unsigned long rng = 7;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static void lru_unlink(struct server *s, struct conn *c) {
    if (c->lru_prev) c->lru_prev->lru_next = c->lru_next;
    else if (s->lru_head == c) s->lru_head = c->lru_next;
    if (c->lru_next) c->lru_next->lru_prev = c->lru_prev;
    else if (s->lru_tail == c) s->lru_tail = c->lru_prev;
    c->lru_prev = c->lru_next = NULL;
}

static void lru_push(struct server *s, struct conn *c) {
    c->lru_prev = NULL;
    c->lru_next = s->lru_head;
    if (s->lru_head) s->lru_head->lru_prev = c;
    else s->lru_tail = c;
    s->lru_head = c;
}

static void close_slot(struct server *s, int slot) {
    struct conn *c = s->slots[slot];
    s->slots[slot] = NULL;
    if (!c->busy) lru_unlink(s, c);
    while (c->out_count) {
        free(c->out[c->out_head % NRING]);
        c->out[c->out_head % NRING] = NULL;
        c->out_head++;
        c->out_count--;
    }
    if (s->nbufs < NBUF) {
        s->bufring[s->nbufs++] = c->rx;
    } else {
        free(c->rx);
    }
    c->rx = NULL;
    free(c);
    s->nopen--;
    s->closed++;
}

static void accept_conn(struct server *s, int id) {
    if (s->nopen == NSLOTS) {
        struct conn *victim = s->lru_tail;
        if (!victim) return;
        for (int i = 0; i < NSLOTS; i++)
            if (s->slots[i] == victim) {
                close_slot(s, i);
                break;
            }
        s->evicted++;
    }
    struct conn *c = calloc(1, sizeof *c); // site: conn
    c->id = id;
    if (s->nbufs > 0) {
        c->rx = s->bufring[--s->nbufs];
        s->bufring[s->nbufs] = NULL;
        c->rx_cap = 64;
    } else {
        c->rx_cap = 64;
        c->rx = malloc(c->rx_cap); // site: rxbuf
    }
    for (int i = 0; i < NSLOTS; i++)
        if (!s->slots[i]) {
            s->slots[i] = c;
            break;
        }
    s->nopen++;
    lru_push(s, c);
}

static void flush_out(struct server *s, struct conn *c, unsigned n) {
    while (n-- && c->out_count) {
        struct msg *m = c->out[c->out_head % NRING];
        c->out[c->out_head % NRING] = NULL;
        c->out_head++;
        c->out_count--;
        s->sent += (long)m->len + m->body[0];
        free(m);
    }
}

static void request(struct server *s, struct conn *c, size_t n) {
    if (!c->busy) {
        lru_unlink(s, c);
        c->busy = 1;
    }
    if (c->rx_len + n > c->rx_cap) {
        size_t cap = c->rx_cap;
        while (cap < c->rx_len + n) cap *= 2;
        c->rx = realloc(c->rx, cap); // site: rxbuf_grown
        c->rx_cap = cap;
    }
    memset(c->rx + c->rx_len, 'r', n);
    c->rx_len += n;
    if (c->out_count == NRING) flush_out(s, c, 2);
    struct msg *m = malloc(sizeof *m); // site: msg
    m->len = c->rx_len;
    snprintf(m->body, sizeof m->body, "HTTP/1.1 200 OK %d", c->id);
    c->out[(c->out_head + c->out_count) % NRING] = m;
    c->out_count++;
}

static void go_idle(struct server *s, struct conn *c) {
    flush_out(s, c, NRING);
    c->rx_len = 0;
    if (c->busy) {
        c->busy = 0;
        lru_push(s, c);
    }
}

int main(void) {
    struct server *s = calloc(1, sizeof *s); // site: server
    s->slots = calloc(NSLOTS, sizeof *s->slots); // site: slots
    s->bufring = calloc(NBUF, sizeof *s->bufring); // site: bufring
    int next_id = 0;
    for (int step = 0; step < 6000; step++) {
        unsigned op = rnd() % 20;
        if (op < 3) {
            accept_conn(s, next_id++);
        } else {
            int slot = (int)(rnd() % NSLOTS);
            struct conn *c = s->slots[slot];
            if (!c) continue;
            if (op < 12) request(s, c, 20 + rnd() % 100);
            else if (op < 18) go_idle(s, c);
            else close_slot(s, slot);
        }
    }
    printf("accepted=%d open=%d closed=%ld evicted=%ld sent=%ld\n", next_id, s->nopen, s->closed, s->evicted, s->sent);
    for (int i = 0; i < NSLOTS; i++)
        if (s->slots[i]) close_slot(s, i);
    for (int i = 0; i < s->nbufs; i++) free(s->bufring[i]);
    free(s->bufring);
    free(s->slots);
    free(s);
    return 0;
}
