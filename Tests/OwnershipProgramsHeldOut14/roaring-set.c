/* Compressed integer set in the style of Roaring bitmaps: a boxed set record owns a
 * sorted directory of container pointers (by the high 16 bits), calloc'ed for 1 and
 * doubled by realloc (new half zeroed). Each container (malloc'ed) owns either a
 * sorted array of low 16-bit values (calloc'ed for 4, doubled by realloc) or, past 4096
 * values, an 8 KiB bitmap (calloc'ed; the array is freed); a container that drops to
 * 4096 values or fewer goes back to an exact-size array at a third site. Emptied
 * containers are freed and the directory closes up (last slot zeroed). No scan. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_MAX 4096

struct container { uint16_t key; int card, cap; uint16_t *array; uint64_t *bitmap; };
struct rset { struct container **dir; int n, cap; };

static int find(struct rset *s, uint16_t key, int *at) {
    int lo = 0, hi = s->n;
    while (lo < hi) { int mid = (lo + hi) / 2; if (s->dir[mid]->key < key) lo = mid + 1; else hi = mid; }
    *at = lo;
    return lo < s->n && s->dir[lo]->key == key;
}

static int arr_find(struct container *c, uint16_t v, int *at) {
    int lo = 0, hi = c->card;
    while (lo < hi) { int mid = (lo + hi) / 2; if (c->array[mid] < v) lo = mid + 1; else hi = mid; }
    *at = lo;
    return lo < c->card && c->array[lo] == v;
}

static void to_bitmap(struct container *c) {
    c->bitmap = calloc(1024, sizeof *c->bitmap); // site: bits
    for (int i = 0; i < c->card; i++) c->bitmap[c->array[i] >> 6] |= 1ULL << (c->array[i] & 63);
    free(c->array);
    c->array = NULL;
    c->cap = 0;
}

static void to_array(struct container *c) {
    c->array = malloc(c->card * sizeof *c->array); // site: arr_back
    int k = 0;
    for (int v = 0; v < 65536; v++) if (c->bitmap[v >> 6] >> (v & 63) & 1) c->array[k++] = (uint16_t)v;
    c->cap = c->card;
    free(c->bitmap);
    c->bitmap = NULL;
}

static void add(struct rset *s, uint32_t x) {
    uint16_t key = x >> 16, low = x & 0xffff;
    int at;
    if (!find(s, key, &at)) {
        if (s->n == s->cap) {
            s->dir = realloc(s->dir, 2 * s->cap * sizeof *s->dir); // site: dir_grown
            memset(s->dir + s->cap, 0, s->cap * sizeof *s->dir);
            s->cap *= 2;
        }
        memmove(s->dir + at + 1, s->dir + at, (s->n - at) * sizeof *s->dir);
        struct container *c = malloc(sizeof *c); // site: container
        c->key = key; c->card = 0; c->cap = 4; c->bitmap = NULL;
        c->array = calloc(4, sizeof *c->array); // site: arr
        s->dir[at] = c;
        s->n++;
    }
    struct container *c = s->dir[at];
    if (c->bitmap) {
        if (!(c->bitmap[low >> 6] >> (low & 63) & 1)) { c->bitmap[low >> 6] |= 1ULL << (low & 63); c->card++; }
        return;
    }
    int pos;
    if (arr_find(c, low, &pos)) return;
    if (c->card == ARRAY_MAX) { to_bitmap(c); c->bitmap[low >> 6] |= 1ULL << (low & 63); c->card++; return; }
    if (c->card == c->cap) {
        c->array = realloc(c->array, 2 * c->cap * sizeof *c->array); // site: arr_grown
        c->cap *= 2;
    }
    memmove(c->array + pos + 1, c->array + pos, (c->card - pos) * sizeof *c->array);
    c->array[pos] = low;
    c->card++;
}

static void del(struct rset *s, uint32_t x) {
    uint16_t key = x >> 16, low = x & 0xffff;
    int at, pos;
    if (!find(s, key, &at)) return;
    struct container *c = s->dir[at];
    if (c->bitmap) {
        if (!(c->bitmap[low >> 6] >> (low & 63) & 1)) return;
        c->bitmap[low >> 6] &= ~(1ULL << (low & 63));
        if (--c->card == ARRAY_MAX) to_array(c);
    } else {
        if (!arr_find(c, low, &pos)) return;
        memmove(c->array + pos, c->array + pos + 1, (c->card - pos - 1) * sizeof *c->array);
        c->card--;
    }
    if (c->card == 0) {
        free(c->array);
        free(c);
        memmove(s->dir + at, s->dir + at + 1, (s->n - at - 1) * sizeof *s->dir);
        s->dir[--s->n] = NULL;
    }
}

static long count(struct rset *s) { long t = 0; for (int i = 0; i < s->n; i++) t += s->dir[i]->card; return t; }

int main(void) {
    struct rset *s = calloc(1, sizeof *s); // site: set
    s->cap = 1;
    s->dir = calloc(1, sizeof *s->dir); // site: dir
    uint32_t r = 12345;
    for (int i = 0; i < 3000; i++) { r = r * 1103515245u + 12345u; add(s, (r >> 8) % (12u << 16)); }
    for (uint32_t x = 5u << 16; x < (5u << 16) + 6000; x++) add(s, x);
    printf("after fill: %d containers, %ld values\n", s->n, count(s));
    for (uint32_t x = 5u << 16; x < (5u << 16) + 2500; x++) del(s, x);
    r = 12345;
    for (int i = 0; i < 3000; i++) { r = r * 1103515245u + 12345u; uint32_t x = (r >> 8) % (12u << 16); if (x >> 16 != 5 && (x >> 16) % 3 == 0) del(s, x); }
    printf("after removals: %d containers, %ld values\n", s->n, count(s));
    for (int i = 0; i < s->n; i++) { free(s->dir[i]->array); free(s->dir[i]->bitmap); free(s->dir[i]); }
    free(s->dir);
    free(s);
    return 0;
}
