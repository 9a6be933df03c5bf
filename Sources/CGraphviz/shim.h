#pragma once
/* Graphviz's layout engine (libgvc, `dot`), and plain functions for what its headers
 * offer only as macros, which Swift cannot call. */
#include <graphviz/gvc.h>

static inline Agraph_t *ms_gv_open(const char *name) { return agopen((char *)name, Agdirected, NULL); }
static inline Agraph_t *ms_gv_subgraph(Agraph_t *g, const char *name) { return agsubg(g, (char *)name, 1); }
static inline Agnode_t *ms_gv_node(Agraph_t *g, const char *name) { return agnode(g, (char *)name, 1); }
static inline Agedge_t *ms_gv_edge(Agraph_t *g, Agnode_t *t, Agnode_t *h, const char *name) {
    return agedge(g, t, h, (char *)name, 1);
}
static inline void ms_gv_set(void *object, const char *name, const char *value) {
    agsafeset(object, (char *)name, (char *)value, "");
}
static inline void ms_gv_subnode(Agraph_t *g, Agnode_t *n) { agsubnode(g, n, 1); }

static inline pointf ms_gv_node_center(Agnode_t *n) { return ND_coord(n); }
static inline double ms_gv_node_width(Agnode_t *n) { return ND_width(n); }   /* inches */
static inline double ms_gv_node_height(Agnode_t *n) { return ND_height(n); } /* inches */

static inline int ms_gv_edge_beziers(Agedge_t *e) { return ED_spl(e) ? ED_spl(e)->size : 0; }
static inline bezier *ms_gv_edge_bezier(Agedge_t *e, int i) { return &ED_spl(e)->list[i]; }
static inline int ms_gv_edge_has_label(Agedge_t *e) { return ED_label(e) != NULL && ED_label(e)->set; }
static inline pointf ms_gv_edge_label_center(Agedge_t *e) { return ED_label(e)->pos; }
static inline pointf ms_gv_edge_label_size(Agedge_t *e) { return ED_label(e)->dimen; }

static inline boxf ms_gv_bounds(Agraph_t *g) { return GD_bb(g); }
