/* Regular-expression matcher on Thompson's construction (the layout of Russ Cox's
 * nfa.c, without the pointer-list trick): postfix patterns are compiled into a boxed
 * NFA whose state array (calloc'ed for 4, doubled by realloc) owns the states; states
 * point at their successor states (non-owning, with loops for `*` and `+`). Matching
 * walks two calloc'ed state lists (non-owning) per subject string. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SPLIT = 256, MATCH = 257 };

struct state { int c; struct state *out, *out1; int lastlist; };
struct nfa { struct state **states; int n, cap, grows, listid; struct state *start; };
struct frag { struct state *start; struct state **outs[32]; int nouts; };

static struct state *new_state(struct nfa *a, int c, struct state *out, struct state *out1) {
    if (a->n == a->cap) {
        a->cap *= 2;
        a->states = realloc(a->states, (size_t)a->cap * sizeof *a->states); // site: states_grown
        a->grows++;
    }
    struct state *s = malloc(sizeof *s); // site: state
    s->c = c;
    s->out = out;
    s->out1 = out1;
    s->lastlist = -1;
    a->states[a->n++] = s;
    return s;
}

static void patch(struct frag *f, struct state *s) {
    for (int i = 0; i < f->nouts; i++) *f->outs[i] = s;
}

static struct nfa *compile(const char *postfix) {
    struct nfa *a = calloc(1, sizeof *a); // site: nfa
    a->cap = 4;
    a->states = calloc((size_t)a->cap, sizeof *a->states); // site: states
    struct frag stk[8];
    int sp = 0;
    for (const char *p = postfix; *p; p++) {
        struct frag e1, e2, f;
        struct state *s;
        switch (*p) {
        case '.':
            e2 = stk[--sp];
            e1 = stk[--sp];
            patch(&e1, e2.start);
            f = e2;
            f.start = e1.start;
            stk[sp++] = f;
            break;
        case '|':
            e2 = stk[--sp];
            e1 = stk[--sp];
            s = new_state(a, SPLIT, e1.start, e2.start);
            f = e1;
            f.start = s;
            for (int i = 0; i < e2.nouts; i++) f.outs[f.nouts++] = e2.outs[i];
            stk[sp++] = f;
            break;
        case '?':
            e1 = stk[--sp];
            s = new_state(a, SPLIT, e1.start, NULL);
            f = e1;
            f.start = s;
            f.outs[f.nouts++] = &s->out1;
            stk[sp++] = f;
            break;
        case '*':
        case '+':
            e1 = stk[--sp];
            s = new_state(a, SPLIT, e1.start, NULL);
            patch(&e1, s);
            f.start = *p == '*' ? s : e1.start;
            f.outs[0] = &s->out1;
            f.nouts = 1;
            stk[sp++] = f;
            break;
        default:
            s = new_state(a, (unsigned char)*p, NULL, NULL);
            f.start = s;
            f.outs[0] = &s->out;
            f.nouts = 1;
            stk[sp++] = f;
            break;
        }
    }
    struct frag e = stk[--sp];
    patch(&e, new_state(a, MATCH, NULL, NULL));
    a->start = e.start;
    return a;
}

static struct state **new_list(int n) {
    return calloc((size_t)n, sizeof(struct state *)); // site: list
}

static void addstate(struct nfa *a, struct state **l, int *n, struct state *s) {
    if (!s || s->lastlist == a->listid) return;
    s->lastlist = a->listid;
    if (s->c == SPLIT) {
        addstate(a, l, n, s->out);
        addstate(a, l, n, s->out1);
        return;
    }
    l[(*n)++] = s;
}

static int match(struct nfa *a, const char *str) {
    struct state **clist = new_list(a->n), **nlist = new_list(a->n);
    int cn = 0, nn;
    a->listid++;
    addstate(a, clist, &cn, a->start);
    for (const char *p = str; *p; p++) {
        a->listid++;
        nn = 0;
        for (int i = 0; i < cn; i++)
            if (clist[i]->c == (unsigned char)*p) addstate(a, nlist, &nn, clist[i]->out);
        struct state **t = clist;
        clist = nlist;
        nlist = t;
        cn = nn;
    }
    int ok = 0;
    for (int i = 0; i < cn; i++)
        if (clist[i]->c == MATCH) ok = 1;
    free(clist);
    free(nlist);
    return ok;
}

static void destroy(struct nfa *a) {
    for (int i = 0; i < a->n; i++) free(a->states[i]);
    free(a->states);
    free(a);
}

int main(void) {
    const char *patterns[] = {"ab.c.", "ab|*c.", "a+b?.c.", "xy.z|*w.", "ab.cd.|+e?."};
    const char *subjects[] = {"abc", "c", "abababc", "aac", "ac", "xyzxyw", "zzw", "w", "abcdab", "cde", "abx", ""};
    int total = 0;
    for (int k = 0; k < 5; k++) {
        struct nfa *a = compile(patterns[k]);
        printf("%-12s states %2d cap %2d grows %d :", patterns[k], a->n, a->cap, a->grows);
        for (int j = 0; j < 12; j++) {
            int m = match(a, subjects[j]);
            total += m;
            printf(" %d", m);
        }
        printf("\n");
        destroy(a);
    }
    printf("matches %d\n", total);
    return 0;
}
