/* Gate-level circuit netlist (a one-bit full adder and a 2-bit ripple chain): a boxed
 * circuit owns a fixed calloc'ed gate array and a net array (calloc'ed for 2, doubled
 * by realloc); gates own names and point at their input and output nets (non-owning);
 * nets own names and fan-out arrays (calloc'ed for 1, doubled by realloc) pointing at
 * the gates that read them, plus a driver pointer (non-owning). The circuit is
 * simulated for every input combination. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { XOR, AND, OR };

struct net;
struct gate { char *name; int type; struct net *in[2]; struct net *out; };
struct net { char *name; struct gate **fanout; int nfan, capfan; struct gate *driver; int value; };
struct circuit { struct gate **gates; int ngates, capgates; struct net **nets; int nnets, capnets; int net_grows, fan_grows; };

static struct net *add_net(struct circuit *c, const char *name) {
    if (c->nnets == c->capnets) {
        c->capnets *= 2;
        c->nets = realloc(c->nets, (size_t)c->capnets * sizeof *c->nets); // site: nets_grown
        c->net_grows++;
    }
    struct net *n = calloc(1, sizeof *n); // site: net
    n->name = strdup(name); // site: net_name
    n->capfan = 1;
    n->fanout = calloc(1, sizeof *n->fanout); // site: fanout
    c->nets[c->nnets++] = n;
    return n;
}

static struct net *find_net(struct circuit *c, const char *name) {
    for (int i = 0; i < c->nnets; i++)
        if (strcmp(c->nets[i]->name, name) == 0) return c->nets[i];
    return add_net(c, name);
}

static void add_gate(struct circuit *c, const char *name, int type, const char *a, const char *b, const char *out) {
    struct gate *g = calloc(1, sizeof *g); // site: gate
    g->name = strdup(name); // site: gate_name
    g->type = type;
    g->in[0] = find_net(c, a);
    g->in[1] = find_net(c, b);
    g->out = find_net(c, out);
    g->out->driver = g;
    for (int k = 0; k < 2; k++) {
        struct net *n = g->in[k];
        if (n->nfan == n->capfan) {
            n->capfan *= 2;
            n->fanout = realloc(n->fanout, (size_t)n->capfan * sizeof *n->fanout); // site: fanout_grown
            c->fan_grows++;
        }
        n->fanout[n->nfan++] = g;
    }
    c->gates[c->ngates++] = g;
}

static void simulate(struct circuit *c) {
    for (int i = 0; i < c->ngates; i++) {
        struct gate *g = c->gates[i];
        int x = g->in[0]->value, y = g->in[1]->value;
        g->out->value = g->type == XOR ? x ^ y : g->type == AND ? x & y : x | y;
    }
}

int main(void) {
    struct circuit *c = calloc(1, sizeof *c); // site: circuit
    c->capgates = 10;
    c->gates = calloc((size_t)c->capgates, sizeof *c->gates); // site: gates
    c->capnets = 2;
    c->nets = calloc((size_t)c->capnets, sizeof *c->nets); // site: nets
    /* bit 0 */
    add_gate(c, "x0a", XOR, "a0", "b0", "p0");
    add_gate(c, "x0b", XOR, "p0", "cin", "s0");
    add_gate(c, "a0a", AND, "a0", "b0", "g0");
    add_gate(c, "a0b", AND, "p0", "cin", "t0");
    add_gate(c, "o0", OR, "g0", "t0", "c1");
    /* bit 1 */
    add_gate(c, "x1a", XOR, "a1", "b1", "p1");
    add_gate(c, "x1b", XOR, "p1", "c1", "s1");
    add_gate(c, "a1a", AND, "a1", "b1", "g1");
    add_gate(c, "a1b", AND, "p1", "c1", "t1");
    add_gate(c, "o1", OR, "g1", "t1", "cout");
    printf("gates %d nets %d (cap %d, %d grows) fanout grows %d\n", c->ngates, c->nnets, c->capnets, c->net_grows,
           c->fan_grows);
    for (int i = 0; i < c->nnets; i++) {
        struct net *n = c->nets[i];
        if (n->nfan < 2) continue;
        printf("  %-4s driven by %-4s feeds", n->name, n->driver ? n->driver->name : "-");
        for (int k = 0; k < n->nfan; k++) printf(" %s", n->fanout[k]->name);
        printf("\n");
    }
    int errors = 0;
    for (int v = 0; v < 32; v++) {
        int a = v & 3, b = (v >> 2) & 3, cin = v >> 4;
        find_net(c, "a0")->value = a & 1;
        find_net(c, "a1")->value = a >> 1;
        find_net(c, "b0")->value = b & 1;
        find_net(c, "b1")->value = b >> 1;
        find_net(c, "cin")->value = cin;
        simulate(c);
        int sum = find_net(c, "s0")->value | find_net(c, "s1")->value << 1 | find_net(c, "cout")->value << 2;
        if (sum != a + b + cin) errors++;
        if (v % 9 == 0) printf("  %d + %d + %d = %d\n", a, b, cin, sum);
    }
    printf("errors %d\n", errors);
    for (int i = 0; i < c->ngates; i++) {
        free(c->gates[i]->name);
        free(c->gates[i]);
    }
    for (int i = 0; i < c->nnets; i++) {
        free(c->nets[i]->name);
        free(c->nets[i]->fanout);
        free(c->nets[i]);
    }
    free(c->gates);
    free(c->nets);
    free(c);
    return 0;
}
