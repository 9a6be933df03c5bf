/* A compiler's symbol table with block scopes (the classic open-hashing design of the
 * dragon book and of many small C compilers): symbols are chained in a fixed bucket array
 * by name, newest first, so an inner declaration shadows an outer one; every scope keeps
 * the list of the symbols declared in it, and popping a scope unlinks those symbols from
 * their chains (they are always at the front) and frees them with their names. Scopes
 * form a stack (each scope points at its enclosing one); the table holds the innermost.
 * Types live in the table's type array (built-ins plus derived pointer/array types that
 * point at their element type); symbols point at their type. A generated translation unit
 * of functions with nested blocks is "compiled": declarations, lookups, scope pops. No
 * scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 211
#define MAXTYPES 64

struct type {
    char *name;
    int size;
    struct type *elem;
};

struct symbol {
    char *name;
    struct type *type;
    int depth;
    long uses;
    struct symbol *hnext;
    struct symbol *scope_next;
};

struct scope {
    struct scope *parent;
    struct symbol *symbols;
    int depth;
};

struct symtab {
    struct symbol **buckets;
    struct scope *current;
    struct type **types;
    int ntypes;
    long lookups, misses;
};

static unsigned hash(const char *s) {
    unsigned h = 5381;
    while (*s) h = h * 33 + (unsigned char)*s++;
    return h % NBUCKETS;
}

static char *copy_name(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n); // site: sym_name
    memcpy(p, s, n);
    return p;
}

static struct type *type_add(struct symtab *t, const char *name, int size, struct type *elem) {
    struct type *ty = malloc(sizeof *ty); // site: type
    ty->name = malloc(strlen(name) + 1); // site: type_name
    strcpy(ty->name, name);
    ty->size = size;
    ty->elem = elem;
    t->types[t->ntypes++] = ty;
    return ty;
}

static void scope_push(struct symtab *t) {
    struct scope *s = malloc(sizeof *s); // site: scope
    s->parent = t->current;
    s->symbols = NULL;
    s->depth = t->current ? t->current->depth + 1 : 0;
    t->current = s;
}

static struct symbol *declare(struct symtab *t, const char *name, struct type *type) {
    struct symbol *sym = malloc(sizeof *sym); // site: symbol
    sym->name = copy_name(name);
    sym->type = type;
    sym->depth = t->current->depth;
    sym->uses = 0;
    unsigned h = hash(name);
    sym->hnext = t->buckets[h];
    t->buckets[h] = sym;
    sym->scope_next = t->current->symbols;
    t->current->symbols = sym;
    return sym;
}

static struct symbol *lookup(struct symtab *t, const char *name) {
    t->lookups++;
    for (struct symbol *s = t->buckets[hash(name)]; s; s = s->hnext)
        if (strcmp(s->name, name) == 0) return s;
    t->misses++;
    return NULL;
}

static void scope_pop(struct symtab *t) {
    struct scope *s = t->current;
    while (s->symbols) {
        struct symbol *sym = s->symbols;
        unsigned h = hash(sym->name);
        if (t->buckets[h] != sym) abort();
        t->buckets[h] = sym->hnext;
        s->symbols = sym->scope_next;
        free(sym->name);
        free(sym);
    }
    t->current = s->parent;
    free(s);
}

int main(void) {
    struct symtab *t = malloc(sizeof *t); // site: symtab
    t->buckets = calloc(NBUCKETS, sizeof *t->buckets); // site: buckets
    t->types = calloc(MAXTYPES, sizeof *t->types); // site: types
    t->ntypes = 0;
    t->current = NULL;
    t->lookups = t->misses = 0;
    struct type *base[4] = {type_add(t, "int", 4, NULL), type_add(t, "char", 1, NULL),
                            type_add(t, "double", 8, NULL), type_add(t, "long", 8, NULL)};
    char name[48];
    for (int i = 0; i < 24; i++) {
        snprintf(name, sizeof name, "%s%s", base[i % 4]->name, i % 2 ? "*" : "[16]");
        struct type *elem = i < 4 ? base[i] : t->types[(i * 7) % t->ntypes];
        type_add(t, name, i % 2 ? 8 : 16 * elem->size, elem);
    }
    scope_push(t); /* file scope */
    for (int g = 0; g < 40; g++) {
        snprintf(name, sizeof name, "global_%d", g);
        declare(t, name, t->types[g % t->ntypes]);
    }
    unsigned seed = 17;
    long found_depth = 0;
    for (int f = 0; f < 300; f++) {
        scope_push(t); /* parameters and body */
        for (int p = 0; p < 1 + f % 4; p++) {
            snprintf(name, sizeof name, "arg%d", p);
            declare(t, name, t->types[(f + p) % t->ntypes]);
        }
        int depth = 0;
        for (int stmt = 0; stmt < 40; stmt++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 10) % 8;
            if (r == 0 && depth < 6) {
                scope_push(t);
                depth++;
            } else if (r == 1 && depth > 0) {
                scope_pop(t);
                depth--;
            } else if (r < 5) {
                snprintf(name, sizeof name, (seed >> 4) % 3 ? "v%u" : "arg%u", (seed >> 14) % 12);
                declare(t, name, t->types[(seed >> 6) % t->ntypes]);
            } else {
                unsigned k = (seed >> 14) % 3;
                if (k == 0) snprintf(name, sizeof name, "v%u", (seed >> 16) % 12);
                else if (k == 1) snprintf(name, sizeof name, "arg%u", (seed >> 16) % 4);
                else snprintf(name, sizeof name, "global_%u", (seed >> 16) % 50);
                struct symbol *s = lookup(t, name);
                if (s) {
                    s->uses++;
                    found_depth += s->depth + s->type->size;
                }
            }
        }
        while (depth-- > 0) scope_pop(t);
        scope_pop(t);
    }
    long global_uses = 0;
    for (struct symbol *s = t->current->symbols; s; s = s->scope_next) global_uses += s->uses;
    scope_pop(t);
    for (int i = t->ntypes - 1; i >= 0; i--) {
        free(t->types[i]->name);
        free(t->types[i]);
    }
    free(t->types);
    free(t->buckets);
    printf("%ld %ld %ld %ld\n", t->lookups, t->misses, found_depth, global_uses);
    free(t);
    return 0;
}
