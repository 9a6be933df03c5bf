/* Word-statistics map as a Robin Hood open-addressing hash table (linear probing; an
 * inserted entry displaces a richer one, i.e. one closer to its home slot; deletion
 * shifts the following cluster back by one). Entries are inline in the slot array:
 * {hash, distance, key pointer, record pointer}. The boxed map's first slot array (16
 * slots) is replaced by a freshly allocated array of twice (or, when sparse, half) the
 * size whenever the load leaves 1/8..7/8; entries are moved over and the old array
 * freed. Keys are string copies; records own a tag string. Everything is freed at the
 * end. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct record {
    long count;
    char *tag;
};

struct slot {
    unsigned hash;
    int dist; /* -1: empty */
    char *key;
    struct record *rec;
};

struct map {
    struct slot *slots;
    unsigned cap, n;
    int resizes;
};

static unsigned long rng = 5150;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static unsigned hash(const char *s) {
    unsigned h = 5381;
    while (*s) h = h * 33 + (unsigned char)*s++;
    return h ^ (h >> 16);
}

static void place(struct slot *slots, unsigned cap, struct slot e) {
    unsigned i = e.hash & (cap - 1);
    e.dist = 0;
    for (;;) {
        if (slots[i].dist < 0) {
            slots[i] = e;
            return;
        }
        if (slots[i].dist < e.dist) {
            struct slot t = slots[i];
            slots[i] = e;
            e = t;
        }
        i = (i + 1) & (cap - 1);
        e.dist++;
    }
}

static void resize(struct map *m, unsigned newcap) {
    struct slot *fresh = malloc(newcap * sizeof *fresh); // site: slots_resized
    for (unsigned i = 0; i < newcap; i++) fresh[i] = (struct slot){0, -1, NULL, NULL};
    for (unsigned i = 0; i < m->cap; i++)
        if (m->slots[i].dist >= 0) place(fresh, newcap, m->slots[i]);
    free(m->slots);
    m->slots = fresh;
    m->cap = newcap;
    m->resizes++;
}

static long find(const struct map *m, const char *key, unsigned h) {
    unsigned i = h & (m->cap - 1);
    for (int d = 0;; d++) {
        const struct slot *s = &m->slots[i];
        if (s->dist < 0 || s->dist < d) return -1;
        if (s->hash == h && strcmp(s->key, key) == 0) return (long)i;
        i = (i + 1) & (m->cap - 1);
    }
}

static void bump(struct map *m, const char *key, int step) {
    unsigned h = hash(key);
    long at = find(m, key, h);
    if (at >= 0) {
        m->slots[at].rec->count++;
        return;
    }
    if ((m->n + 1) * 8 > m->cap * 7) resize(m, m->cap * 2);
    struct slot e;
    e.hash = h;
    e.key = strdup(key); // site: key
    e.rec = malloc(sizeof *e.rec); // site: record
    char tag[48];
    snprintf(tag, sizeof tag, "first seen at step %d", step);
    e.rec->tag = strdup(tag); // site: tag
    e.rec->count = 1;
    place(m->slots, m->cap, e);
    m->n++;
}

static int erase(struct map *m, const char *key) {
    unsigned h = hash(key);
    long at = find(m, key, h);
    if (at < 0) return 0;
    unsigned i = (unsigned)at;
    struct slot gone = m->slots[i];
    for (;;) { /* backward shift */
        unsigned j = (i + 1) & (m->cap - 1);
        if (m->slots[j].dist <= 0) break;
        m->slots[i] = m->slots[j];
        m->slots[i].dist--;
        i = j;
    }
    m->slots[i].dist = -1;
    m->slots[i].key = NULL;
    m->slots[i].rec = NULL;
    m->n--;
    free(gone.rec->tag);
    free(gone.rec);
    free(gone.key);
    if (m->cap > 16 && m->n * 8 < m->cap) resize(m, m->cap / 2);
    return 1;
}

int main(void) {
    struct map *m = malloc(sizeof *m); // site: map
    m->cap = 16;
    m->n = 0;
    m->resizes = 0;
    m->slots = malloc(m->cap * sizeof *m->slots); // site: slots
    for (unsigned i = 0; i < m->cap; i++) m->slots[i] = (struct slot){0, -1, NULL, NULL};
    char key[40];
    int erased = 0;
    for (int step = 0; step < 35000; step++) {
        unsigned r = rnd();
        /* phase 1 grows, phase 2 erases most keys, phase 3 grows again */
        int phase = step < 10000 ? 1 : step < 25000 ? 2 : 3;
        snprintf(key, sizeof key, "token_%05u_%s", rnd() % (phase == 3 ? 6000 : 3000), (r & 1) ? "noun" : "verb");
        if ((phase == 2 && r % 16 != 0) || (phase != 2 && r % 9 == 0))
            erased += erase(m, key);
        else
            bump(m, key, step);
        if (step == 9999 || step == 24999 || step == 34999) {
            int maxd = 0;
            long total = 0;
            for (unsigned i = 0; i < m->cap; i++) {
                if (m->slots[i].dist > maxd) maxd = m->slots[i].dist;
                if (m->slots[i].dist >= 0) total += m->slots[i].rec->count;
            }
            printf("step %d: %u keys in %u slots, %d resizes, %d erased, max probe %d, total %ld\n", step + 1, m->n, m->cap, m->resizes, erased, maxd, total);
        }
    }
    for (unsigned i = 0; i < m->cap; i++) {
        if (m->slots[i].dist < 0) continue;
        free(m->slots[i].rec->tag);
        free(m->slots[i].rec);
        free(m->slots[i].key);
    }
    free(m->slots);
    free(m);
    return 0;
}
