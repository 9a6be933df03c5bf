/* A text document stored as fixed-size pages with copy-on-write snapshots (as in an
 * editor's persistent undo or a database's page store): the working copy holds a page
 * table (an array of page pointers, grown with realloc); taking a snapshot copies the
 * table into a new exact-size array and adds a reference to every page, so pages are
 * shared between the working copy and any number of snapshots. Writing to a page whose
 * count is above one first copies it (the working table then points at the private
 * copy). Snapshots (each with a label) live in a bounded history array; the oldest is
 * released when it is full. Reverting replaces the working table by a fresh copy of a
 * snapshot's table. Pages are deleted and inserted as the text changes. A page is freed
 * by whichever table drops its last reference. One scan, in the middle of editing, while
 * pages are shared between the working copy and several snapshots. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

#define PAGE 200
#define HIST 6

struct page {
    int refs;
    int used;
    char text[PAGE];
};

struct snapshot {
    long version;
    char *label;
    int npages;
    struct page **table;
};

struct work {
    int npages, cap;
    struct page **table;
    long version;
};

struct doc {
    struct work *work;
    struct snapshot **history;
    int nhist;
    long copies, released;
};

static void page_put(struct doc *d, struct page *p) {
    if (--p->refs > 0) return;
    free(p);
    d->released++;
}

static struct page *writable(struct doc *d, int i) {
    struct page *p = d->work->table[i];
    if (p->refs == 1) return p;
    struct page *copy = malloc(sizeof *copy); // site: page_copy
    memcpy(copy, p, sizeof *copy);
    copy->refs = 1;
    p->refs--;
    d->work->table[i] = copy;
    d->copies++;
    return copy;
}

static void insert_page(struct doc *d, int at) {
    struct work *w = d->work;
    if (w->npages == w->cap) {
        w->cap *= 2;
        w->table = realloc(w->table, (size_t)w->cap * sizeof *w->table); // site: ptable_grown
    }
    memmove(&w->table[at + 1], &w->table[at], (size_t)(w->npages - at) * sizeof *w->table);
    struct page *p = calloc(1, sizeof *p); // site: page
    p->refs = 1;
    w->table[at] = p;
    w->npages++;
}

static void delete_page(struct doc *d, int at) {
    struct work *w = d->work;
    page_put(d, w->table[at]);
    memmove(&w->table[at], &w->table[at + 1], (size_t)(w->npages - at - 1) * sizeof *w->table);
    w->table[--w->npages] = NULL;
}

static void type_text(struct doc *d, int at, const char *s, size_t n) {
    struct page *p = d->work->table[at];
    if (p->used + (int)n > PAGE) {
        insert_page(d, at + 1);
        at++;
    }
    p = writable(d, at);
    memcpy(p->text + p->used, s, n);
    p->used += (int)n;
    d->work->version++;
}

static void overwrite(struct doc *d, int at, char ch) {
    struct page *p = writable(d, at);
    for (int i = 0; i < p->used; i += 7) p->text[i] = ch;
    d->work->version++;
}

static void snapshot_release(struct doc *d, struct snapshot *s) {
    for (int i = 0; i < s->npages; i++) page_put(d, s->table[i]);
    free(s->table);
    free(s->label);
    free(s);
}

static void take_snapshot(struct doc *d) {
    if (d->nhist == HIST) {
        snapshot_release(d, d->history[0]);
        memmove(&d->history[0], &d->history[1], (HIST - 1) * sizeof *d->history);
        d->history[--d->nhist] = NULL;
    }
    struct work *w = d->work;
    struct snapshot *s = malloc(sizeof *s); // site: snapshot
    s->version = w->version;
    s->label = malloc(40); // site: snap_label
    snprintf(s->label, 40, "autosave v%ld (%d pages)", w->version, w->npages);
    s->npages = w->npages;
    s->table = malloc((size_t)w->npages * sizeof *s->table); // site: ptable_snap
    for (int i = 0; i < w->npages; i++) {
        s->table[i] = w->table[i];
        s->table[i]->refs++;
    }
    d->history[d->nhist++] = s;
}

static void revert(struct doc *d, const struct snapshot *s) {
    struct work *w = d->work;
    for (int i = 0; i < w->npages; i++) page_put(d, w->table[i]);
    free(w->table);
    w->cap = s->npages + 4;
    w->table = malloc((size_t)w->cap * sizeof *w->table); // site: ptable_revert
    for (int i = 0; i < s->npages; i++) {
        w->table[i] = s->table[i];
        w->table[i]->refs++;
    }
    w->npages = s->npages;
    w->version = s->version;
}

int main(void) {
    struct doc *d = calloc(1, sizeof *d); // site: doc
    d->work = calloc(1, sizeof *d->work); // site: work
    d->work->cap = 4;
    d->work->table = malloc((size_t)d->work->cap * sizeof *d->work->table); // site: ptable
    d->history = calloc(HIST, sizeof *d->history); // site: history
    insert_page(d, 0);
    static const char *words[] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "a ", "lazy ", "dog. "};
    unsigned seed = 7;
    for (int op = 0; op < 5000; op++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 8;
        struct work *w = d->work;
        int at = (int)(r % (unsigned)w->npages);
        switch ((r >> 12) % 16) {
        case 0:
            take_snapshot(d);
            break;
        case 1:
            if (w->npages > 2) delete_page(d, at);
            break;
        case 2:
            if (r % 9 == 0 && d->nhist > 0) revert(d, d->history[(r >> 4) % (unsigned)d->nhist]);
            else overwrite(d, at, (char)('A' + r % 26));
            break;
        default: {
            const char *word = words[(r >> 16) % 9];
            type_text(d, at, word, strlen(word));
        }
        }
        if (op == 2600) scan_now();
    }
    unsigned long sum = 0;
    for (int i = 0; i < d->work->npages; i++)
        for (int j = 0; j < d->work->table[i]->used; j++) sum = sum * 31 + (unsigned char)d->work->table[i]->text[j];
    int shared = 0;
    for (int i = 0; i < d->work->npages; i++) shared += d->work->table[i]->refs > 1;
    printf("%d %d %d %ld %ld %lu %s\n", d->work->npages, shared, d->nhist, d->copies, d->released, sum, d->history[d->nhist - 1]->label);
    for (int i = 0; i < d->nhist; i++) snapshot_release(d, d->history[i]);
    free(d->history);
    for (int i = 0; i < d->work->npages; i++) page_put(d, d->work->table[i]);
    free(d->work->table);
    free(d->work);
    free(d);
    return 0;
}
