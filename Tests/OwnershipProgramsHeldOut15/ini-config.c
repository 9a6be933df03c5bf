/* INI configuration store: a boxed config owns an array of section pointers (calloc'ed
 * for 2, doubled by realloc, new half zeroed); a section owns its name and a singly
 * linked list of key/value pairs (newest first); each pair owns its key and value
 * copies and points back at its section; a section may inherit from an earlier one
 * (non-owning `parent`). Values are replaced on update (freed, new copy), pairs are
 * deleted; lookups fall back to the parent section. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct section;
struct kv { struct kv *next; char *key; char *val; struct section *sec; };
struct section { char *name; struct kv *pairs; struct section *parent; int npairs; };
struct config { struct section **secs; int n, cap; };

static struct section *add_section(struct config *c, const char *name, struct section *parent) {
    if (c->n == c->cap) {
        c->secs = realloc(c->secs, 2 * (size_t)c->cap * sizeof *c->secs); // site: secs_grown
        memset(c->secs + c->cap, 0, (size_t)c->cap * sizeof *c->secs);
        c->cap *= 2;
    }
    struct section *s = malloc(sizeof *s); // site: section
    s->name = strdup(name); // site: sec_name
    s->pairs = NULL;
    s->parent = parent;
    s->npairs = 0;
    c->secs[c->n++] = s;
    return s;
}

static struct kv *find_own(struct section *s, const char *key) {
    for (struct kv *p = s->pairs; p; p = p->next)
        if (strcmp(p->key, key) == 0) return p;
    return NULL;
}

static void set_value(struct section *s, const char *key, const char *val) {
    struct kv *p = find_own(s, key);
    if (p) {
        free(p->val);
        p->val = strdup(val); // site: val_new
        return;
    }
    p = malloc(sizeof *p); // site: kv
    p->key = strdup(key); // site: key
    p->val = strdup(val); // site: val
    p->sec = s;
    p->next = s->pairs;
    s->pairs = p;
    s->npairs++;
}

static int delete_key(struct section *s, const char *key) {
    for (struct kv **pp = &s->pairs; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->key, key) == 0) {
            struct kv *p = *pp;
            *pp = p->next;
            free(p->key);
            free(p->val);
            free(p);
            s->npairs--;
            return 1;
        }
    }
    return 0;
}

static const char *lookup(struct section *s, const char *key) {
    for (; s; s = s->parent) {
        struct kv *p = find_own(s, key);
        if (p) return p->val;
    }
    return NULL;
}

int main(void) {
    static const char *keys[] = { "host", "port", "timeout", "retries", "log_level", "cache_dir", "user", "workers" };
    struct config *c = malloc(sizeof *c); // site: config
    c->cap = 2;
    c->n = 0;
    c->secs = calloc(2, sizeof *c->secs); // site: secs
    char name[32], val[48];
    for (int i = 0; i < 11; i++) {
        snprintf(name, sizeof name, "%s.%d", i % 3 == 0 ? "server" : "client", i);
        struct section *parent = i >= 3 ? c->secs[(i * 7) % (i - 1)] : NULL;
        struct section *s = add_section(c, name, parent);
        for (int k = 0; k < 8; k++) {
            if ((i + k) % 3 == 1) continue;
            snprintf(val, sizeof val, "value-%d-%d-%s", i, k, keys[(k + i) % 8]);
            set_value(s, keys[k], val);
        }
    }
    int updated = 0, deleted = 0;
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < c->n; i++) {
            const char *k = keys[(i * 5 + round) % 8];
            if ((i + round) % 4 == 0) deleted += delete_key(c->secs[i], k);
            else {
                snprintf(val, sizeof val, "round%d:%s:%d", round, k, i * 11);
                set_value(c->secs[i], k, val);
                updated++;
            }
        }
    }
    unsigned long h = 0;
    int found = 0;
    for (int i = 0; i < c->n; i++)
        for (int k = 0; k < 8; k++) {
            const char *v = lookup(c->secs[i], keys[k]);
            if (!v) continue;
            found++;
            for (const char *q = v; *q; q++) h = h * 31 + (unsigned char)*q;
        }
    int pairs = 0;
    for (int i = 0; i < c->n; i++) pairs += c->secs[i]->npairs;
    printf("sections %d cap %d pairs %d updated %d deleted %d found %d hash %lu\n", c->n, c->cap, pairs, updated, deleted, found, h % 1000003);
    for (int i = 0; i < c->n; i++) {
        struct section *s = c->secs[i];
        while (s->pairs) {
            struct kv *p = s->pairs;
            s->pairs = p->next;
            free(p->key);
            free(p->val);
            free(p);
        }
        free(s->name);
        free(s);
    }
    free(c->secs);
    free(c);
    return 0;
}
