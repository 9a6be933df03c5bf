/* Strings grown by realloc: each string owns its character buffer, one logical buffer
 * across the reallocs. Decoy: an undo record made in str_append (same function), freed
 * after the strings. */
#include <stdlib.h>
#include <string.h>
#include "scan.h"

struct str {
    char *data;
    size_t length, capacity;
};

static struct str *strings[60];
static void *undo[60 * 20];
static int undo_count;

__attribute__((noinline)) static struct str *str_new(void) {
    struct str *s = malloc(sizeof *s); // site: str
    s->capacity = 8;
    s->length = 0;
    s->data = malloc(s->capacity); // site: str_data
    return s;
}

__attribute__((noinline)) static void str_append(struct str *s, const char *text) {
    size_t n = strlen(text);
    if (s->length + n + 1 > s->capacity) {
        while (s->length + n + 1 > s->capacity) s->capacity *= 2;
        s->data = realloc(s->data, s->capacity); // site: str_grow
    }
    memcpy(s->data + s->length, text, n + 1);
    s->length += n;
    undo[undo_count++] = malloc(n + 1); // site: undo
}

int main(void) {
    for (int i = 0; i < 60; i++) {
        strings[i] = str_new();
        for (int j = 0; j < 20; j++) str_append(strings[i], "some text, ");
    }
    scan_now();
    for (int i = 0; i < 60; i++) {
        free(strings[i]->data);
        free(strings[i]);
    }
    free(malloc(64));
    for (int i = 0; i < undo_count; i++) free(undo[i]);
    return 0;
}
