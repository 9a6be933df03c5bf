/* A session table as a cuckoo hash (Pagh and Rodler) with a small stash: two tables of
 * entry pointers, each key having one candidate slot per table. Inserting into an occupied
 * slot evicts ("kicks") the occupant to its slot in the other table, and so on for up to
 * MAXKICK moves; the entry left homeless then goes to a four-slot stash inside the table
 * struct, and when the stash is full the tables are rebuilt twice as large with new hash
 * seeds (new arrays, every entry reinserted, the old arrays freed). An entry owns its key
 * string and a token buffer that a refresh may grow with realloc. Sessions expire
 * (entries deleted, their slot cleared) and are refreshed mid-way; the table is freed at
 * the end. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXKICK 24
#define STASH 4

struct entry {
    char *key;
    unsigned char *token;
    size_t token_len;
    long last_seen;
};

struct cuckoo {
    struct entry **t0, **t1;
    size_t cap;
    size_t count;
    unsigned seed0, seed1;
    struct entry *stash[STASH];
    long kicks, rebuilds;
};

static unsigned hash(const char *s, unsigned seed) {
    unsigned h = seed ^ 2166136261u;
    while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
    return h ^ (h >> 15);
}

static void alloc_tables(struct cuckoo *c, size_t cap) {
    c->cap = cap;
    c->t0 = calloc(cap, sizeof *c->t0); // site: table0
    c->t1 = calloc(cap, sizeof *c->t1); // site: table1
}

/* Places e, kicking occupants; returns the entry left homeless, or NULL. */
static struct entry *place(struct cuckoo *c, struct entry *e) {
    for (int k = 0; k < MAXKICK; k++) {
        size_t i0 = hash(e->key, c->seed0) % c->cap;
        if (!c->t0[i0]) {
            c->t0[i0] = e;
            return NULL;
        }
        size_t i1 = hash(e->key, c->seed1) % c->cap;
        if (!c->t1[i1]) {
            c->t1[i1] = e;
            return NULL;
        }
        struct entry *victim = (k & 1) ? c->t1[i1] : c->t0[i0];
        if (k & 1) c->t1[i1] = e;
        else c->t0[i0] = e;
        e = victim;
        c->kicks++;
    }
    return e;
}

static void insert(struct cuckoo *c, struct entry *e);

static void rebuild(struct cuckoo *c) {
    struct entry **old0 = c->t0, **old1 = c->t1;
    size_t oldcap = c->cap;
    struct entry *stashed[STASH];
    memcpy(stashed, c->stash, sizeof stashed);
    memset(c->stash, 0, sizeof c->stash);
    c->seed0 = c->seed0 * 2654435761u + 17;
    c->seed1 = c->seed1 * 40503u + 29;
    alloc_tables(c, oldcap * 2);
    c->rebuilds++;
    for (size_t i = 0; i < oldcap; i++) {
        if (old0[i]) insert(c, old0[i]);
        if (old1[i]) insert(c, old1[i]);
    }
    for (int s = 0; s < STASH; s++)
        if (stashed[s]) insert(c, stashed[s]);
    free(old0);
    free(old1);
}

static void insert(struct cuckoo *c, struct entry *e) {
    struct entry *homeless = place(c, e);
    if (!homeless) return;
    for (int s = 0; s < STASH; s++)
        if (!c->stash[s]) {
            c->stash[s] = homeless;
            return;
        }
    rebuild(c);
    insert(c, homeless);
}

static struct entry **lookup(struct cuckoo *c, const char *key) {
    struct entry **p = &c->t0[hash(key, c->seed0) % c->cap];
    if (*p && strcmp((*p)->key, key) == 0) return p;
    p = &c->t1[hash(key, c->seed1) % c->cap];
    if (*p && strcmp((*p)->key, key) == 0) return p;
    for (int s = 0; s < STASH; s++)
        if (c->stash[s] && strcmp(c->stash[s]->key, key) == 0) return &c->stash[s];
    return NULL;
}

static void entry_free(struct entry *e) {
    free(e->token);
    free(e->key);
    free(e);
}

static void session_key(char *buf, size_t n, unsigned id) {
    snprintf(buf, n, "sess-%08x-%u", id * 2246822519u, id % 97);
}

int main(void) {
    struct cuckoo *c = calloc(1, sizeof *c); // site: cuckoo
    c->seed0 = 0x1234;
    c->seed1 = 0xbeef;
    alloc_tables(c, 16);
    char key[40];
    unsigned seed = 99;
    long hits = 0, misses = 0, expired = 0;
    for (long now = 0; now < 12000; now++) {
        seed = seed * 1103515245u + 12345u;
        unsigned id = (seed >> 8) % 1500;
        session_key(key, sizeof key, id);
        struct entry **slot = lookup(c, key);
        if (slot) {
            struct entry *e = *slot;
            hits++;
            if (now - e->last_seen > 3000) {
                *slot = NULL;
                entry_free(e);
                c->count--;
                expired++;
            } else if ((seed >> 20) % 4 == 0) {
                e->token_len += 16;
                e->token = realloc(e->token, e->token_len); // site: token_grown
                memset(e->token + e->token_len - 16, (int)(now & 0xff), 16);
                e->last_seen = now;
            }
            continue;
        }
        misses++;
        if ((seed >> 18) % 3 == 0) continue;
        struct entry *e = malloc(sizeof *e); // site: entry
        e->key = malloc(strlen(key) + 1); // site: key
        strcpy(e->key, key);
        e->token_len = 24;
        e->token = malloc(e->token_len); // site: token
        memset(e->token, (int)(id & 0xff), e->token_len);
        e->last_seen = now;
        insert(c, e);
        c->count++;
    }
    size_t in_stash = 0, bytes = 0;
    for (int s = 0; s < STASH; s++) in_stash += c->stash[s] != NULL;
    for (size_t i = 0; i < c->cap; i++) {
        if (c->t0[i]) bytes += c->t0[i]->token_len;
        if (c->t1[i]) bytes += c->t1[i]->token_len;
    }
    printf("%zu %zu %zu %ld %ld %ld %ld %ld %zu\n", c->count, c->cap, in_stash, hits, misses, expired, c->kicks, c->rebuilds, bytes);
    for (size_t i = 0; i < c->cap; i++) {
        if (c->t0[i]) entry_free(c->t0[i]);
        if (c->t1[i]) entry_free(c->t1[i]);
    }
    for (int s = 0; s < STASH; s++)
        if (c->stash[s]) entry_free(c->stash[s]);
    free(c->t0);
    free(c->t1);
    free(c);
    return 0;
}
