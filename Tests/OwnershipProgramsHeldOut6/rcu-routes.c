/* A router's forwarding table updated read-copy-update style, with epoch-based
 * reclamation. The current table (a block with the routes' pointers inline, sorted by
 * prefix) is published through an atomic pointer; two reader threads do longest-prefix
 * lookups on whatever table they load, announcing the global epoch while they read. The
 * main thread (the writer) applies 1500 updates, each by copying the current table into
 * a new one (the unchanged routes are the same blocks, pointed at by both versions),
 * adding a route (owning its interface name), withdrawing one or replacing one with a
 * new route of another metric; it publishes the copy, bumps the epoch, and queues a
 * retire record holding the old table and the withdrawn or replaced route. A reclaimer
 * thread takes the records in order, waits until no reader still announces an older
 * epoch, and frees the route, the old table and the record. At shutdown the writer
 * retires the last table with all its routes, so every table, route, name and record is
 * allocated on main and freed on the reclaimer. No scan. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NREADERS 2
#define LOOKUPS 4000

struct route {
    unsigned prefix;
    unsigned char plen;
    int metric;
    char *ifname;
};

struct rtable {
    long version;
    size_t n;
    struct route *r[];
};

struct retire {
    struct retire *next;
    unsigned long epoch;
    struct rtable *table;
    struct route *route;
    int all;
};

static _Atomic(struct rtable *) current;
static atomic_ulong global_epoch = 1;
static atomic_ulong reader_epoch[NREADERS];
static unsigned long reader_found[NREADERS];
static pthread_mutex_t retire_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t retire_cond = PTHREAD_COND_INITIALIZER;
static struct retire *retire_head, *retire_tail;
static int writer_done;

static unsigned long rng = 31337;
static unsigned long next_rand(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return rng >> 33;
}

static struct rtable *table_new(size_t n, long version) {
    struct rtable *t = malloc(sizeof *t + n * sizeof t->r[0]); // site: rtable
    t->n = n;
    t->version = version;
    return t;
}

static struct route *route_new(unsigned prefix, unsigned char plen, int metric) {
    struct route *r = malloc(sizeof *r); // site: route
    r->prefix = prefix & (plen ? ~0u << (32 - plen) : 0);
    r->plen = plen;
    r->metric = metric;
    r->ifname = malloc(24); // site: route_ifname
    snprintf(r->ifname, 24, "eth%d.%u", metric % 4, (prefix >> 8) & 0xfff);
    return r;
}

static void route_free(struct route *r) {
    free(r->ifname); // site: ifname_freed
    free(r); // site: route_freed
}

static void *reader(void *arg) {
    int me = (int)(long)arg;
    unsigned long x = 1000 + (unsigned long)me, found = 0;
    for (int i = 0; i < LOOKUPS; i++) {
        x = x * 2862933555777941757UL + 3037000493UL;
        unsigned addr = (unsigned)(x >> 32);
        atomic_store(&reader_epoch[me], atomic_load(&global_epoch));
        struct rtable *t = atomic_load(&current);
        const struct route *best = NULL;
        for (size_t k = 0; k < t->n; k++) {
            const struct route *r = t->r[k];
            unsigned mask = r->plen ? ~0u << (32 - r->plen) : 0;
            if ((addr & mask) == r->prefix && (!best || r->plen > best->plen)) best = r;
        }
        if (best && best->ifname[0] == 'e') found++;
        atomic_store(&reader_epoch[me], 0);
        if (i % 64 == 0) sched_yield();
    }
    reader_found[me] = found;
    return NULL;
}

static int grace_passed(unsigned long epoch) {
    for (int i = 0; i < NREADERS; i++) {
        unsigned long e = atomic_load(&reader_epoch[i]);
        if (e != 0 && e < epoch) return 0;
    }
    return 1;
}

static void *reclaimer(void *arg) {
    long *freed_tables = arg;
    for (;;) {
        pthread_mutex_lock(&retire_lock);
        while (!retire_head && !writer_done) pthread_cond_wait(&retire_cond, &retire_lock);
        struct retire *rec = retire_head;
        if (rec) {
            retire_head = rec->next;
            if (!retire_head) retire_tail = NULL;
            rec->next = NULL;
        }
        pthread_mutex_unlock(&retire_lock);
        if (!rec) break;
        while (!grace_passed(rec->epoch)) sched_yield();
        if (rec->all)
            for (size_t k = 0; k < rec->table->n; k++) route_free(rec->table->r[k]);
        if (rec->route) route_free(rec->route);
        free(rec->table); // site: rtable_freed
        free(rec); // site: retire_freed
        (*freed_tables)++;
    }
    return NULL;
}

static void retire(struct rtable *old, struct route *gone, int all, unsigned long epoch) {
    struct retire *rec = malloc(sizeof *rec); // site: retire
    rec->next = NULL;
    rec->epoch = epoch;
    rec->table = old;
    rec->route = gone;
    rec->all = all;
    pthread_mutex_lock(&retire_lock);
    if (retire_tail) retire_tail->next = rec;
    else retire_head = rec;
    retire_tail = rec;
    pthread_cond_signal(&retire_cond);
    pthread_mutex_unlock(&retire_lock);
}

static void publish(struct rtable *fresh, struct route *gone) {
    struct rtable *old = atomic_exchange(&current, fresh);
    unsigned long epoch = atomic_fetch_add(&global_epoch, 1) + 1;
    retire(old, gone, 0, epoch);
}

static size_t find_pos(const struct rtable *t, unsigned prefix, unsigned char plen, int *exact) {
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const struct route *r = t->r[mid];
        if (r->prefix < prefix || (r->prefix == prefix && r->plen < plen)) lo = mid + 1;
        else hi = mid;
    }
    *exact = lo < t->n && t->r[lo]->prefix == prefix && t->r[lo]->plen == plen;
    return lo;
}

int main(void) {
    long freed_tables = 0;
    atomic_store(&current, table_new(0, 0));
    pthread_t readers[NREADERS], rec;
    pthread_create(&rec, NULL, reclaimer, &freed_tables);
    for (long i = 0; i < NREADERS; i++) pthread_create(&readers[i], NULL, reader, (void *)i);
    long adds = 0, withdraws = 0, replaces = 0;
    for (long version = 1; version <= 1500; version++) {
        struct rtable *old = atomic_load(&current);
        unsigned long r = next_rand();
        unsigned char plen = (unsigned char)(8 + (r >> 3) % 17);
        unsigned prefix = (unsigned)((r >> 8) % 64) << 24 | (unsigned)((r >> 14) % 256) << 16 | (unsigned)((r >> 22) % 4) << 8;
        prefix &= ~0u << (32 - plen);
        int exact;
        size_t pos = find_pos(old, prefix, plen, &exact);
        if (!exact && (old->n < 40 || r % 3 != 0)) {
            struct rtable *t = table_new(old->n + 1, version);
            memcpy(t->r, old->r, pos * sizeof t->r[0]);
            t->r[pos] = route_new(prefix, plen, (int)(r % 100));
            memcpy(t->r + pos + 1, old->r + pos, (old->n - pos) * sizeof t->r[0]);
            publish(t, NULL);
            adds++;
        } else if (old->n > 0) {
            if (!exact) pos = (size_t)(r >> 5) % old->n;
            struct route *gone = old->r[pos];
            if (r % 2 == 0) {
                struct rtable *t = table_new(old->n - 1, version);
                memcpy(t->r, old->r, pos * sizeof t->r[0]);
                memcpy(t->r + pos, old->r + pos + 1, (old->n - pos - 1) * sizeof t->r[0]);
                publish(t, gone);
                withdraws++;
            } else {
                struct rtable *t = table_new(old->n, version);
                memcpy(t->r, old->r, old->n * sizeof t->r[0]);
                t->r[pos] = route_new(gone->prefix, gone->plen, gone->metric + 1);
                publish(t, gone);
                replaces++;
            }
        }
        if (version % 16 == 0) sched_yield();
    }
    for (int i = 0; i < NREADERS; i++) pthread_join(readers[i], NULL);
    struct rtable *last = atomic_load(&current);
    size_t nlast = last->n;
    unsigned long sum = 0;
    for (size_t k = 0; k < last->n; k++) sum += last->r[k]->prefix % 9973 + (unsigned)last->r[k]->metric + strlen(last->r[k]->ifname);
    atomic_store(&current, NULL);
    retire(last, NULL, 1, atomic_fetch_add(&global_epoch, 1) + 1);
    pthread_mutex_lock(&retire_lock);
    writer_done = 1;
    pthread_cond_signal(&retire_cond);
    pthread_mutex_unlock(&retire_lock);
    pthread_join(rec, NULL);
    printf("%ld %ld %ld %zu %ld %lu\n", adds, withdraws, replaces, nlast, freed_tables, sum);
    return 0;
}
