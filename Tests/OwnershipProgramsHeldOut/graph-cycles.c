/* A directed graph with cycles: a graph struct owns an array of its vertices; each vertex
 * owns an adjacency array (grown with realloc) of pointers to other vertices, which it
 * does not own (edges form cycles: every vertex i points at i+1 mod N, and at random
 * others). Two graphs; a scan runs while they live. Teardown: each vertex's adjacency
 * array then the vertex, then the vertex array, then the graph. */
#include <stdio.h>
#include <stdlib.h>
#include "scan.h"

struct vertex {
    struct vertex **out;
    int degree, capacity;
    long id;
};

struct graph {
    struct vertex **vertices;
    int count;
};

__attribute__((noinline)) static struct vertex *vertex_new(long id) {
    struct vertex *v = malloc(sizeof *v); // site: vertex
    v->capacity = 2;
    v->degree = 0;
    v->out = malloc(v->capacity * sizeof *v->out); // site: adjacency
    v->id = id;
    return v;
}

__attribute__((noinline)) static void connect(struct vertex *from, struct vertex *to) {
    if (from->degree == from->capacity) {
        from->capacity *= 2;
        from->out = realloc(from->out, from->capacity * sizeof *from->out); // site: adjacency_grown
    }
    from->out[from->degree++] = to;
}

__attribute__((noinline)) static struct graph *graph_new(int count) {
    struct graph *g = malloc(sizeof *g); // site: graph
    g->count = count;
    g->vertices = malloc(count * sizeof *g->vertices); // site: vertices
    for (int i = 0; i < count; i++) g->vertices[i] = vertex_new(i);
    for (int i = 0; i < count; i++) {
        connect(g->vertices[i], g->vertices[(i + 1) % count]);
        for (int k = 0; k < 1 + i % 5; k++) connect(g->vertices[i], g->vertices[rand() % count]);
    }
    return g;
}

__attribute__((noinline)) static void graph_free(struct graph *g) {
    for (int i = 0; i < g->count; i++) {
        free(g->vertices[i]->out);
        free(g->vertices[i]);
    }
    free(g->vertices);
    free(g);
}

int main(void) {
    srand(17);
    struct graph *a = graph_new(300), *b = graph_new(120);
    scan_now();
    long degrees = 0;
    for (int i = 0; i < a->count; i++) degrees += a->vertices[i]->degree;
    graph_free(a);
    graph_free(b);
    printf("%ld\n", degrees);
    return 0;
}
