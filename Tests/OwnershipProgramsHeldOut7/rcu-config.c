/* Read-copy-update style configuration publishing: a writer thread builds every version
 * of a routing configuration (a snapshot owning an array of routes, each route owning its
 * host name), publishes it by swapping the shared `current` pointer under a mutex and
 * pushes the version it replaced onto a retired list (head in the shared state,
 * `retired_next` links in the snapshots). The main thread is the reclaimer: it
 * repeatedly detaches the whole retired list and frees the snapshots on it (host names,
 * then route array, then snapshot, each on its own line); at the end it retires and
 * frees the last version the same way. Every snapshot, route array and host name is thus
 * allocated on the writer and freed on main. Readers (main, between reclaims) look at
 * the current version under the mutex. Output depends only on the writer. No scan. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VERSIONS 400

struct route {
    char *host;
    int port;
    int weight;
};

struct snapshot {
    long version;
    int nroutes;
    struct route *routes;
    struct snapshot *retired_next;
};

struct shared {
    pthread_mutex_t lock;
    struct snapshot *current;
    struct snapshot *retired;
    int writer_done;
    unsigned long checksum;
};

static struct snapshot *build(long version) {
    struct snapshot *s = calloc(1, sizeof *s); // site: snapshot
    s->version = version;
    s->nroutes = 3 + (int)(version % 5);
    s->routes = calloc((size_t)s->nroutes, sizeof *s->routes); // site: routes
    for (int i = 0; i < s->nroutes; i++) {
        char name[48];
        snprintf(name, sizeof name, "backend-%ld-%d.internal.example", version % 97, i);
        s->routes[i].host = strdup(name); // site: route_host
        s->routes[i].port = 8000 + i;
        s->routes[i].weight = (int)((version * 7 + i) % 10);
    }
    return s;
}

static void *writer(void *arg) {
    struct shared *sh = arg;
    unsigned long sum = 0;
    for (long v = 1; v <= VERSIONS; v++) {
        struct snapshot *s = build(v);
        for (int i = 0; i < s->nroutes; i++) sum = sum * 31 + (unsigned long)s->routes[i].weight + strlen(s->routes[i].host);
        pthread_mutex_lock(&sh->lock);
        struct snapshot *old = sh->current;
        sh->current = s;
        if (old) {
            old->retired_next = sh->retired;
            sh->retired = old;
        }
        pthread_mutex_unlock(&sh->lock);
        if (v % 16 == 0) sched_yield();
    }
    pthread_mutex_lock(&sh->lock);
    sh->checksum = sum;
    sh->writer_done = 1;
    pthread_mutex_unlock(&sh->lock);
    return NULL;
}

static long reclaim(struct shared *sh) {
    pthread_mutex_lock(&sh->lock);
    struct snapshot *list = sh->retired;
    sh->retired = NULL;
    pthread_mutex_unlock(&sh->lock);
    long n = 0;
    while (list) {
        struct snapshot *s = list;
        list = s->retired_next;
        s->retired_next = NULL;
        for (int i = 0; i < s->nroutes; i++) {
            free(s->routes[i].host); // site: route_host_freed
            s->routes[i].host = NULL;
        }
        free(s->routes); // site: routes_freed
        free(s); // site: snapshot_freed
        n++;
    }
    return n;
}

int main(void) {
    struct shared *sh = calloc(1, sizeof *sh); // site: shared
    pthread_mutex_init(&sh->lock, NULL);
    pthread_t w;
    pthread_create(&w, NULL, writer, sh);
    long reclaimed = 0, reads = 0;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        int done = sh->writer_done;
        if (sh->current) reads += sh->current->routes[0].port > 0;
        pthread_mutex_unlock(&sh->lock);
        reclaimed += reclaim(sh);
        if (done) break;
        sched_yield();
    }
    pthread_join(w, NULL);
    pthread_mutex_lock(&sh->lock);
    sh->current->retired_next = sh->retired;
    sh->retired = sh->current;
    sh->current = NULL;
    pthread_mutex_unlock(&sh->lock);
    reclaimed += reclaim(sh);
    printf("versions=%d reclaimed=%ld checksum=%lu\n", VERSIONS, reclaimed, sh->checksum);
    (void)reads;
    pthread_mutex_destroy(&sh->lock);
    free(sh);
    return 0;
}
