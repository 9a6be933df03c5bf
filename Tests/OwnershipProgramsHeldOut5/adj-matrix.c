/* A road-network graph stored as a dense adjacency matrix: an array of row pointers, each
 * row a separately allocated array of edge weights (0 = no edge). When the vertex capacity
 * doubles, the row array and every row are grown with realloc (new rows are allocated at
 * the new width). Beside the matrix, an array of per-vertex attribute blocks (name,
 * coordinates, and the predecessor on the last shortest-path tree, a pointer to another
 * attribute block). Removing a vertex frees its attribute block and name, clears its
 * slot, its row and its column (the row stays allocated and is reused by the next vertex
 * added in that slot) and every predecessor pointer to it. Dijkstra's algorithm (O(n^2),
 * with scratch distance and done arrays) runs between edits. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vattr {
    int id;
    char *name;
    double x, y;
    struct vattr *pred;
    long reached;
};

struct graph {
    int n, cap;
    unsigned short **rows;
    struct vattr **attrs;
    long alive;
};

static void grow(struct graph *g) {
    int old = g->cap;
    g->cap *= 2;
    g->rows = realloc(g->rows, (size_t)g->cap * sizeof *g->rows); // site: rows_grown
    g->attrs = realloc(g->attrs, (size_t)g->cap * sizeof *g->attrs); // site: attrs_grown
    for (int i = old; i < g->cap; i++) {
        g->rows[i] = NULL;
        g->attrs[i] = NULL;
    }
    for (int i = 0; i < g->n; i++) {
        g->rows[i] = realloc(g->rows[i], (size_t)g->cap * sizeof **g->rows); // site: row_grown
        memset(g->rows[i] + old, 0, (size_t)(g->cap - old) * sizeof **g->rows);
    }
}

static int add_vertex(struct graph *g, int id) {
    int slot = 0;
    while (slot < g->n && g->attrs[slot]) slot++;
    if (slot == g->n) {
        if (g->n == g->cap) grow(g);
        g->rows[g->n] = calloc((size_t)g->cap, sizeof **g->rows); // site: row
        g->n++;
    }
    struct vattr *a = calloc(1, sizeof *a); // site: vattr
    a->id = id;
    a->name = malloc(40); // site: vname
    snprintf(a->name, 40, "junction %d (sector %d)", id, id % 13);
    a->x = (double)(id * 37 % 1000);
    a->y = (double)(id * 91 % 1000);
    g->attrs[slot] = a;
    g->alive++;
    return slot;
}

static void remove_vertex(struct graph *g, int v) {
    struct vattr *a = g->attrs[v];
    for (int i = 0; i < g->n; i++) {
        g->rows[v][i] = 0;
        g->rows[i][v] = 0;
        if (g->attrs[i] && g->attrs[i]->pred == a) g->attrs[i]->pred = NULL;
    }
    g->attrs[v] = NULL;
    free(a->name);
    free(a);
    g->alive--;
}

static long dijkstra(struct graph *g, int src) {
    unsigned *dist = malloc((size_t)g->n * sizeof *dist); // site: dist
    char *done = calloc((size_t)g->n, 1); // site: done
    for (int i = 0; i < g->n; i++) {
        dist[i] = ~0u;
        if (g->attrs[i]) g->attrs[i]->pred = NULL;
    }
    dist[src] = 0;
    long reached = 0;
    for (;;) {
        int u = -1;
        for (int i = 0; i < g->n; i++)
            if (!done[i] && g->attrs[i] && dist[i] != ~0u && (u < 0 || dist[i] < dist[u])) u = i;
        if (u < 0) break;
        done[u] = 1;
        reached++;
        g->attrs[u]->reached++;
        for (int v = 0; v < g->n; v++) {
            unsigned w = g->rows[u][v];
            if (w && g->attrs[v] && !done[v] && dist[u] + w < dist[v]) {
                dist[v] = dist[u] + w;
                g->attrs[v]->pred = g->attrs[u];
            }
        }
    }
    long hops = 0;
    for (int i = 0; i < g->n; i++)
        for (struct vattr *p = g->attrs[i] ? g->attrs[i]->pred : NULL; p; p = p->pred) hops++;
    free(done);
    free(dist);
    return reached * 1000 + hops;
}

int main(void) {
    struct graph *g = calloc(1, sizeof *g); // site: graph
    g->cap = 8;
    g->rows = calloc((size_t)g->cap, sizeof *g->rows); // site: rows
    g->attrs = calloc((size_t)g->cap, sizeof *g->attrs); // site: attrs
    unsigned seed = 271828;
    long score = 0;
    int next_id = 0;
    for (int i = 0; i < 12; i++) add_vertex(g, next_id++);
    for (int op = 0; op < 3000; op++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 8;
        int u = (int)(r % (unsigned)g->n), v = (int)((r >> 10) % (unsigned)g->n);
        switch ((r >> 20) % 10) {
        case 0:
            if (g->alive < 150) add_vertex(g, next_id++);
            break;
        case 1:
            if (g->attrs[u] && g->alive > 8) remove_vertex(g, u);
            break;
        case 2:
            if (g->attrs[u]) score += dijkstra(g, u);
            break;
        default:
            if (u != v && g->attrs[u] && g->attrs[v]) {
                unsigned short w = (unsigned short)(1 + (r >> 3) % 50);
                g->rows[u][v] = w;
                if (r & 1) g->rows[v][u] = w;
            }
        }
    }
    long edges = 0, reached = 0;
    for (int i = 0; i < g->n; i++) {
        for (int j = 0; j < g->n; j++) edges += g->rows[i][j] != 0;
        if (g->attrs[i]) reached += g->attrs[i]->reached;
    }
    printf("%d %d %ld %ld %ld %ld\n", g->n, g->cap, g->alive, edges, reached, score);
    for (int i = 0; i < g->n; i++) {
        if (g->attrs[i]) {
            free(g->attrs[i]->name);
            free(g->attrs[i]);
        }
        free(g->rows[i]);
    }
    free(g->attrs);
    free(g->rows);
    free(g);
    return 0;
}
