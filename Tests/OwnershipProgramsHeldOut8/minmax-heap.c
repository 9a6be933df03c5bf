/* A double-ended priority queue of bids as a min-max heap of pointers: even levels hold
 * minima, odd levels maxima, so both the lowest and the highest bid are at hand. The
 * queue owns the heap array (grown by realloc) and a handle table indexed by bid id
 * (allocated once) pointing at live bids; each bid records its heap position and owns
 * its bidder tag. Operations: insert, pop the minimum, pop the maximum, and withdraw a
 * bid by id (deleted from the middle of the heap). Popped bids are not freed at once:
 * they move onto a settled list (singly linked through `next`, head in the queue) which
 * is drained every 64 operations. A withdrawn bid is freed at once. The heap slot and
 * handle are cleared before a bid leaves the heap. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPS 8000
#define MAXBIDS 8192

struct bid {
    long price;
    int id;
    size_t pos;
    char *tag;
    struct bid *next;
};

struct dpq {
    struct bid **heap;
    size_t n, cap;
    struct bid **handles;
    struct bid *settled;
    long nsettled;
};

static int level_is_min(size_t i) {
    int lvl = 0;
    for (i++; i > 1; i >>= 1) lvl++;
    return lvl % 2 == 0;
}

static int lt(const struct bid *a, const struct bid *b) {
    return a->price < b->price || (a->price == b->price && a->id < b->id);
}

static int before(int min_level, const struct bid *a, const struct bid *b) {
    return min_level ? lt(a, b) : lt(b, a);
}

static void swap(struct dpq *q, size_t i, size_t j) {
    struct bid *t = q->heap[i];
    q->heap[i] = q->heap[j];
    q->heap[j] = t;
    q->heap[i]->pos = i;
    q->heap[j]->pos = j;
}

static void bubble_up_same(struct dpq *q, size_t i, int min_level) {
    while (i >= 3) {
        size_t g = ((i - 1) / 2 - 1) / 2;
        if (!before(min_level, q->heap[i], q->heap[g])) break;
        swap(q, i, g);
        i = g;
    }
}

static void bubble_up(struct dpq *q, size_t i) {
    if (i == 0) return;
    size_t p = (i - 1) / 2;
    int min_level = level_is_min(i);
    if (before(!min_level, q->heap[i], q->heap[p])) {
        swap(q, i, p);
        bubble_up_same(q, p, !min_level);
    } else {
        bubble_up_same(q, i, min_level);
    }
}

static void push_down(struct dpq *q, size_t i) {
    int min_level = level_is_min(i);
    for (;;) {
        size_t m = i, first = 2 * i + 1;
        for (size_t c = first; c < first + 2 && c < q->n; c++) {
            if (m == i || before(min_level, q->heap[c], q->heap[m])) m = c;
            for (size_t g = 2 * c + 1; g < 2 * c + 3 && g < q->n; g++)
                if (before(min_level, q->heap[g], q->heap[m])) m = g;
        }
        if (m == i || !before(min_level, q->heap[m], q->heap[i])) return;
        swap(q, m, i);
        if (m <= first + 1) return;
        size_t p = (m - 1) / 2;
        if (before(min_level, q->heap[p], q->heap[m])) swap(q, m, p);
        i = m;
    }
}

static void insert(struct dpq *q, int id, long price) {
    struct bid *b = calloc(1, sizeof *b); // site: bid
    b->id = id;
    b->price = price;
    char buf[48];
    snprintf(buf, sizeof buf, "bidder-%03d/lot-%05d", id % 211, id);
    b->tag = strdup(buf); // site: tag
    if (q->n == q->cap) {
        q->cap *= 2;
        q->heap = realloc(q->heap, q->cap * sizeof *q->heap); // site: heap_grown
    }
    b->pos = q->n;
    q->heap[q->n++] = b;
    q->handles[id] = b;
    bubble_up(q, b->pos);
}

/* Takes the bid at position k out of the heap; returns it. */
static struct bid *take(struct dpq *q, size_t k) {
    struct bid *b = q->heap[k];
    q->handles[b->id] = NULL;
    q->n--;
    struct bid *last = q->heap[q->n];
    q->heap[q->n] = NULL;
    if (k != q->n) {
        q->heap[k] = last;
        last->pos = k;
        push_down(q, k);
        bubble_up(q, last->pos);
    }
    b->pos = (size_t)-1;
    return b;
}

static size_t max_pos(const struct dpq *q) {
    if (q->n == 1) return 0;
    if (q->n == 2) return 1;
    return lt(q->heap[1], q->heap[2]) ? 2 : 1;
}

static void settle(struct dpq *q, struct bid *b) {
    b->next = q->settled;
    q->settled = b;
    q->nsettled++;
}

static long drain(struct dpq *q) {
    long sum = 0;
    while (q->settled) {
        struct bid *b = q->settled;
        q->settled = b->next;
        b->next = NULL;
        sum += b->price % 101 + (long)strlen(b->tag);
        free(b->tag);
        free(b);
    }
    return sum;
}

static unsigned long rng = 424242;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

int main(void) {
    struct dpq *q = calloc(1, sizeof *q); // site: dpq
    q->cap = 4;
    q->heap = calloc(q->cap, sizeof *q->heap); // site: heap
    q->handles = calloc(MAXBIDS, sizeof *q->handles); // site: handles
    int next_id = 0;
    long check = 0, withdrawn = 0;
    for (int op = 0; op < OPS; op++) {
        unsigned r = rnd();
        unsigned what = r % 10;
        if (q->n < 20 || (what < 5 && next_id < MAXBIDS)) {
            insert(q, next_id++, (long)(r >> 8) % 10000);
        } else if (what < 7) {
            settle(q, take(q, 0));
        } else if (what < 9) {
            settle(q, take(q, max_pos(q)));
        } else {
            int id = (int)((r >> 6) % (unsigned)next_id);
            while (!q->handles[id]) id = (id + 1) % next_id;
            struct bid *b = take(q, q->handles[id]->pos);
            free(b->tag);
            free(b);
            withdrawn++;
        }
        if (op % 64 == 63) check = (check * 31 + drain(q)) % 1000000007;
    }
    check = (check * 31 + drain(q)) % 1000000007;
    printf("bids=%d live=%zu withdrawn=%ld cap=%zu check=%ld\n", next_id, q->n, withdrawn, q->cap, check);
    while (q->n) {
        struct bid *b = take(q, q->n - 1);
        free(b->tag);
        free(b);
    }
    free(q->handles);
    free(q->heap);
    free(q);
    return 0;
}
