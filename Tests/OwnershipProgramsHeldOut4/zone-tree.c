/* Hierarchical memory zones (in the spirit of talloc's contexts or Samba/PostgreSQL memory
 * contexts): a zone owns the blocks allocated in it (a singly linked list of headers, each
 * allocation its own malloc'd block) and its child zones (an array grown with realloc);
 * destroying a zone frees its children first, then its blocks. A child points back at its
 * parent. A small server uses one zone per server, a child zone per connection and a
 * grandchild zone per request: objects in a request zone (the request, its header array,
 * header strings) point at each other and at the connection object in the parent zone;
 * objects remember their zone. Requests finish (their zone is destroyed), connections
 * close mid-way, and the server zone is destroyed at the end. One scan, in the middle of
 * a request, while all three levels are populated. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

struct zblock {
    struct zblock *next;
    size_t size;
    max_align_t data[];
};

struct zone {
    struct zone *parent;
    struct zone **children;
    size_t nchildren, cap;
    struct zblock *blocks;
    const char *label;
    size_t bytes;
};

static struct zone *zone_new(struct zone *parent, const char *label) {
    struct zone *z = malloc(sizeof *z); // site: zone
    z->parent = parent;
    z->children = NULL;
    z->nchildren = z->cap = 0;
    z->blocks = NULL;
    z->label = label;
    z->bytes = 0;
    if (parent) {
        if (parent->nchildren == parent->cap) {
            if (!parent->children) {
                parent->cap = 4;
                parent->children = malloc(parent->cap * sizeof *parent->children); // site: zchildren
            } else {
                parent->cap *= 2;
                parent->children = realloc(parent->children, parent->cap * sizeof *parent->children); // site: zchildren_grown
            }
        }
        parent->children[parent->nchildren++] = z;
    }
    return z;
}

static void *zalloc(struct zone *z, size_t size) {
    struct zblock *b = malloc(sizeof *b + size); // site: zblock
    b->next = z->blocks;
    b->size = size;
    z->blocks = b;
    z->bytes += size;
    return b->data;
}

static char *zstrdup(struct zone *z, const char *s) {
    size_t n = strlen(s) + 1;
    return memcpy(zalloc(z, n), s, n);
}

static void zone_free(struct zone *z) {
    for (size_t i = z->nchildren; i-- > 0;) zone_free(z->children[i]);
    free(z->children);
    while (z->blocks) {
        struct zblock *b = z->blocks;
        z->blocks = b->next;
        free(b);
    }
    free(z);
}

static void zone_destroy(struct zone *z) {
    struct zone *p = z->parent;
    for (size_t i = 0; i < p->nchildren; i++) {
        if (p->children[i] == z) {
            p->children[i] = p->children[--p->nchildren];
            p->children[p->nchildren] = NULL;
            break;
        }
    }
    zone_free(z);
}

struct connection {
    struct zone *zone;
    int fd;
    char *peer;
    long served;
};

struct header {
    const char *name;
    char *value;
};

struct request {
    struct zone *zone;
    struct connection *conn;
    char *path;
    struct header *headers;
    int nheaders;
};

static int scanned;

static long handle_request(struct connection *c, int n) {
    struct zone *rz = zone_new(c->zone, "request");
    struct request *r = zalloc(rz, sizeof *r);
    char buf[96];
    r->zone = rz;
    r->conn = c;
    snprintf(buf, sizeof buf, "/api/v1/items/%d?fd=%d", n * 13 % 997, c->fd);
    r->path = zstrdup(rz, buf);
    r->nheaders = 3 + n % 6;
    r->headers = zalloc(rz, (size_t)r->nheaders * sizeof *r->headers);
    static const char *names[] = {"Host", "Accept", "Cookie", "User-Agent", "X-Trace", "Range", "Via", "Origin"};
    long sum = 0;
    for (int h = 0; h < r->nheaders; h++) {
        snprintf(buf, sizeof buf, "value-%d-%d-%s", n, h, c->peer);
        r->headers[h].name = names[h];
        r->headers[h].value = zstrdup(rz, buf);
        sum += (long)strlen(r->headers[h].value);
    }
    if (!scanned && c->served == 10) {
        scanned = 1;
        scan_now();
    }
    c->served++;
    sum += (long)strlen(r->path) + (long)rz->bytes;
    zone_destroy(rz);
    return sum;
}

int main(void) {
    struct zone *server = zone_new(NULL, "server");
    struct connection **open = zalloc(server, 64 * sizeof *open);
    int nopen = 0, next_fd = 3;
    long total = 0;
    unsigned seed = 71;
    char peer[32];
    for (int tick = 0; tick < 400; tick++) {
        seed = seed * 1103515245u + 12345u;
        if (nopen < 64 && (nopen < 8 || (seed >> 10) % 3 == 0)) {
            struct zone *cz = zone_new(server, "connection");
            struct connection *c = zalloc(cz, sizeof *c);
            c->zone = cz;
            c->fd = next_fd++;
            snprintf(peer, sizeof peer, "10.0.%d.%d:%d", c->fd / 200, c->fd % 200, 40000 + c->fd);
            c->peer = zstrdup(cz, peer);
            c->served = 0;
            open[nopen++] = c;
        }
        for (int i = 0; i < nopen; i++)
            if ((seed >> (i % 16)) & 1) total += handle_request(open[i], tick * 7 + i);
        if ((seed >> 20) % 4 == 0 && nopen > 4) {
            int victim = (int)((seed >> 5) % (unsigned)nopen);
            total += open[victim]->served;
            zone_destroy(open[victim]->zone);
            open[victim] = open[--nopen];
            open[nopen] = NULL;
        }
    }
    printf("%ld %d %zu %zu\n", total, nopen, server->nchildren, server->bytes);
    zone_free(server);
    return 0;
}
