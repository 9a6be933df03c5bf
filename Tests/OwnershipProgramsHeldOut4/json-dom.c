/* A JSON document object model with a recursive-descent parser (the shape of cJSON, jansson
 * or a config loader): a value is a tagged union; a string value owns its characters; an
 * array owns an item array of value pointers and an object owns a member array of
 * (key, value) pairs, both grown with realloc. Object keys are interned in the document's
 * key table (an open-addressing array of atoms, each atom a header and its characters in
 * one block), so members only point at their key. A generated text (built in a buffer
 * grown with realloc) is parsed; a scan is taken once the document is loaded; then the
 * document is edited (members removed, values replaced, items appended) and finally
 * freed, values depth first, then the key table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

enum kind { J_NULL, J_NUM, J_STR, J_ARR, J_OBJ };

struct atom {
    unsigned hash;
    size_t len;
    char text[];
};

struct jvalue;

struct member {
    const struct atom *key;
    struct jvalue *value;
};

struct jvalue {
    enum kind kind;
    double num;
    char *str;
    struct jvalue **items;
    struct member *members;
    size_t n, cap;
};

#define KEYSLOTS 512

struct keytable {
    struct atom **slots;
    size_t count;
};

struct doc {
    struct jvalue *root;
    struct keytable *keys;
};

static const struct atom *intern(struct keytable *kt, const char *s, size_t len) {
    unsigned h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    size_t i = h % KEYSLOTS;
    for (; kt->slots[i]; i = (i + 1) % KEYSLOTS)
        if (kt->slots[i]->hash == h && kt->slots[i]->len == len && memcmp(kt->slots[i]->text, s, len) == 0) return kt->slots[i];
    struct atom *a = malloc(sizeof *a + len + 1); // site: atom
    a->hash = h;
    a->len = len;
    memcpy(a->text, s, len);
    a->text[len] = 0;
    kt->slots[i] = a;
    kt->count++;
    return a;
}

static struct jvalue *value_new(enum kind kind) {
    struct jvalue *v = calloc(1, sizeof *v); // site: jvalue
    v->kind = kind;
    return v;
}

static void array_push(struct jvalue *arr, struct jvalue *item) {
    if (arr->n == arr->cap) {
        arr->cap = arr->cap ? arr->cap * 2 : 2;
        if (!arr->items) arr->items = malloc(arr->cap * sizeof *arr->items); // site: items
        else arr->items = realloc(arr->items, arr->cap * sizeof *arr->items); // site: items_grown
    }
    arr->items[arr->n++] = item;
}

static void object_set(struct jvalue *obj, const struct atom *key, struct jvalue *value) {
    if (obj->n == obj->cap) {
        obj->cap = obj->cap ? obj->cap * 2 : 2;
        if (!obj->members) obj->members = malloc(obj->cap * sizeof *obj->members); // site: members
        else obj->members = realloc(obj->members, obj->cap * sizeof *obj->members); // site: members_grown
    }
    obj->members[obj->n++] = (struct member){key, value};
}

static void value_free(struct jvalue *v) {
    if (!v) return;
    for (size_t i = 0; v->kind == J_ARR && i < v->n; i++) value_free(v->items[i]);
    for (size_t i = 0; v->kind == J_OBJ && i < v->n; i++) value_free(v->members[i].value);
    free(v->items);
    free(v->members);
    free(v->str);
    free(v);
}

struct parser {
    const char *p;
    struct keytable *keys;
};

static void skip(struct parser *ps) {
    while (*ps->p == ' ' || *ps->p == '\n') ps->p++;
}

static struct jvalue *parse_value(struct parser *ps);

static const char *scan_string(struct parser *ps, size_t *len) {
    const char *start = ++ps->p;
    while (*ps->p != '"') ps->p++;
    *len = (size_t)(ps->p++ - start);
    return start;
}

static struct jvalue *parse_value(struct parser *ps) {
    skip(ps);
    struct jvalue *v;
    size_t len;
    if (*ps->p == '{') {
        v = value_new(J_OBJ);
        ps->p++;
        for (skip(ps); *ps->p != '}'; skip(ps)) {
            const char *k = scan_string(ps, &len);
            const struct atom *key = intern(ps->keys, k, len);
            skip(ps);
            ps->p++; /* ':' */
            object_set(v, key, parse_value(ps));
            skip(ps);
            if (*ps->p == ',') ps->p++;
        }
        ps->p++;
    } else if (*ps->p == '[') {
        v = value_new(J_ARR);
        ps->p++;
        for (skip(ps); *ps->p != ']'; skip(ps)) {
            array_push(v, parse_value(ps));
            skip(ps);
            if (*ps->p == ',') ps->p++;
        }
        ps->p++;
    } else if (*ps->p == '"') {
        v = value_new(J_STR);
        const char *s = scan_string(ps, &len);
        v->str = malloc(len + 1); // site: jstr
        memcpy(v->str, s, len);
        v->str[len] = 0;
    } else if (*ps->p == 'n') {
        v = value_new(J_NULL);
        ps->p += 4;
    } else {
        v = value_new(J_NUM);
        v->num = strtod(ps->p, (char **)&ps->p);
    }
    return v;
}

