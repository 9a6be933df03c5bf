/* A string table of reference-counted strings, as markup parsers and compilers keep
 * (GLib's GQuark-like interning, but counted): intern() returns an existing string with
 * its count raised or a new one (count, hash, chain link and characters in one block),
 * linked into a fixed bucket array; release() drops a reference and, at zero, unlinks the
 * string from its chain and frees it. The table itself holds no reference. Holders are
 * parsed elements: an element holds its tag name, and its attribute array holds a name
 * and a value string per attribute. Elements are freed in a shuffled order, and some
 * attributes are rewritten mid-way (old value released, new one interned). No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 512

struct rstr {
    unsigned refs;
    unsigned hash;
    struct rstr *next;
    size_t len;
    char chars[];
};

struct strtab {
    struct rstr **buckets;
    size_t live;
};

static unsigned hash_of(const char *s, size_t n) {
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static struct rstr *intern(struct strtab *t, const char *s) {
    size_t n = strlen(s);
    unsigned h = hash_of(s, n);
    struct rstr **slot = &t->buckets[h % BUCKETS];
    for (struct rstr *r = *slot; r; r = r->next) {
        if (r->hash == h && r->len == n && memcmp(r->chars, s, n) == 0) {
            r->refs++;
            return r;
        }
    }
    struct rstr *r = malloc(sizeof *r + n + 1); // site: str
    r->refs = 1;
    r->hash = h;
    r->len = n;
    memcpy(r->chars, s, n + 1);
    r->next = *slot;
    *slot = r;
    t->live++;
    return r;
}

static void release(struct strtab *t, struct rstr *r) {
    if (--r->refs > 0) return;
    struct rstr **p = &t->buckets[r->hash % BUCKETS];
    while (*p != r) p = &(*p)->next;
    *p = r->next;
    t->live--;
    free(r);
}

struct attr {
    struct rstr *name;
    struct rstr *value;
};

struct element {
    struct rstr *tag;
    struct attr *attrs;
    int nattrs;
    int line;
};

static const char *const TAGS[] = {"div", "span", "a", "p", "img", "table", "tr", "td", "ul", "li"};
static const char *const NAMES[] = {"class", "id", "href", "src", "style", "title", "alt", "data-row"};

static struct element *parse_element(struct strtab *t, unsigned seed, int line) {
    struct element *e = malloc(sizeof *e); // site: element
    e->tag = intern(t, TAGS[seed % 10]);
    e->nattrs = 1 + (int)(seed >> 4) % 5;
    e->line = line;
    e->attrs = malloc((size_t)e->nattrs * sizeof *e->attrs); // site: attrs
    char value[32];
    for (int i = 0; i < e->nattrs; i++) {
        e->attrs[i].name = intern(t, NAMES[(seed >> (i + 3)) % 8]);
        snprintf(value, sizeof value, "v-%u", (seed >> (2 * i)) % 300);
        e->attrs[i].value = intern(t, value);
    }
    return e;
}

static void element_free(struct strtab *t, struct element *e) {
    for (int i = 0; i < e->nattrs; i++) {
        release(t, e->attrs[i].name);
        release(t, e->attrs[i].value);
    }
    free(e->attrs);
    release(t, e->tag);
    free(e);
}

int main(void) {
    struct strtab *t = malloc(sizeof *t); // site: strtab
    t->buckets = calloc(BUCKETS, sizeof *t->buckets); // site: buckets
    t->live = 0;
    const int n = 1500;
    struct element **elements = malloc(n * sizeof *elements); // site: elements
    unsigned seed = 17;
    for (int i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        elements[i] = parse_element(t, seed >> 3, i + 1);
    }
    size_t after_parse = t->live;
    char value[32];
    for (int i = 0; i < n; i += 4) {
        struct element *e = elements[i];
        snprintf(value, sizeof value, "edited-%d", i % 50);
        struct rstr *v = intern(t, value);
        release(t, e->attrs[0].value);
        e->attrs[0].value = v;
    }
    size_t after_edit = t->live;
    for (int i = n - 1; i > 0; i--) {
        seed = seed * 1103515245u + 12345u;
        int j = (int)((seed >> 8) % (unsigned)(i + 1));
        struct element *tmp = elements[i];
        elements[i] = elements[j];
        elements[j] = tmp;
    }
    for (int i = 0; i < n; i++) element_free(t, elements[i]);
    printf("%zu %zu %zu\n", after_parse, after_edit, t->live);
    free(elements);
    free(t->buckets);
    free(t);
    return 0;
}
