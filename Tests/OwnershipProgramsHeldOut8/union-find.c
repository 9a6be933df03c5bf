/* Connected components by union-find with path compression, over heap elements. An
 * element registry (an array of element pointers, grown by realloc, slots reused from
 * one epoch to the next) owns the elements; each element owns its label and points at
 * its parent element (a root points at itself). Each root owns a set record, which owns
 * a member-id array grown by realloc. Union by size: the smaller root's set record is
 * merged into the larger one's (members appended) and then freed, the loser's pointer
 * to it cleared first; finds compress paths. The program runs six epochs; at the end of
 * each every element (with its set record, if a root) is freed and its registry slot
 * cleared. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPOCHS 6

struct setinfo {
    int size;
    int cap;
    int *members;
    long weight;
};

struct elem {
    struct elem *parent;
    struct setinfo *info;
    char *label;
    int id;
};

struct registry {
    struct elem **elems;
    int n, cap;
};

static unsigned long rng = 99991;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static struct elem *make_elem(int id) {
    struct elem *e = malloc(sizeof *e); // site: elem
    e->parent = e;
    e->id = id;
    char buf[48];
    snprintf(buf, sizeof buf, "vertex-%04d-component-member", id);
    e->label = strdup(buf); // site: label
    e->info = malloc(sizeof *e->info); // site: setinfo
    e->info->size = 1;
    e->info->cap = 2;
    e->info->weight = id % 17;
    e->info->members = malloc(2 * sizeof(int)); // site: members
    e->info->members[0] = id;
    return e;
}

static struct elem *find(struct elem *e) {
    struct elem *root = e;
    while (root->parent != root) root = root->parent;
    while (e->parent != root) {
        struct elem *next = e->parent;
        e->parent = root;
        e = next;
    }
    return root;
}

static int unite(struct elem *a, struct elem *b) {
    a = find(a);
    b = find(b);
    if (a == b) return 0;
    if (a->info->size < b->info->size) {
        struct elem *t = a;
        a = b;
        b = t;
    }
    struct setinfo *win = a->info, *lose = b->info;
    if (win->size + lose->size > win->cap) {
        int nc = win->cap;
        while (nc < win->size + lose->size) nc *= 2;
        win->members = realloc(win->members, (size_t)nc * sizeof(int)); // site: members_grown
        win->cap = nc;
    }
    memcpy(win->members + win->size, lose->members, (size_t)lose->size * sizeof(int));
    win->size += lose->size;
    win->weight += lose->weight;
    b->info = NULL;
    b->parent = a;
    free(lose->members);
    lose->members = NULL;
    free(lose);
    return 1;
}

int main(void) {
    struct registry *reg = calloc(1, sizeof *reg); // site: registry
    reg->cap = 8;
    reg->elems = calloc((size_t)reg->cap, sizeof *reg->elems); // site: elems
    long unions = 0, components = 0, check = 0;
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
        int n = 150 + (int)(rnd() % 300);
        for (int i = 0; i < n; i++) {
            if (reg->n == reg->cap) {
                reg->cap *= 2;
                reg->elems = realloc(reg->elems, (size_t)reg->cap * sizeof *reg->elems); // site: elems_grown
                memset(reg->elems + reg->n, 0, (size_t)(reg->cap - reg->n) * sizeof *reg->elems);
            }
            reg->elems[reg->n] = make_elem(epoch * 1000 + i);
            reg->n++;
        }
        for (int k = 0; k < n * 3 / 4; k++) {
            struct elem *a = reg->elems[rnd() % (unsigned)n];
            struct elem *b = reg->elems[rnd() % (unsigned)n];
            unions += unite(a, b);
            if (k % 5 == 0) check += find(reg->elems[rnd() % (unsigned)n])->info->size;
        }
        for (int i = 0; i < n; i++) {
            struct elem *e = reg->elems[i];
            if (e->info) {
                components++;
                check = check * 7 % 1000003 + e->info->weight + e->info->members[e->info->size - 1] % 11;
            }
        }
        for (int i = 0; i < reg->n; i++) {
            struct elem *e = reg->elems[i];
            reg->elems[i] = NULL;
            if (e->info) {
                free(e->info->members);
                free(e->info);
                e->info = NULL;
            }
            free(e->label);
            e->parent = NULL;
            free(e);
        }
        reg->n = 0;
    }
    printf("epochs=%d unions=%ld components=%ld check=%ld cap=%d\n", EPOCHS, unions, components, check, reg->cap);
    free(reg->elems);
    free(reg);
    return 0;
}
