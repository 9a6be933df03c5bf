/* Package manager dependency graph: a boxed registry owns a calloc'ed array of package
 * records; each package owns its name and a calloc'ed array of pointers to the packages
 * it depends on (non-owning, always earlier packages). An install order is computed by
 * depth-first search into a calloc'ed order array (non-owning) and printed. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pkg { char *name; struct pkg **deps; int ndeps; int mark; int index; };
struct registry { struct pkg **pkgs; int n; };

static void visit(struct pkg *p, struct pkg **order, int *len) {
    if (p->mark) return;
    p->mark = 1;
    for (int d = 0; d < p->ndeps; d++) visit(p->deps[d], order, len);
    order[(*len)++] = p;
}

int main(void) {
    struct registry *reg = malloc(sizeof *reg); // site: registry
    reg->n = 24;
    reg->pkgs = calloc(reg->n, sizeof *reg->pkgs); // site: pkgs
    for (int i = 0; i < reg->n; i++) {
        struct pkg *p = calloc(1, sizeof *p); // site: pkg
        char buf[32];
        snprintf(buf, sizeof buf, "lib%02d-core", i);
        p->name = strdup(buf); // site: pkg_name
        p->index = i;
        p->ndeps = i == 0 ? 0 : 1 + i % 3;
        if (p->ndeps > i) p->ndeps = i;
        if (p->ndeps) {
            p->deps = calloc(p->ndeps, sizeof *p->deps); // site: deps
            for (int d = 0; d < p->ndeps; d++) p->deps[d] = reg->pkgs[(i * 7 + d * 5) % i];
        }
        reg->pkgs[i] = p;
    }
    struct pkg **order = calloc(reg->n, sizeof *order); // site: order
    int len = 0;
    for (int i = reg->n - 1; i >= 0; i--) visit(reg->pkgs[i], order, &len);
    printf("install order (%d):", len);
    for (int i = 0; i < len; i++) printf(" %d", order[i]->index);
    printf("\n");
    int edges = 0;
    for (int i = 0; i < reg->n; i++) edges += reg->pkgs[i]->ndeps;
    printf("edges %d first %s last %s\n", edges, order[0]->name, order[len - 1]->name);
    free(order);
    for (int i = 0; i < reg->n; i++) {
        free(reg->pkgs[i]->deps);
        free(reg->pkgs[i]->name);
        free(reg->pkgs[i]);
    }
    free(reg->pkgs);
    free(reg);
    return 0;
}
