/* Two-lane task scheduler on leftist heaps (min-heaps by deadline, merged along their
 * right spines). A boxed scheduler owns the roots of an urgent lane and a background
 * lane; each task node owns its two subheaps and its name string. Tasks are added to
 * either lane, the urgent lane's minimum is run (popped: its subheaps merged, then the
 * task freed with its name), and every 400 steps the background lane is merged whole
 * into the urgent one. Everything left is freed at the end. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct task {
    int deadline;
    int rank;
    int id;
    char *name;
    struct task *left, *right;
};

struct sched {
    struct task *urgent;
    struct task *background;
    int nurgent, nback;
};

static unsigned long rng = 31337;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static int rank_of(const struct task *t) { return t ? t->rank : 0; }

static struct task *merge(struct task *a, struct task *b) {
    if (!a) return b;
    if (!b) return a;
    if (b->deadline < a->deadline || (b->deadline == a->deadline && b->id < a->id)) {
        struct task *t = a;
        a = b;
        b = t;
    }
    a->right = merge(a->right, b);
    if (rank_of(a->left) < rank_of(a->right)) {
        struct task *t = a->left;
        a->left = a->right;
        a->right = t;
    }
    a->rank = rank_of(a->right) + 1;
    return a;
}

static struct task *make_task(int id, int deadline) {
    struct task *t = malloc(sizeof *t); // site: task
    char buf[48];
    snprintf(buf, sizeof buf, "task-%05d-due-%06d", id, deadline);
    t->name = strdup(buf); // site: tname
    t->id = id;
    t->deadline = deadline;
    t->rank = 1;
    t->left = t->right = NULL;
    return t;
}

static long run_min(struct sched *s) {
    struct task *t = s->urgent;
    if (!t) return 0;
    s->urgent = merge(t->left, t->right);
    t->left = t->right = NULL;
    long v = (long)t->id * 3 + (long)strlen(t->name) + t->deadline % 11;
    free(t->name);
    free(t);
    s->nurgent--;
    return v;
}

static void destroy(struct task *t) {
    if (!t) return;
    destroy(t->left);
    destroy(t->right);
    free(t->name);
    free(t);
}

int main(void) {
    struct sched *s = malloc(sizeof *s); // site: sched
    s->urgent = s->background = NULL;
    s->nurgent = s->nback = 0;
    long total = 0;
    int next_id = 0;
    for (int step = 0; step < 5000; step++) {
        unsigned op = rnd() % 10;
        int deadline = step + (int)(rnd() % 2000);
        if (op < 3) {
            s->urgent = merge(s->urgent, make_task(next_id++, deadline));
            s->nurgent++;
        } else if (op < 6) {
            s->background = merge(s->background, make_task(next_id++, deadline));
            s->nback++;
        } else {
            total += run_min(s);
        }
        if (step % 400 == 399) {
            s->urgent = merge(s->urgent, s->background);
            s->background = NULL;
            s->nurgent += s->nback;
            s->nback = 0;
        }
        if (step % 1000 == 999)
            printf("step %d: urgent %d, background %d, total %ld\n", step + 1, s->nurgent,
                   s->nback, total);
    }
    destroy(s->urgent);
    destroy(s->background);
    s->urgent = s->background = NULL;
    free(s);
    printf("tasks made %d\n", next_id);
    return 0;
}
