/* Two print-job queues as skew heaps (self-adjusting, top-down merge swapping children
 * on the merge path): boxed heap records own their roots; jobs own their left and right
 * subheaps and their document names. Jobs are pushed, popped (root freed, subheaps
 * merged); half-way the second queue is melded into the first and its record freed.
 * No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct job { int prio; int id; char *doc; struct job *left, *right; };
struct heap { struct job *root; int size; };

static struct job *merge(struct job *a, struct job *b) {
    struct job *res = NULL, **link = &res;
    while (a && b) {
        if (b->prio < a->prio || (b->prio == a->prio && b->id < a->id)) { struct job *t = a; a = b; b = t; }
        *link = a;
        struct job *t = a->left; a->left = a->right; a->right = t;
        link = &a->left;
        a = a->left;
    }
    *link = a ? a : b;
    return res;
}

static void push(struct heap *h, int prio, int id) {
    char name[40];
    struct job *j = malloc(sizeof *j); // site: job
    j->prio = prio;
    j->id = id;
    snprintf(name, sizeof name, "report-%04d-page%d.pdf", id, prio % 17);
    j->doc = strdup(name); // site: doc
    j->left = j->right = NULL;
    h->root = merge(h->root, j);
    h->size++;
}

static unsigned long pop(struct heap *h) {
    struct job *j = h->root;
    h->root = merge(j->left, j->right);
    h->size--;
    unsigned long v = (unsigned long)j->prio * 1000 + (unsigned long)j->id + strlen(j->doc);
    free(j->doc);
    free(j);
    return v;
}

static struct heap *heap_new(void) {
    struct heap *h = malloc(sizeof *h); // site: heap
    h->root = NULL;
    h->size = 0;
    return h;
}

int main(void) {
    struct heap *q1 = heap_new();
    struct heap *q2 = heap_new();
    unsigned s = 2024;
    unsigned long sum = 0;
    int id = 0, popped = 0;
    for (int i = 0; i < 300; i++) {
        s = s * 1103515245u + 12345u;
        push((s >> 16) & 1 ? q1 : q2, (int)((s >> 8) % 500), id++);
        if (i % 4 == 3) { sum = sum * 7 + pop(q1); popped++; }
        if (i % 9 == 8) { sum = sum * 7 + pop(q2); popped++; }
    }
    int s1 = q1->size, s2 = q2->size;
    q1->root = merge(q1->root, q2->root);
    q1->size += q2->size;
    free(q2);
    for (int i = 0; i < 60; i++) {
        s = s * 1103515245u + 12345u;
        push(q1, (int)((s >> 8) % 500), id++);
        sum = sum * 7 + pop(q1);
        sum = sum * 7 + pop(q1);
        popped += 2;
    }
    int left = q1->size;
    while (q1->root) sum = sum * 7 + pop(q1);
    free(q1);
    printf("sizes before meld %d %d popped early %d left %d checksum %lu\n", s1, s2, popped, left, sum % 1000000007ul);
    return 0;
}
