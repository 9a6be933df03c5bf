/* Consistent-hashing ring for a cache cluster. A boxed cluster owns a server table (32
 * slots, allocated once), an object table (allocated once) owning the objects, and the
 * ring: a sorted array of virtual nodes {hash, server pointer} (100 per server), first
 * allocated with room for 128 and moved by realloc as it doubles. Servers own their
 * name and an assignment array of object pointers (room for 8 at first, grown by
 * realloc), rebuilt after every membership change by walking the ring. Servers join and
 * leave; a leaving server's virtual nodes are squeezed out of the ring in place and the
 * server freed. Spare slots of both arrays are kept zeroed. Everything is freed at the
 * end. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXSERVERS 32
#define VNODES 100
#define NOBJ 2500

struct object {
    unsigned hash;
    char key[28];
    int size;
};

struct server {
    char *name;
    struct object **assigned;
    int nassigned, cap;
    long bytes;
};

struct vnode {
    unsigned hash;
    struct server *srv;
};

struct cluster {
    struct server **servers;
    struct vnode *ring;
    int nring, ringcap;
    struct object **objects;
};

static unsigned hash(const char *s, unsigned seed) {
    unsigned h = 2166136261u ^ seed;
    while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
    h ^= h >> 13;
    h *= 0x5bd1e995u;
    return h ^ (h >> 15);
}

static int cmp_vnode(const void *a, const void *b) {
    const struct vnode *x = a, *y = b;
    if (x->hash != y->hash) return x->hash < y->hash ? -1 : 1;
    return strcmp(x->srv->name, y->srv->name);
}

static void add_server(struct cluster *cl, int slot, const char *name) {
    struct server *s = malloc(sizeof *s); // site: server
    s->name = strdup(name); // site: server_name
    s->cap = 8;
    s->nassigned = 0;
    s->bytes = 0;
    s->assigned = calloc((size_t)s->cap, sizeof *s->assigned); // site: assigned
    cl->servers[slot] = s;
    for (int v = 0; v < VNODES; v++) {
        if (cl->nring == cl->ringcap) {
            cl->ringcap *= 2;
            cl->ring = realloc(cl->ring, (size_t)cl->ringcap * sizeof *cl->ring); // site: ring_grown
            memset(cl->ring + cl->nring, 0, (size_t)(cl->ringcap - cl->nring) * sizeof *cl->ring);
        }
        char buf[64];
        snprintf(buf, sizeof buf, "%s#%d", name, v);
        cl->ring[cl->nring].hash = hash(buf, 7);
        cl->ring[cl->nring].srv = s;
        cl->nring++;
    }
    qsort(cl->ring, (size_t)cl->nring, sizeof *cl->ring, cmp_vnode);
}

static void remove_server(struct cluster *cl, int slot) {
    struct server *s = cl->servers[slot];
    int w = 0;
    for (int r = 0; r < cl->nring; r++)
        if (cl->ring[r].srv != s) cl->ring[w++] = cl->ring[r];
    memset(cl->ring + w, 0, (size_t)(cl->nring - w) * sizeof *cl->ring);
    cl->nring = w;
    cl->servers[slot] = NULL;
    free(s->assigned);
    free(s->name);
    free(s);
}

static struct server *lookup(const struct cluster *cl, unsigned h) {
    int lo = 0, hi = cl->nring;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cl->ring[mid].hash < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return cl->ring[lo == cl->nring ? 0 : lo].srv;
}

static void rebalance(struct cluster *cl) {
    for (int i = 0; i < MAXSERVERS; i++)
        if (cl->servers[i]) {
            cl->servers[i]->nassigned = 0;
            cl->servers[i]->bytes = 0;
        }
    for (int o = 0; o < NOBJ; o++) {
        struct object *ob = cl->objects[o];
        struct server *s = lookup(cl, ob->hash);
        if (s->nassigned == s->cap) {
            s->cap *= 2;
            s->assigned = realloc(s->assigned, (size_t)s->cap * sizeof *s->assigned); // site: assigned_grown
            memset(s->assigned + s->nassigned, 0, (size_t)(s->cap - s->nassigned) * sizeof *s->assigned);
        }
        s->assigned[s->nassigned++] = ob;
        s->bytes += ob->size;
    }
}

static void report(const struct cluster *cl, const char *what) {
    int live = 0, most = 0, least = NOBJ;
    for (int i = 0; i < MAXSERVERS; i++) {
        const struct server *s = cl->servers[i];
        if (!s) continue;
        live++;
        if (s->nassigned > most) most = s->nassigned;
        if (s->nassigned < least) least = s->nassigned;
    }
    printf("%-22s %d servers, %d vnodes (cap %d), objects per server %d..%d\n", what, live, cl->nring, cl->ringcap, least, most);
}

int main(void) {
    struct cluster *cl = malloc(sizeof *cl); // site: cluster
    cl->servers = calloc(MAXSERVERS, sizeof *cl->servers); // site: servers
    cl->ringcap = 128;
    cl->nring = 0;
    cl->ring = calloc((size_t)cl->ringcap, sizeof *cl->ring); // site: ring
    cl->objects = malloc(NOBJ * sizeof *cl->objects); // site: objects
    for (int o = 0; o < NOBJ; o++) {
        struct object *ob = calloc(1, sizeof *ob); // site: object
        snprintf(ob->key, sizeof ob->key, "session:%06d", o * 7919 % 1000003);
        ob->hash = hash(ob->key, 0);
        ob->size = 100 + (int)(ob->hash % 900);
        cl->objects[o] = ob;
    }
    char name[40];
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "cache-%02d.rack-a.internal", i);
        add_server(cl, i, name);
    }
    rebalance(cl);
    report(cl, "initial");
    for (int i = 4; i < 9; i++) {
        snprintf(name, sizeof name, "cache-%02d.rack-b.internal", i);
        add_server(cl, i, name);
        rebalance(cl);
    }
    report(cl, "after scale-out");
    remove_server(cl, 1);
    remove_server(cl, 5);
    remove_server(cl, 6);
    rebalance(cl);
    report(cl, "after failures");
    for (int i = 9; i < 12; i++) {
        snprintf(name, sizeof name, "cache-%02d.rack-c.internal", i);
        add_server(cl, i, name);
    }
    rebalance(cl);
    report(cl, "after replacement");
    long total = 0;
    for (int i = 0; i < MAXSERVERS; i++)
        if (cl->servers[i]) total += cl->servers[i]->bytes;
    printf("total bytes %ld\n", total);
    for (int i = 0; i < MAXSERVERS; i++)
        if (cl->servers[i]) remove_server(cl, i);
    for (int o = 0; o < NOBJ; o++) free(cl->objects[o]);
    free(cl->objects);
    free(cl->ring);
    free(cl->servers);
    free(cl);
    return 0;
}
