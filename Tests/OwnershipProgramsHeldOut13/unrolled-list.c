/* A sorted price list as an unrolled linked list: a boxed list record holds the head
 * and tail chunks; each chunk (doubly linked: next and prev) holds up to 8 record
 * pointers in key order; records own their labels. A full chunk splits (its upper half
 * moves to a new chunk after it); removals shift the rest down and merge a thin chunk
 * with its successor when they fit (the successor is freed; a last chunk left empty
 * would be freed too). Vacated slots are zeroed. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAP 8

struct rec { int key; long cents; char *label; };
struct chunk { struct chunk *next, *prev; int n; struct rec *item[CAP]; };
struct ulist { struct chunk *head, *tail; long size, chunks; };

static unsigned long seed = 99;
static unsigned rnd(void) { seed = seed * 6364136223846793005UL + 1442695040888963407UL; return (unsigned)(seed >> 33); }

static struct chunk *new_chunk(struct ulist *l, struct chunk *after) {
    struct chunk *c = calloc(1, sizeof *c); // site: chunk
    c->prev = after;
    c->next = after ? after->next : l->head;
    if (c->next) c->next->prev = c;
    else l->tail = c;
    if (after) after->next = c;
    else l->head = c;
    l->chunks++;
    return c;
}
static void unlink_chunk(struct ulist *l, struct chunk *c) {
    if (c->prev) c->prev->next = c->next;
    else l->head = c->next;
    if (c->next) c->next->prev = c->prev;
    else l->tail = c->prev;
    l->chunks--;
    free(c);
}
static struct chunk *find(struct ulist *l, int key) {
    struct chunk *c = l->head;
    while (c && c->next && c->next->n && c->next->item[0]->key <= key) c = c->next;
    return c;
}
static int insert(struct ulist *l, struct rec *r) {
    if (!l->head) new_chunk(l, NULL);
    struct chunk *c = find(l, r->key);
    for (int i = 0; i < c->n; i++) if (c->item[i]->key == r->key) return 0;
    if (c->n == CAP) {
        struct chunk *s = new_chunk(l, c);
        for (int i = CAP / 2; i < CAP; i++) { s->item[s->n++] = c->item[i]; c->item[i] = NULL; }
        c->n = CAP / 2;
        if (r->key > s->item[0]->key) c = s;
    }
    int i = c->n;
    while (i > 0 && c->item[i - 1]->key > r->key) { c->item[i] = c->item[i - 1]; i--; }
    c->item[i] = r;
    c->n++;
    l->size++;
    return 1;
}
static void erase(struct ulist *l, int key) {
    struct chunk *c = find(l, key);
    if (!c) return;
    int i = 0;
    while (i < c->n && c->item[i]->key != key) i++;
    if (i == c->n) return;
    struct rec *r = c->item[i];
    for (; i + 1 < c->n; i++) c->item[i] = c->item[i + 1];
    c->item[--c->n] = NULL;
    l->size--;
    free(r->label);
    free(r);
    struct chunk *nx = c->next;
    if (nx && c->n + nx->n <= CAP && c->n < CAP / 2) {
        for (int j = 0; j < nx->n; j++) { c->item[c->n++] = nx->item[j]; nx->item[j] = NULL; }
        nx->n = 0;
        unlink_chunk(l, nx);
    } else if (c->n == 0 && l->chunks > 1) {
        unlink_chunk(l, c);
    }
}

int main(void) {
    struct ulist *l = calloc(1, sizeof *l); // site: list
    long checksum = 0;
    for (int step = 0; step < 5000; step++) {
        int key = (int)(rnd() % (step < 3000 ? 1200 : 300));
        if (rnd() % 3 || step < 1000) {
            struct rec *r = malloc(sizeof *r); // site: rec
            r->key = key;
            r->cents = (long)(rnd() % 100000);
            char buf[64];
            snprintf(buf, sizeof buf, "article %05d (%s)", key, key % 2 ? "bulk" : "single");
            r->label = strdup(buf); // site: label
            if (!insert(l, r)) { free(r->label); free(r); }
        } else {
            erase(l, key);
        }
    }
    long prev = -1, bad = 0;
    for (struct chunk *c = l->head; c; c = c->next)
        for (int i = 0; i < c->n; i++) {
            if (c->item[i]->key <= prev) bad++;
            prev = c->item[i]->key;
            checksum += c->item[i]->cents + (long)strlen(c->item[i]->label);
        }
    long back = 0;
    for (struct chunk *c = l->tail; c; c = c->prev) back += c->n;
    printf("records %ld (%ld backwards), chunks %ld, out of order %ld, checksum %ld\n", l->size, back, l->chunks, bad, checksum);
    while (l->head) {
        struct chunk *c = l->head;
        for (int i = 0; i < c->n; i++) { free(c->item[i]->label); free(c->item[i]); c->item[i] = NULL; }
        c->n = 0;
        unlink_chunk(l, c);
    }
    free(l);
    return 0;
}
