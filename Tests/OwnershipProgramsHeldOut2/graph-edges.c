/* A directed weighted graph whose edges are heap blocks of their own (as in a network
 * simplex or a dependency graph): an edge points at its two end nodes and is threaded
 * into two lists, the source's outgoing list and the target's incoming list (the nodes
 * hold the first edge of each). The graph owns an array of nodes and an array of edges
 * (both grown with realloc); it frees nodes and edges through these arrays. A node owns
 * its label. Edges are removed mid-way (unlinked from both lists, freed, the array
 * compacted). Teardown: edges, then node labels and nodes, then the arrays, then the graph.
 * A scan runs once, after the removals, while the graph is queried. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

struct edge;

struct node {
    int id;
    char *label;
    struct edge *first_out, *first_in;
    long distance;
};

struct edge {
    struct node *from, *to;
    struct edge *next_out, *next_in;
    int weight;
};

struct graph {
    struct node **nodes;
    int node_count, node_capacity;
    struct edge **edges;
    int edge_count, edge_capacity;
};

static struct graph *graph_new(void) {
    struct graph *g = malloc(sizeof *g); // site: graph
    g->node_capacity = 16;
    g->node_count = 0;
    g->nodes = malloc(g->node_capacity * sizeof *g->nodes); // site: nodes
    g->edge_capacity = 16;
    g->edge_count = 0;
    g->edges = malloc(g->edge_capacity * sizeof *g->edges); // site: edges
    return g;
}

static struct node *add_node(struct graph *g, const char *name) {
    if (g->node_count == g->node_capacity) {
        g->node_capacity *= 2;
        g->nodes = realloc(g->nodes, g->node_capacity * sizeof *g->nodes); // site: nodes_grown
    }
    struct node *n = malloc(sizeof *n); // site: node
    n->id = g->node_count;
    n->label = strdup(name); // site: label
    n->first_out = n->first_in = NULL;
    n->distance = 0;
    g->nodes[g->node_count++] = n;
    return n;
}

static struct edge *add_edge(struct graph *g, struct node *from, struct node *to, int weight) {
    if (g->edge_count == g->edge_capacity) {
        g->edge_capacity *= 2;
        g->edges = realloc(g->edges, g->edge_capacity * sizeof *g->edges); // site: edges_grown
    }
    struct edge *e = malloc(sizeof *e); // site: edge
    e->from = from;
    e->to = to;
    e->weight = weight;
    e->next_out = from->first_out;
    from->first_out = e;
    e->next_in = to->first_in;
    to->first_in = e;
    g->edges[g->edge_count++] = e;
    return e;
}

static void remove_edge(struct graph *g, int index) {
    struct edge *e = g->edges[index];
    struct edge **link = &e->from->first_out;
    while (*link != e) link = &(*link)->next_out;
    *link = e->next_out;
    link = &e->to->first_in;
    while (*link != e) link = &(*link)->next_in;
    *link = e->next_in;
    g->edges[index] = g->edges[--g->edge_count];
    free(e);
}

/* Bellman-Ford-like relaxation from node 0 over the outgoing lists, a few passes. */
static long relax(struct graph *g) {
    for (int i = 0; i < g->node_count; i++) g->nodes[i]->distance = i ? 1000000 : 0;
    for (int pass = 0; pass < 8; pass++)
        for (int i = 0; i < g->node_count; i++)
            for (struct edge *e = g->nodes[i]->first_out; e; e = e->next_out)
                if (e->from->distance + e->weight < e->to->distance) e->to->distance = e->from->distance + e->weight;
    long sum = 0;
    for (int i = 0; i < g->node_count; i++) {
        long in = 0;
        for (struct edge *e = g->nodes[i]->first_in; e; e = e->next_in) in++;
        sum += g->nodes[i]->distance % 1000 + in;
    }
    return sum;
}

static void graph_free(struct graph *g) {
    for (int i = 0; i < g->edge_count; i++) free(g->edges[i]);
    for (int i = 0; i < g->node_count; i++) {
        free(g->nodes[i]->label);
        free(g->nodes[i]);
    }
    free(g->edges);
    free(g->nodes);
    free(g);
}

int main(void) {
    struct graph *g = graph_new();
    char name[32];
    srand(1234);
    for (int i = 0; i < 500; i++) {
        snprintf(name, sizeof name, "module/%03d/%s", i, i % 3 ? "lib" : "bin");
        add_node(g, name);
    }
    for (int i = 1; i < 500; i++) add_edge(g, g->nodes[rand() % i], g->nodes[i], 1 + rand() % 20);
    for (int k = 0; k < 2500; k++) add_edge(g, g->nodes[rand() % 500], g->nodes[rand() % 500], 1 + rand() % 50);
    for (int k = 0; k < 700; k++) remove_edge(g, 499 + rand() % (g->edge_count - 499));
    scan_now();
    long sum = relax(g);
    printf("%d %d %ld\n", g->node_count, g->edge_count, sum);
    graph_free(g);
    return 0;
}
