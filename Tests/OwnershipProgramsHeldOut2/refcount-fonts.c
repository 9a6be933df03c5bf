/* A manual reference count, C style: a font (family name + rasterized glyph table) carries
 * a `refs` field; font_retain/font_release, the last release frees it. Fonts are created
 * through a font cache (a heap array of 24 slots that itself holds one reference per
 * font). Labels (text + font) retain their font; windows own an array of labels. Mid-way
 * the cache is flushed (it releases every font; fonts still used by labels survive), and
 * later windows are closed in a shuffled order, each label releasing its font: whichever
 * holder is last frees the font. Fonts requested after the flush are new fonts. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 24
#define WINDOWS 30

struct font {
    int refs;
    int size;
    char *family;
    unsigned char *glyphs;
};

struct label {
    struct font *font;
    char *text;
    int width;
};

struct window {
    struct label **labels;
    int count;
};

static struct font *font_retain(struct font *f) {
    f->refs++;
    return f;
}

static void font_release(struct font *f) {
    if (--f->refs > 0) return;
    free(f->glyphs);
    free(f->family);
    free(f);
}

static const char *families[] = {"DejaVu Sans", "Liberation Serif", "Noto Sans Mono", "Cantarell"};

static struct font *font_get(struct font **cache, int family, int size) {
    int slot = (family * 6 + size) % SLOTS;
    struct font *f = cache[slot];
    if (f && f->size == size && strcmp(f->family, families[family]) == 0) return font_retain(f);
    if (f) font_release(f);
    f = malloc(sizeof *f); // site: font
    f->refs = 1; /* the cache's reference */
    f->size = size;
    f->family = strdup(families[family]); // site: family
    f->glyphs = malloc(96 * (size_t)(8 + size * 2)); // site: glyphs
    memset(f->glyphs, size, 96 * (size_t)(8 + size * 2));
    cache[slot] = f;
    return font_retain(f);
}

static struct label *label_new(struct font *font, int i) {
    struct label *l = malloc(sizeof *l); // site: label
    l->font = font;
    l->text = malloc(40); // site: text
    snprintf(l->text, 40, "Label %d in %s", i, font->family);
    l->width = (int)strlen(l->text) * (8 + font->size * 2);
    return l;
}

static void label_free(struct label *l) {
    font_release(l->font);
    free(l->text);
    free(l);
}

static struct window *window_open(struct font **cache, int n) {
    struct window *w = malloc(sizeof *w); // site: window
    w->count = 6 + n % 10;
    w->labels = malloc(w->count * sizeof *w->labels); // site: labels
    for (int i = 0; i < w->count; i++) w->labels[i] = label_new(font_get(cache, rand() % 4, rand() % 6), i);
    return w;
}

static void window_close(struct window *w) {
    for (int i = 0; i < w->count; i++) label_free(w->labels[i]);
    free(w->labels);
    free(w);
}

static void cache_flush(struct font **cache) {
    for (int i = 0; i < SLOTS; i++) {
        if (cache[i]) font_release(cache[i]);
        cache[i] = NULL;
    }
}

int main(void) {
    struct font **cache = calloc(SLOTS, sizeof *cache); // site: cache
    struct window *windows[WINDOWS];
    long width = 0;
    srand(21);
    for (int n = 0; n < WINDOWS; n++) {
        windows[n] = window_open(cache, n);
        if (n == WINDOWS / 2) cache_flush(cache);
    }
    for (int n = 0; n < WINDOWS; n++)
        for (int i = 0; i < windows[n]->count; i++) width += windows[n]->labels[i]->width;
    for (int n = WINDOWS - 1; n > 0; n--) {
        int k = rand() % (n + 1);
        struct window *t = windows[n];
        windows[n] = windows[k];
        windows[k] = t;
    }
    for (int n = 0; n < WINDOWS; n++) {
        window_close(windows[n]);
        if (n == WINDOWS / 2) {
            cache_flush(cache);
            free(cache);
            cache = NULL;
        }
    }
    printf("%ld\n", width);
    return 0;
}
