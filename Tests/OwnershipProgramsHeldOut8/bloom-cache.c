/* A key-value cache fronted by a Bloom filter: a bucket array of chained entries (each
 * entry owns its key and its value strings), a bit array answering "surely absent"
 * before the chains are walked, and a capacity beyond which the head entry of a random
 * non-empty bucket is evicted. A hit moves the entry to the front of its chain. The
 * bucket array starts with 16 chains and is replaced by one twice as large when the load
 * passes 1: every entry is re-linked into the new array and the old array freed; every
 * 1000 operations the cache is flushed (all entries unlinked and freed) and its array
 * replaced by a new one of 16 chains (made by the same function as the first). An
 * update replaces the value with a new string (the old freed after the new is stored).
 * Since a Bloom filter cannot forget, after every 150 removals it is rebuilt into a new
 * bit array from the live keys and the old one freed. Unlinking an entry clears its
 * `next` before it is freed. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPS 7000
#define KEYS 900
#define CAP 420
#define BLOOM_BITS 8192

struct entry {
    unsigned long hash;
    char *key;
    char *val;
    struct entry *next;
};

struct cache {
    unsigned char *bloom;
    struct entry **buckets;
    size_t nbuckets, count;
    long removals_since_rebuild, rebuilds, rehashes;
    long hits, misses, skipped;
};

static unsigned long hash_str(const char *s) {
    unsigned long h = 1469598103934665603UL;
    while (*s) h = (h ^ (unsigned char)*s++) * 1099511628211UL;
    return h;
}

static void bloom_set(unsigned char *bits, unsigned long h) {
    for (int k = 0; k < 3; k++) {
        unsigned long b = (h >> (k * 17)) % BLOOM_BITS;
        bits[b / 8] |= (unsigned char)(1u << (b % 8));
    }
}

static int bloom_maybe(const unsigned char *bits, unsigned long h) {
    for (int k = 0; k < 3; k++) {
        unsigned long b = (h >> (k * 17)) % BLOOM_BITS;
        if (!(bits[b / 8] & (1u << (b % 8)))) return 0;
    }
    return 1;
}

static struct entry **find_link(struct cache *c, const char *key, unsigned long h) {
    struct entry **pp = &c->buckets[h % c->nbuckets];
    while (*pp && ((*pp)->hash != h || strcmp((*pp)->key, key) != 0)) pp = &(*pp)->next;
    return pp;
}

static void unlink_free(struct cache *c, struct entry **pp) {
    struct entry *e = *pp;
    *pp = e->next;
    e->next = NULL;
    free(e->key);
    free(e->val);
    free(e);
    c->count--;
    if (++c->removals_since_rebuild == 150) {
        unsigned char *nb = calloc(BLOOM_BITS / 8, 1); // site: bloom_rebuilt
        for (size_t i = 0; i < c->nbuckets; i++)
            for (struct entry *x = c->buckets[i]; x; x = x->next) bloom_set(nb, x->hash);
        unsigned char *old = c->bloom;
        c->bloom = nb;
        free(old);
        c->removals_since_rebuild = 0;
        c->rebuilds++;
    }
}

static struct entry **new_table(size_t n) {
    return calloc(n, sizeof(struct entry *)); // site: buckets
}

static void resize(struct cache *c, size_t nn) {
    struct entry **nb = calloc(nn, sizeof *nb); // site: buckets_rehash
    for (size_t i = 0; i < c->nbuckets; i++) {
        struct entry *e = c->buckets[i];
        c->buckets[i] = NULL;
        while (e) {
            struct entry *next = e->next;
            e->next = nb[e->hash % nn];
            nb[e->hash % nn] = e;
            e = next;
        }
    }
    free(c->buckets);
    c->buckets = nb;
    c->nbuckets = nn;
    c->rehashes++;
}

static const char *get(struct cache *c, const char *key) {
    unsigned long h = hash_str(key);
    if (!bloom_maybe(c->bloom, h)) {
        c->skipped++;
        return NULL;
    }
    struct entry **pp = find_link(c, key, h);
    struct entry *e = *pp;
    if (!e) {
        c->misses++;
        return NULL;
    }
    struct entry **head = &c->buckets[h % c->nbuckets];
    if (pp != head) {
        *pp = e->next;
        e->next = *head;
        *head = e;
    }
    c->hits++;
    return e->val;
}

static void put(struct cache *c, const char *key, const char *val) {
    unsigned long h = hash_str(key);
    struct entry **pp = find_link(c, key, h);
    if (*pp) {
        char *nv = strdup(val); // site: val_new
        char *old = (*pp)->val;
        (*pp)->val = nv;
        free(old);
        return;
    }
    struct entry *e = calloc(1, sizeof *e); // site: entry
    e->hash = h;
    e->key = strdup(key); // site: key
    e->val = strdup(val); // site: val
    struct entry **head = &c->buckets[h % c->nbuckets];
    e->next = *head;
    *head = e;
    bloom_set(c->bloom, h);
    c->count++;
    if (c->count > c->nbuckets) resize(c, c->nbuckets * 2);
}

static unsigned long rng = 2463534242UL;
static unsigned long next_rand(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return rng >> 29;
}

int main(void) {
    struct cache *c = calloc(1, sizeof *c); // site: cache
    c->nbuckets = 16;
    c->buckets = new_table(c->nbuckets);
    c->bloom = calloc(BLOOM_BITS / 8, 1); // site: bloom
    unsigned long check = 0;
    for (int op = 0; op < OPS; op++) {
        unsigned long r = next_rand();
        char key[48], val[96];
        snprintf(key, sizeof key, "user:%05lu:session", r % KEYS);
        const char *v = get(c, key);
        if (v) {
            check = check * 31 + strlen(v);
            if (r % 5 == 0) {
                snprintf(val, sizeof val, "{\"visits\":%d,\"last\":\"op-%06d\",\"flags\":\"updated\"}", op % 97, op);
                put(c, key, val);
            }
        } else {
            snprintf(val, sizeof val, "{\"visits\":1,\"first\":\"op-%06d\"}", op);
            put(c, key, val);
        }
        if (op % 1000 == 999) {
            for (size_t i = 0; i < c->nbuckets; i++)
                while (c->buckets[i]) unlink_free(c, &c->buckets[i]);
            struct entry **old = c->buckets;
            c->buckets = new_table(16);
            c->nbuckets = 16;
            free(old);
        }
        while (c->count > CAP) {
            size_t b = (r >> 7) % c->nbuckets;
            while (!c->buckets[b]) b = (b + 1) % c->nbuckets;
            unlink_free(c, &c->buckets[b]);
        }
    }
    printf("count=%zu buckets=%zu rehashes=%ld rebuilds=%ld hits=%ld misses=%ld skipped=%ld check=%lu\n", c->count,
           c->nbuckets, c->rehashes, c->rebuilds, c->hits, c->misses, c->skipped, check);
    for (size_t i = 0; i < c->nbuckets; i++)
        while (c->buckets[i]) unlink_free(c, &c->buckets[i]);
    free(c->buckets);
    free(c->bloom);
    free(c);
    return 0;
}
