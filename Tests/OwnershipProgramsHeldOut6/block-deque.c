/* Per-connection outboxes as deques of fixed blocks (the std::deque layout, in C): each
 * deque has a map (an array of block pointers, grown by realloc to twice its size when a
 * push runs off either end; growing at the front moves the block pointers up) and blocks
 * of 64 message pointers; slot i of the deque lives in map[i / 64]->slot[i % 64]. A block
 * is taken when a push enters it and given back when a pop leaves it: the deque keeps one
 * given-back block as its spare and frees the others. Each deque also caches a pointer to
 * its front slot (into the middle of a block). The eight deques sit inline in one array.
 * Messages own their body. Normal messages are pushed at the back, urgent ones at the
 * front; the sender pops from the front and frees what it sends, a cancel pops from the
 * back, and a rebalance moves messages (the same blocks) from the longest outbox to the
 * shortest. At the end every deque is drained and freed. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 64
#define NQ 8

struct msg {
    long seq;
    int urgent;
    size_t len;
    char *body;
};

struct block {
    struct msg *slot[BLOCK];
};

struct deque {
    struct block **map;
    size_t mapcap;
    size_t begin, end;
    struct block *spare;
    struct msg **front;
    long blocks_taken, map_grows;
};

static unsigned long rng = 99991;
static unsigned long next_rand(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return rng >> 33;
}

static struct block *get_block(struct deque *q) {
    struct block *b = q->spare;
    if (b) {
        q->spare = NULL;
        return b;
    }
    q->blocks_taken++;
    return calloc(1, sizeof(struct block)); // site: block
}

static void put_block(struct deque *q, size_t bi) {
    struct block *b = q->map[bi];
    q->map[bi] = NULL;
    if (!q->spare) q->spare = b;
    else free(b);
}

static void grow_map(struct deque *q, int at_front) {
    size_t old = q->mapcap;
    q->map = realloc(q->map, 2 * old * sizeof *q->map); // site: map_grown
    q->mapcap = 2 * old;
    q->map_grows++;
    if (at_front) {
        memmove(q->map + old, q->map, old * sizeof *q->map);
        memset(q->map, 0, old * sizeof *q->map);
        q->begin += old * BLOCK;
        q->end += old * BLOCK;
    } else {
        memset(q->map + old, 0, old * sizeof *q->map);
    }
}

static void set_front(struct deque *q) {
    q->front = q->begin == q->end ? NULL : &q->map[q->begin / BLOCK]->slot[q->begin % BLOCK];
}

static void push_back(struct deque *q, struct msg *m) {
    if (q->begin == q->end) q->begin = q->end = (q->mapcap / 2) * BLOCK;
    size_t bi = q->end / BLOCK;
    if (bi >= q->mapcap) {
        grow_map(q, 0);
        bi = q->end / BLOCK;
    }
    if (q->begin == q->end || (q->end - 1) / BLOCK != bi) q->map[bi] = get_block(q);
    q->map[bi]->slot[q->end % BLOCK] = m;
    q->end++;
    set_front(q);
}

static void push_front(struct deque *q, struct msg *m) {
    if (q->begin == q->end) q->begin = q->end = (q->mapcap / 2) * BLOCK;
    if (q->begin == 0) grow_map(q, 1);
    size_t b = q->begin - 1, bi = b / BLOCK;
    if (q->begin == q->end || q->begin / BLOCK != bi) q->map[bi] = get_block(q);
    q->map[bi]->slot[b % BLOCK] = m;
    q->begin = b;
    set_front(q);
}

static struct msg *pop_front(struct deque *q) {
    if (q->begin == q->end) return NULL;
    struct msg **slot = q->front;
    struct msg *m = *slot;
    *slot = NULL;
    q->begin++;
    if (q->begin == q->end || q->begin % BLOCK == 0) put_block(q, (q->begin - 1) / BLOCK);
    set_front(q);
    return m;
}

static struct msg *pop_back(struct deque *q) {
    if (q->begin == q->end) return NULL;
    q->end--;
    struct msg **slot = &q->map[q->end / BLOCK]->slot[q->end % BLOCK];
    struct msg *m = *slot;
    *slot = NULL;
    if (q->begin == q->end || q->end % BLOCK == 0) put_block(q, q->end / BLOCK);
    set_front(q);
    return m;
}

static struct msg *msg_new(long seq, int urgent) {
    struct msg *m = malloc(sizeof *m); // site: msg
    m->seq = seq;
    m->urgent = urgent;
    m->len = 24 + (size_t)(seq * 37 % 200);
    m->body = malloc(m->len); // site: msg_body
    for (size_t i = 0; i < m->len; i++) m->body[i] = (char)('A' + (seq + (long)i) % 26);
    return m;
}

static unsigned long msg_free(struct msg *m) {
    unsigned long sum = (unsigned long)m->seq + (unsigned char)m->body[m->len / 2] + m->len;
    free(m->body);
    free(m);
    return sum;
}

static size_t qlen(const struct deque *q) { return q->end - q->begin; }

int main(void) {
    struct deque *queues = calloc(NQ, sizeof *queues); // site: queues
    for (int i = 0; i < NQ; i++) {
        queues[i].mapcap = 2;
        queues[i].map = calloc(2, sizeof *queues[i].map); // site: map
    }
    long seq = 0, moved = 0;
    unsigned long sent = 0, cancelled = 0;
    for (int step = 0; step < 24000; step++) {
        unsigned long r = next_rand();
        struct deque *q = &queues[(r >> 3) % NQ];
        unsigned phase = (unsigned)(step / 3000) % 2;
        unsigned op = (unsigned)(r % 16);
        if (op < (phase ? 6u : 10u)) {
            push_back(q, msg_new(seq++, 0));
        } else if (op < 11) {
            push_front(q, msg_new(seq++, 1));
        } else if (op < 15) {
            struct msg *m = pop_front(q);
            if (m) sent += msg_free(m);
            if (phase && (m = pop_front(q))) sent += msg_free(m);
        } else if (r % 64 < 48) {
            struct msg *m = pop_back(q);
            if (m) cancelled += msg_free(m);
        } else {
            struct deque *longest = &queues[0], *shortest = &queues[0];
            for (int i = 1; i < NQ; i++) {
                if (qlen(&queues[i]) > qlen(longest)) longest = &queues[i];
                if (qlen(&queues[i]) < qlen(shortest)) shortest = &queues[i];
            }
            while (qlen(longest) > qlen(shortest) + 1) {
                push_back(shortest, pop_back(longest));
                moved++;
            }
        }
    }
    long taken = 0, grows = 0;
    size_t left = 0;
    for (int i = 0; i < NQ; i++) {
        struct deque *q = &queues[i];
        left += qlen(q);
        taken += q->blocks_taken;
        grows += q->map_grows;
        struct msg *m;
        while ((m = pop_front(q))) sent += msg_free(m);
        free(q->spare);
        free(q->map);
    }
    free(queues);
    printf("%ld %zu %ld %ld %ld %lu %lu\n", seq, left, moved, taken, grows, sent, cancelled);
    return 0;
}