struct text {
    char *buf;
    size_t len, cap;
};

static void emit(struct text *t, const char *s) {
    size_t n = strlen(s);
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->buf = realloc(t->buf, t->cap); // site: text_grown
    }
    memcpy(t->buf + t->len, s, n + 1);
    t->len += n;
}

static size_t count_values(const struct jvalue *v) {
    size_t c = 1;
    for (size_t i = 0; v->kind == J_ARR && i < v->n; i++) c += count_values(v->items[i]);
    for (size_t i = 0; v->kind == J_OBJ && i < v->n; i++) c += count_values(v->members[i].value);
    return c;
}

int main(void) {
    struct text t = {malloc(256), 0, 256}; // site: text
    char piece[192];
    emit(&t, "{\"service\": \"inventory\", \"version\": 3, \"hosts\": [");
    for (int h = 0; h < 120; h++) {
        snprintf(piece, sizeof piece, "%s{\"name\": \"host-%03d\", \"port\": %d, \"tags\": [\"zone-%d\", \"rack-%d\"], \"meta\": {\"owner\": %s, \"weight\": %d.5}}",
                 h ? ", " : "", h, 8000 + h, h % 4, h % 9, h % 5 ? "\"ops\"" : "null", h % 13);
        emit(&t, piece);
    }
    emit(&t, "], \"limits\": {\"cpu\": 4, \"memory\": 2048, \"files\": [1, 2, 3, 5, 8, 13]}}");
    struct doc *d = malloc(sizeof *d); // site: doc
    d->keys = malloc(sizeof *d->keys); // site: keytable
    d->keys->slots = calloc(KEYSLOTS, sizeof *d->keys->slots); // site: keyslots
    d->keys->count = 0;
    struct parser ps = {t.buf, d->keys};
    d->root = parse_value(&ps);
    free(t.buf);
    size_t loaded = count_values(d->root);
    scan_now();
    /* Edits: drop "meta" from every third host, rename ports, append tags. */
    struct jvalue *hosts = d->root->members[2].value;
    const struct atom *meta = intern(d->keys, "meta", 4);
    for (size_t h = 0; h < hosts->n; h++) {
        struct jvalue *host = hosts->items[h];
        for (size_t m = 0; m < host->n; m++) {
            if (host->members[m].key == meta && h % 3 == 0) {
                value_free(host->members[m].value);
                host->members[m] = host->members[--host->n];
                m--;
            } else if (host->members[m].value->kind == J_NUM) {
                value_free(host->members[m].value);
                host->members[m].value = value_new(J_STR);
                host->members[m].value->str = malloc(24); // site: jstr_edit
                snprintf(host->members[m].value->str, 24, "p%zu", h);
            } else if (host->members[m].value->kind == J_ARR) {
                for (int k = 0; k < (int)(h % 4); k++) array_push(host->members[m].value, value_new(J_NULL));
            }
        }
    }
    object_set(d->root, intern(d->keys, "edited", 6), value_new(J_NUM));
    printf("%zu %zu %zu\n", loaded, count_values(d->root), d->keys->count);
    value_free(d->root);
    for (size_t i = 0; i < KEYSLOTS; i++) free(d->keys->slots[i]);
    free(d->keys->slots);
    free(d->keys);
    free(d);
    return 0;
}
