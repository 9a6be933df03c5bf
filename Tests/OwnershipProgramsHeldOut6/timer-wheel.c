/* A server's connection timers on a hierarchical timing wheel (Varghese & Lauck, in the
 * layout of the classic Linux timer base): four levels of 64 slots, each slot the head of
 * an hlist (the head inline in the wheel; each timer has a `next` pointer and a `pprev`
 * pointer to whatever points at it: the slot head inside the wheel or the `next` field in
 * the middle of the previous timer). A timer is placed by how far away it expires; when
 * the level-0 index wraps, the due slot of the next level is cascaded (its timers moved
 * to lower levels). Expired timers are detached from their slot, fired, and then either
 * re-armed (periodic: the same block goes back into the wheel) or freed with their
 * argument block. Idle timers are modified (unlinked and re-added) and cancelled through
 * a handle table indexed by timer id (grown by realloc; a slot is cleared before its
 * timer is freed). At the end the wheel is walked and everything freed. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LVL 4
#define SLOTS 64
#define BITS 6

struct targ {
    long conn;
    int kind;
    char label[40];
};

struct timer {
    unsigned long expires;
    struct timer *next;
    struct timer **pprev;
    unsigned long period;
    int rounds;
    long id;
    struct targ *arg;
};

struct wheel {
    unsigned long now;
    struct timer *slot[LVL][SLOTS];
    struct timer **handles;
    size_t nhandles;
    long fired, cascaded, live;
};

static unsigned long rng = 4242;
static unsigned long next_rand(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return rng >> 33;
}

static void add_timer(struct wheel *w, struct timer *t) {
    unsigned long delta = t->expires - w->now;
    struct timer **head;
    if ((long)delta < 0) {
        head = &w->slot[0][w->now & (SLOTS - 1)];
    } else if (delta < (1UL << BITS)) {
        head = &w->slot[0][t->expires & (SLOTS - 1)];
    } else if (delta < (1UL << (2 * BITS))) {
        head = &w->slot[1][(t->expires >> BITS) & (SLOTS - 1)];
    } else if (delta < (1UL << (3 * BITS))) {
        head = &w->slot[2][(t->expires >> (2 * BITS)) & (SLOTS - 1)];
    } else {
        if (delta >= (1UL << (4 * BITS))) t->expires = w->now + (1UL << (4 * BITS)) - 1;
        head = &w->slot[3][(t->expires >> (3 * BITS)) & (SLOTS - 1)];
    }
    t->next = *head;
    if (t->next) t->next->pprev = &t->next;
    *head = t;
    t->pprev = head;
}

static void del_timer(struct timer *t) {
    *t->pprev = t->next;
    if (t->next) t->next->pprev = t->pprev;
    t->next = NULL;
    t->pprev = NULL;
}

static struct timer *detach(struct timer **head) {
    struct timer *list = *head;
    *head = NULL;
    if (list) list->pprev = NULL;
    return list;
}

static int cascade(struct wheel *w, int level, unsigned index) {
    struct timer *t = detach(&w->slot[level][index]);
    while (t) {
        struct timer *next = t->next;
        t->next = NULL;
        t->pprev = NULL;
        add_timer(w, t);
        w->cascaded++;
        t = next;
    }
    return (int)index;
}

static struct timer *timer_new(struct wheel *w, long id, long conn, int kind, unsigned long delay, unsigned long period, int rounds) {
    static const char *kinds[] = {"idle-timeout", "retransmit", "keepalive"};
    struct timer *t = calloc(1, sizeof *t); // site: timer
    t->id = id;
    t->expires = w->now + delay;
    t->period = period;
    t->rounds = rounds;
    t->arg = malloc(sizeof *t->arg); // site: targ
    t->arg->conn = conn;
    t->arg->kind = kind;
    snprintf(t->arg->label, sizeof t->arg->label, "conn-%ld/%s", conn, kinds[kind]);
    if ((size_t)id >= w->nhandles) {
        size_t n = w->nhandles * 2;
        while (n <= (size_t)id) n *= 2;
        w->handles = realloc(w->handles, n * sizeof *w->handles); // site: handles_grown
        memset(w->handles + w->nhandles, 0, (n - w->nhandles) * sizeof *w->handles);
        w->nhandles = n;
    }
    w->handles[id] = t;
    w->live++;
    add_timer(w, t);
    return t;
}

static void timer_free(struct wheel *w, struct timer *t) {
    w->handles[t->id] = NULL;
    free(t->arg);
    free(t);
    w->live--;
}

static unsigned long run_timers(struct wheel *w, unsigned long until) {
    unsigned long work = 0;
    while (w->now <= until) {
        unsigned index = (unsigned)(w->now & (SLOTS - 1));
        if (!index && !cascade(w, 1, (unsigned)((w->now >> BITS) & (SLOTS - 1))) &&
            !cascade(w, 2, (unsigned)((w->now >> (2 * BITS)) & (SLOTS - 1))))
            cascade(w, 3, (unsigned)((w->now >> (3 * BITS)) & (SLOTS - 1)));
        w->now++;
        struct timer *t = detach(&w->slot[0][index]);
        while (t) {
            struct timer *next = t->next;
            t->next = NULL;
            t->pprev = NULL;
            w->fired++;
            work += (unsigned long)t->arg->conn + strlen(t->arg->label) + (t->expires & 7);
            if (t->period && t->rounds-- > 0) {
                t->expires += t->period;
                add_timer(w, t);
            } else {
                timer_free(w, t);
            }
            t = next;
        }
    }
    return work;
}

int main(void) {
    struct wheel *w = calloc(1, sizeof *w); // site: wheel
    w->nhandles = 16;
    w->handles = calloc(w->nhandles, sizeof *w->handles); // site: handles
    long next_id = 0;
    unsigned long work = 0;
    long modified = 0, cancelled = 0;
    for (int step = 0; step < 20000; step++) {
        unsigned long r = next_rand();
        switch (r % 8) {
        case 0:
        case 1:
            timer_new(w, next_id++, (long)(r >> 4) % 500, 0, 3000 + (r >> 10) % 300000, 0, 0);
            break;
        case 2:
            timer_new(w, next_id++, (long)(r >> 4) % 500, 1, 1 + (r >> 10) % 50, 20 + (r >> 20) % 100, (int)((r >> 7) % 4));
            break;
        case 3:
            if (r % 64 < 8) timer_new(w, next_id++, (long)(r >> 4) % 500, 2, 5000, 4096 + (r >> 12) % 5000, 3);
            break;
        case 4: {
            struct timer *t = next_id ? w->handles[(r >> 5) % (unsigned long)next_id] : NULL;
            if (t) {
                del_timer(t);
                t->expires = w->now + 3000 + (r >> 11) % 300000;
                add_timer(w, t);
                modified++;
            }
            break;
        }
        case 5: {
            struct timer *t = next_id ? w->handles[(r >> 5) % (unsigned long)next_id] : NULL;
            if (t) {
                del_timer(t);
                timer_free(w, t);
                cancelled++;
            }
            break;
        }
        default:
            work += run_timers(w, w->now + (r >> 6) % 400);
        }
    }
    long left = w->live;
    for (int l = 0; l < LVL; l++)
        for (int s = 0; s < SLOTS; s++) {
            struct timer *t;
            while ((t = w->slot[l][s])) {
                del_timer(t);
                timer_free(w, t);
            }
        }
    printf("%ld %ld %ld %ld %ld %ld %lu\n", next_id, w->fired, w->cascaded, modified, cancelled, left, work);
    free(w->handles);
    free(w);
    return 0;
}
