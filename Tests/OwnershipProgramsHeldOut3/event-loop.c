/* A single-threaded event loop with timers (in the style of libuv / libevent): pending
 * timers sit in a binary min-heap (an array of timer pointers ordered by deadline, grown
 * with realloc), each timer keeps its heap index so it can be cancelled, and points at a
 * handler (its callback and the callback's state). Handlers are registered once and owned
 * by the loop's handler table; timers only refer to them. A timer owns its argument
 * block. When a timer fires it is either re-armed (periodic) or freed; callbacks schedule
 * new timers and cancel others. Timers still pending at shutdown are freed straight from
 * the heap array, before it is freed. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct loop;
struct timer;
typedef void (*callback)(struct loop *, struct timer *);

struct handler {
    const char *name;
    callback fn;
    struct loop *loop;
    long *state;
    int nstate;
};

struct timer {
    long deadline;
    long period;
    int remaining;
    int heap_index;
    struct handler *handler;
    int *arg;
};

struct loop {
    long now;
    unsigned seed;
    struct timer **heap;
    int count, cap;
    struct handler **handlers;
    int nhandlers;
    long fired, cancelled;
};

static void swap_at(struct loop *l, int a, int b) {
    struct timer *t = l->heap[a];
    l->heap[a] = l->heap[b];
    l->heap[b] = t;
    l->heap[a]->heap_index = a;
    l->heap[b]->heap_index = b;
}

static void sift_up(struct loop *l, int i) {
    while (i > 0 && l->heap[(i - 1) / 2]->deadline > l->heap[i]->deadline) {
        swap_at(l, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void sift_down(struct loop *l, int i) {
    for (;;) {
        int smallest = i, a = 2 * i + 1, b = 2 * i + 2;
        if (a < l->count && l->heap[a]->deadline < l->heap[smallest]->deadline) smallest = a;
        if (b < l->count && l->heap[b]->deadline < l->heap[smallest]->deadline) smallest = b;
        if (smallest == i) return;
        swap_at(l, i, smallest);
        i = smallest;
    }
}

static void heap_push(struct loop *l, struct timer *t) {
    if (l->count == l->cap) {
        l->cap *= 2;
        l->heap = realloc(l->heap, (size_t)l->cap * sizeof *l->heap); // site: heap_grown
    }
    t->heap_index = l->count;
    l->heap[l->count++] = t;
    sift_up(l, t->heap_index);
}

static struct timer *heap_remove(struct loop *l, int i) {
    struct timer *t = l->heap[i];
    l->count--;
    if (i != l->count) {
        l->heap[i] = l->heap[l->count];
        l->heap[i]->heap_index = i;
        sift_down(l, i);
        sift_up(l, i);
    }
    l->heap[l->count] = NULL;
    t->heap_index = -1;
    return t;
}

static unsigned rnd(struct loop *l) {
    l->seed = l->seed * 1103515245u + 12345u;
    return (l->seed >> 16) & 0x7fff;
}

static struct timer *timer_start(struct loop *l, struct handler *h, long delay, long period, int repeats) {
    struct timer *t = malloc(sizeof *t); // site: timer
    t->deadline = l->now + delay;
    t->period = period;
    t->remaining = repeats;
    t->handler = h;
    t->arg = malloc(4 * sizeof *t->arg); // site: timer_arg
    for (int i = 0; i < 4; i++) t->arg[i] = (int)(delay + i);
    heap_push(l, t);
    return t;
}

static void timer_free(struct timer *t) {
    free(t->arg);
    free(t);
}

static void on_tick(struct loop *l, struct timer *t) {
    (void)l;
    t->handler->state[0] += t->arg[0];
}

static void on_request(struct loop *l, struct timer *t) {
    struct handler *h = t->handler;
    h->state[1]++;
    /* A request arms a timeout on another handler. */
    struct handler *timeout = l->handlers[2 + rnd(l) % 2];
    timer_start(l, timeout, 5 + rnd(l) % 40, 0, 1);
    h->state[(int)(l->now % h->nstate)] += t->arg[1];
}

static void on_timeout(struct loop *l, struct timer *t) {
    t->handler->state[2]++;
    /* A timeout cancels some pending timer, like a connection closed early. */
    if (l->count > 4) {
        struct timer *victim = l->heap[1 + rnd(l) % (unsigned)(l->count - 1)];
        if (victim->handler != l->handlers[0]) {
            timer_free(heap_remove(l, victim->heap_index));
            l->cancelled++;
        }
    }
}

static struct handler *handler_new(struct loop *l, const char *name, callback fn, int nstate) {
    struct handler *h = malloc(sizeof *h); // site: handler
    h->name = name;
    h->fn = fn;
    h->loop = l;
    h->nstate = nstate;
    h->state = calloc((size_t)nstate, sizeof *h->state); // site: state
    return h;
}

static void loop_run(struct loop *l, long until) {
    while (l->count > 0 && l->heap[0]->deadline <= until) {
        struct timer *t = heap_remove(l, 0);
        l->now = t->deadline;
        t->handler->fn(l, t);
        l->fired++;
        if (t->period > 0 && --t->remaining > 0) {
            t->deadline = l->now + t->period;
            heap_push(l, t);
        } else {
            timer_free(t);
        }
    }
    l->now = until;
}

int main(void) {
    struct loop *l = malloc(sizeof *l); // site: loop
    memset(l, 0, sizeof *l);
    l->seed = 99;
    l->cap = 8;
    l->heap = malloc((size_t)l->cap * sizeof *l->heap); // site: heap
    l->nhandlers = 4;
    l->handlers = malloc((size_t)l->nhandlers * sizeof *l->handlers); // site: handlers
    l->handlers[0] = handler_new(l, "tick", on_tick, 4);
    l->handlers[1] = handler_new(l, "request", on_request, 8);
    l->handlers[2] = handler_new(l, "read-timeout", on_timeout, 4);
    l->handlers[3] = handler_new(l, "write-timeout", on_timeout, 4);
    timer_start(l, l->handlers[0], 10, 10, 500);
    for (long step = 0; step < 200; step++) {
        for (int k = 0; k < 8; k++) timer_start(l, l->handlers[1], (long)(rnd(l) % 100), 7, 1 + (int)(rnd(l) % 3));
        loop_run(l, l->now + 25);
    }
    long pending = l->count;
    for (int i = 0; i < l->count; i++) timer_free(l->heap[i]);
    long sum = 0;
    for (int i = 0; i < l->nhandlers; i++) {
        for (int k = 0; k < l->handlers[i]->nstate; k++) sum += l->handlers[i]->state[k];
        free(l->handlers[i]->state);
        free(l->handlers[i]);
    }
    printf("%ld %ld %ld %ld\n", l->fired, l->cancelled, pending, sum);
    free(l->handlers);
    free(l->heap);
    free(l);
    return 0;
}
