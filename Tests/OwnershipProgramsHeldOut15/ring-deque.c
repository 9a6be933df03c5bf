/* Request deque for a connection scheduler as a growable ring buffer (like a C
 * VecDeque): a boxed deque owns a slot array of request pointers, calloc'ed for 4
 * and doubled by realloc when full, the wrapped head segment moved to the end
 * of the grown array and the vacated slots zeroed. Requests (owning their URL strings)
 * are pushed and popped at both ends; popped slots are cleared. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct req { int id; int prio; char *url; };
struct deque { struct req **slots; size_t cap, head, len; int grows; };

static void grow(struct deque *d) {
    size_t old = d->cap;
    d->slots = realloc(d->slots, 2 * old * sizeof *d->slots); // site: ring_grown
    memset(d->slots + old, 0, old * sizeof *d->slots);
    d->cap = 2 * old;
    d->grows++;
    if (d->head + d->len > old) {
        /* the part from head to the old end moves to the end of the new array */
        size_t tail_part = old - d->head;
        size_t new_head = d->cap - tail_part;
        memmove(d->slots + new_head, d->slots + d->head, tail_part * sizeof *d->slots);
        memset(d->slots + d->head, 0, (new_head - d->head < tail_part ? new_head - d->head : tail_part) * sizeof *d->slots);
        d->head = new_head;
    }
}

static struct req *make_req(int id) {
    char url[64];
    struct req *r = malloc(sizeof *r); // site: req
    r->id = id;
    r->prio = id % 7;
    snprintf(url, sizeof url, "https://api.example.net/v2/items/%d?page=%d", id * 13, id % 9);
    r->url = strdup(url); // site: req_url
    return r;
}

static void push_back(struct deque *d, struct req *r) {
    if (d->len == d->cap) grow(d);
    d->slots[(d->head + d->len) % d->cap] = r;
    d->len++;
}

static void push_front(struct deque *d, struct req *r) {
    if (d->len == d->cap) grow(d);
    d->head = (d->head + d->cap - 1) % d->cap;
    d->slots[d->head] = r;
    d->len++;
}

static struct req *pop_front(struct deque *d) {
    struct req *r = d->slots[d->head];
    d->slots[d->head] = NULL;
    d->head = (d->head + 1) % d->cap;
    d->len--;
    return r;
}

static struct req *pop_back(struct deque *d) {
    size_t i = (d->head + d->len - 1) % d->cap;
    struct req *r = d->slots[i];
    d->slots[i] = NULL;
    d->len--;
    return r;
}

static unsigned long serve(struct req *r) {
    unsigned long h = (unsigned long)r->id * 31 + (unsigned long)r->prio;
    for (const char *p = r->url; *p; p++) h = h * 33 + (unsigned char)*p;
    free(r->url);
    free(r);
    return h % 1000003;
}

int main(void) {
    struct deque *d = malloc(sizeof *d); // site: deque
    d->cap = 4;
    d->head = 0;
    d->len = 0;
    d->grows = 0;
    d->slots = calloc(4, sizeof *d->slots); // site: ring
    unsigned long sum = 0;
    int id = 0;
    size_t most = 0;
    for (int round = 0; round < 40; round++) {
        int burst = 1 + (round * 7) % 6;
        for (int k = 0; k < burst; k++) {
            struct req *r = make_req(id++);
            if (r->prio == 0) push_front(d, r); else push_back(d, r);
        }
        if (d->len > most) most = d->len;
        int drain = 1 + (round * 5) % 4;
        for (int k = 0; k < drain && d->len > 0; k++)
            sum = sum * 3 + serve(k % 3 == 2 ? pop_back(d) : pop_front(d));
    }
    size_t left = d->len;
    while (d->len > 0) sum = sum * 3 + serve(pop_front(d));
    printf("requests %d most queued %zu left %zu capacity %zu grows %d checksum %lu\n", id, most, left, d->cap, d->grows, sum % 1000000007ul);
    free(d->slots);
    free(d);
    return 0;
}
