/* Dial's bucket queue for small integer priorities (shortest-path style). A boxed queue
 * owns an array of 64 bucket heads (calloc) and a handle table (calloc) indexed by item
 * id. Each bucket is a doubly linked list of items: the bucket head owns the first
 * item, `next` owns the following one, `prev` is a back link. Items own a label string.
 * The handle table points at live items (cleared when an item is popped). Decrease-key
 * unlinks an item from its bucket and pushes it onto a lower one; pop-min takes the
 * first item of the lowest non-empty bucket and frees it. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NB 64
#define MAXID 512

struct item {
    int id, prio;
    char *label;
    struct item *next, *prev;
};

struct bq {
    struct item **buckets;
    struct item **handles;
    int count, lowest;
};

static unsigned long rng = 777;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static void link_in(struct bq *q, struct item *it) {
    it->prev = NULL;
    it->next = q->buckets[it->prio];
    if (it->next) it->next->prev = it;
    q->buckets[it->prio] = it;
    if (it->prio < q->lowest) q->lowest = it->prio;
}

static void unlink_it(struct bq *q, struct item *it) {
    if (it->prev)
        it->prev->next = it->next;
    else
        q->buckets[it->prio] = it->next;
    if (it->next) it->next->prev = it->prev;
    it->next = it->prev = NULL;
}

static void push(struct bq *q, int id, int prio) {
    struct item *it = malloc(sizeof *it); // site: item
    char buf[48];
    snprintf(buf, sizeof buf, "vertex %d reached at distance %d", id, prio);
    it->label = strdup(buf); // site: label
    it->id = id;
    it->prio = prio;
    link_in(q, it);
    q->handles[id] = it;
    q->count++;
}

static void decrease(struct bq *q, int id, int prio) {
    struct item *it = q->handles[id];
    if (prio >= it->prio) return;
    unlink_it(q, it);
    it->prio = prio;
    link_in(q, it);
}

static long pop_min(struct bq *q) {
    while (q->buckets[q->lowest] == NULL) q->lowest++;
    struct item *it = q->buckets[q->lowest];
    unlink_it(q, it);
    q->handles[it->id] = NULL;
    q->count--;
    long v = (long)it->id * 3 + it->prio + (long)strlen(it->label);
    free(it->label);
    free(it);
    return v;
}

int main(void) {
    struct bq *q = malloc(sizeof *q); // site: bq
    q->buckets = calloc(NB, sizeof *q->buckets); // site: buckets
    q->handles = calloc(MAXID, sizeof *q->handles); // site: handles
    q->count = 0;
    q->lowest = NB;
    long sum = 0;
    int pops = 0, decs = 0;
    for (int step = 0; step < 20000; step++) {
        unsigned r = rnd() % 10;
        int id = (int)(rnd() % MAXID);
        if (r < 4 && q->handles[id] == NULL) {
            int base = q->lowest < NB ? q->lowest : 0;
            push(q, id, base + (int)(rnd() % (unsigned)(NB - base)));
        } else if (r < 7 && q->handles[id] != NULL) {
            decs++;
            int np = q->handles[id]->prio - (int)(rnd() % 8);
            decrease(q, id, np < 0 ? 0 : np);
        } else if (q->count > 0 && r >= 8) {
            sum += pop_min(q);
            pops++;
            if (q->count == 0) q->lowest = NB;
        }
        if (step % 5000 == 4999) printf("step %d: %d queued, %d pops, %d decreases, sum %ld\n", step + 1, q->count, pops, decs, sum);
    }
    while (q->count > 0) sum += pop_min(q);
    printf("drained, sum %ld\n", sum);
    free(q->handles);
    free(q->buckets);
    free(q);
    return 0;
}
