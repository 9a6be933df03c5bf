/* A log-structured merge store (LevelDB / RocksDB in miniature) with four column
 * families inline in one array. Each family has a memtable (an unbalanced binary search
 * tree of nodes owning a key string and a value string; a delete stores a tombstone,
 * an overwrite frees the old value) and a list of sorted runs (an array of run pointers,
 * oldest first, grown by realloc). When the memtable holds 64 keys it is flushed: the
 * keys and values are MOVED out of the nodes into the entries array of a new run (exact
 * size) and the nodes are freed; each run also has a bloom filter. When a family has
 * eight runs they are merged into one: the newest version of each key is moved into the
 * merged run's entries array, shadowed versions and tombstones are freed, the old runs
 * with their entries arrays and filters are freed. Gets consult the memtable and then
 * the runs newest first. At the end everything is freed. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCF 4
#define MEMTABLE_KEYS 64
#define MAX_RUNS 8
#define BLOOM_BITS 1024

struct mnode {
    struct mnode *left, *right;
    char *key;
    char *val;
};

struct ent {
    char *key;
    char *val;
};

struct run {
    size_t n;
    struct ent *ents;
    unsigned char *bloom;
    long id;
};

struct cf {
    struct mnode *mem;
    size_t memcount;
    struct run **runs;
    size_t nruns, runcap;
    long flushes, merges, dropped;
};

static unsigned long rng = 777;
static unsigned long next_rand(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return rng >> 33;
}

static unsigned long hash(const char *s) {
    unsigned long h = 1469598103934665603UL;
    while (*s) h = (h ^ (unsigned char)*s++) * 1099511628211UL;
    return h;
}

static void put(struct cf *c, const char *key, char *val) {
    struct mnode **link = &c->mem;
    while (*link) {
        int cmp = strcmp(key, (*link)->key);
        if (cmp == 0) {
            free((*link)->val);
            (*link)->val = val;
            return;
        }
        link = cmp < 0 ? &(*link)->left : &(*link)->right;
    }
    struct mnode *n = calloc(1, sizeof *n); // site: mnode
    n->key = strdup(key); // site: mkey
    n->val = val;
    *link = n;
    c->memcount++;
}

static char *make_val(unsigned long r) {
    size_t len = 8 + r % 90;
    char *v = malloc(len + 1); // site: mval
    for (size_t i = 0; i < len; i++) v[i] = (char)('a' + (r + i * 3) % 26);
    v[len] = 0;
    return v;
}

static struct run *run_new(size_t n, struct ent *ents, long id) {
    struct run *r = malloc(sizeof *r); // site: run
    r->n = n;
    r->ents = ents;
    r->id = id;
    r->bloom = calloc(BLOOM_BITS / 8, 1); // site: bloom
    for (size_t i = 0; i < n; i++) {
        unsigned long h = hash(ents[i].key);
        r->bloom[(h % BLOOM_BITS) / 8] |= (unsigned char)(1u << (h % 8));
        r->bloom[((h >> 20) % BLOOM_BITS) / 8] |= (unsigned char)(1u << ((h >> 20) % 8));
    }
    return r;
}

static void run_free(struct run *r) {
    free(r->ents);
    free(r->bloom);
    free(r);
}

static void add_run(struct cf *c, struct run *r) {
    if (c->nruns == c->runcap) {
        c->runcap *= 2;
        c->runs = realloc(c->runs, c->runcap * sizeof *c->runs); // site: runs_grown
    }
    c->runs[c->nruns++] = r;
}

static size_t drain_tree(struct mnode *n, struct ent *out, size_t at) {
    if (!n) return at;
    at = drain_tree(n->left, out, at);
    out[at].key = n->key;
    out[at].val = n->val;
    n->key = n->val = NULL;
    at++;
    at = drain_tree(n->right, out, at);
    free(n);
    return at;
}

static void flush(struct cf *c, long id) {
    struct ent *ents = malloc(c->memcount * sizeof *ents); // site: run_ents
    size_t n = drain_tree(c->mem, ents, 0);
    c->mem = NULL;
    c->memcount = 0;
    add_run(c, run_new(n, ents, id));
    c->flushes++;
}

static void merge_all(struct cf *c, long id) {
    size_t total = 0, pos[MAX_RUNS] = {0};
    for (size_t i = 0; i < c->nruns; i++) total += c->runs[i]->n;
    struct ent *out = malloc(total * sizeof *out); // site: run_ents_merged
    size_t n = 0;
    for (;;) {
        const char *min = NULL;
        for (size_t i = 0; i < c->nruns; i++)
            if (pos[i] < c->runs[i]->n && (!min || strcmp(c->runs[i]->ents[pos[i]].key, min) < 0)) min = c->runs[i]->ents[pos[i]].key;
        if (!min) break;
        struct ent newest = {NULL, NULL};
        for (size_t i = 0; i < c->nruns; i++) {
            if (pos[i] >= c->runs[i]->n || strcmp(c->runs[i]->ents[pos[i]].key, min) != 0) continue;
            struct ent *e = &c->runs[i]->ents[pos[i]++];
            if (newest.key) {
                free(newest.key);
                free(newest.val);
                c->dropped++;
            }
            newest = *e;
            e->key = e->val = NULL;
            min = newest.key;
        }
        if (newest.val) out[n++] = newest;
        else {
            free(newest.key);
            c->dropped++;
        }
    }
    for (size_t i = 0; i < c->nruns; i++) {
        run_free(c->runs[i]);
        c->runs[i] = NULL;
    }
    c->nruns = 0;
    if (n) add_run(c, run_new(n, out, id));
    else free(out);
    c->merges++;
}

static const char *get(const struct cf *c, const char *key) {
    for (const struct mnode *m = c->mem; m;) {
        int cmp = strcmp(key, m->key);
        if (cmp == 0) return m->val;
        m = cmp < 0 ? m->left : m->right;
    }
    unsigned long h = hash(key);
    for (size_t i = c->nruns; i-- > 0;) {
        const struct run *r = c->runs[i];
        if (!(r->bloom[(h % BLOOM_BITS) / 8] & (1u << (h % 8)))) continue;
        if (!(r->bloom[((h >> 20) % BLOOM_BITS) / 8] & (1u << ((h >> 20) % 8)))) continue;
        size_t lo = 0, hi = r->n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            int cmp = strcmp(key, r->ents[mid].key);
            if (cmp == 0) return r->ents[mid].val;
            if (cmp < 0) hi = mid;
            else lo = mid + 1;
        }
    }
    return NULL;
}

static void free_tree(struct mnode *n) {
    if (!n) return;
    free_tree(n->left);
    free_tree(n->right);
    free(n->key);
    free(n->val);
    free(n);
}

int main(void) {
    struct cf *cfs = calloc(NCF, sizeof *cfs); // site: cfs
    for (int i = 0; i < NCF; i++) {
        cfs[i].runcap = 2;
        cfs[i].runs = malloc(cfs[i].runcap * sizeof *cfs[i].runs); // site: runs
    }
    long run_id = 0, hits = 0, misses = 0;
    unsigned long sum = 0;
    for (int step = 0; step < 40000; step++) {
        unsigned long r = next_rand();
        struct cf *c = &cfs[(r >> 2) % NCF];
        char key[32];
        snprintf(key, sizeof key, "user:%05lu", (r >> 8) % 3000);
        unsigned op = (unsigned)(r % 10);
        if (op < 6) {
            put(c, key, make_val(r >> 12));
        } else if (op < 7) {
            put(c, key, NULL);
        } else {
            const char *v = get(c, key);
            if (v) {
                hits++;
                sum += strlen(v) + (unsigned char)v[0];
            } else {
                misses++;
            }
        }
        if (c->memcount >= MEMTABLE_KEYS) {
            flush(c, run_id++);
            if (c->nruns == MAX_RUNS) merge_all(c, run_id++);
        }
    }
    long flushes = 0, merges = 0, dropped = 0;
    size_t left = 0;
    for (int i = 0; i < NCF; i++) {
        struct cf *c = &cfs[i];
        flushes += c->flushes;
        merges += c->merges;
        dropped += c->dropped;
        left += c->memcount;
        free_tree(c->mem);
        for (size_t k = 0; k < c->nruns; k++) {
            struct run *rr = c->runs[k];
            left += rr->n;
            for (size_t e = 0; e < rr->n; e++) {
                free(rr->ents[e].key);
                free(rr->ents[e].val);
            }
            run_free(rr);
        }
        free(c->runs);
    }
    free(cfs);
    printf("%ld %ld %ld %zu %ld %ld %lu\n", flushes, merges, dropped, left, hits, misses, sum);
    return 0;
}
