/* A register allocator's interference graph (Chaitin-style simplify and select) whose
 * adjacency sets are small vectors: each virtual register keeps up to four neighbour
 * pointers inline, with its `nbr` pointer aimed at that inline array (inside its own
 * block); the fifth neighbour spills the set to a heap array of eight (copied), which
 * then grows by realloc; when removals bring a spilled set down to two, it moves back
 * inline and the heap array is freed. For each of 24 functions, the registers (owning
 * their names) are allocated into one array of register pointers (allocated once),
 * interference edges are added (a few hub registers get many), then simplify removes
 * registers of low degree (or the highest degree as a spill candidate) from their
 * neighbours' sets and pushes them on an order array (scratch), and select assigns
 * colours in reverse order. Then the function's registers are freed. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INLINE 4
#define NV 240
#define K 6
#define FUNCS 24

struct vreg {
    long id;
    char *name;
    struct vreg **nbr;
    size_t n, cap;
    struct vreg *inl[INLINE];
    int color, removed, spilled;
};

static unsigned long rng = 8128;
static unsigned long next_rand(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return rng >> 33;
}

static int has(const struct vreg *v, const struct vreg *w) {
    for (size_t i = 0; i < v->n; i++)
        if (v->nbr[i] == w) return 1;
    return 0;
}

static long spills, grows, unspills;

static void set_add(struct vreg *v, struct vreg *w) {
    if (v->n == v->cap) {
        if (v->nbr == v->inl) {
            struct vreg **heap = malloc(8 * sizeof *heap); // site: spill
            memcpy(heap, v->inl, v->n * sizeof *heap);
            memset(v->inl, 0, sizeof v->inl);
            v->nbr = heap;
            v->cap = 8;
            spills++;
        } else {
            v->cap *= 2;
            v->nbr = realloc(v->nbr, v->cap * sizeof *v->nbr); // site: spill_grown
            grows++;
        }
    }
    v->nbr[v->n++] = w;
}

static void set_remove(struct vreg *v, const struct vreg *w) {
    for (size_t i = 0; i < v->n; i++)
        if (v->nbr[i] == w) {
            v->nbr[i] = v->nbr[--v->n];
            v->nbr[v->n] = NULL;
            break;
        }
    if (v->nbr != v->inl && v->n <= 2) {
        memcpy(v->inl, v->nbr, v->n * sizeof *v->nbr);
        free(v->nbr);
        v->nbr = v->inl;
        v->cap = INLINE;
        unspills++;
    }
}

static void interfere(struct vreg *a, struct vreg *b) {
    if (a == b || has(a, b)) return;
    set_add(a, b);
    set_add(b, a);
}

int main(void) {
    struct vreg **vregs = calloc(NV, sizeof *vregs); // site: vregs
    long total_colored = 0, total_spilled = 0;
    unsigned long sum = 0;
    for (int f = 0; f < FUNCS; f++) {
        size_t nv = NV / 2 + next_rand() % (NV / 2);
        for (size_t i = 0; i < nv; i++) {
            struct vreg *v = calloc(1, sizeof *v); // site: vreg
            v->id = (long)(f * NV + (int)i);
            v->name = malloc(16); // site: vname
            snprintf(v->name, 16, "%%v%ld", v->id);
            v->nbr = v->inl;
            v->cap = INLINE;
            v->color = -1;
            vregs[i] = v;
        }
        size_t edges = nv * 3;
        for (size_t e = 0; e < edges; e++) {
            unsigned long r = next_rand();
            size_t a = (r % 5 == 0) ? (r >> 4) % 6 : (r >> 4) % nv;
            size_t b = (a + 1 + (r >> 16) % 12) % nv;
            interfere(vregs[a], vregs[b]);
        }
        struct vreg **order = malloc(nv * sizeof *order); // site: order
        size_t sp = 0;
        while (sp < nv) {
            struct vreg *pick = NULL;
            for (size_t i = 0; i < nv && !pick; i++)
                if (!vregs[i]->removed && vregs[i]->n < K) pick = vregs[i];
            if (!pick) {
                for (size_t i = 0; i < nv; i++)
                    if (!vregs[i]->removed && (!pick || vregs[i]->n > pick->n)) pick = vregs[i];
                pick->spilled = 1;
            }
            pick->removed = 1;
            while (pick->n) {
                struct vreg *w = pick->nbr[pick->n - 1];
                set_remove(w, pick);
                set_remove(pick, w);
            }
            order[sp++] = pick;
        }
        /* Select: rebuild nothing; colour in reverse order avoiding earlier-coloured ids. */
        while (sp) {
            struct vreg *v = order[--sp];
            order[sp] = NULL;
            if (v->spilled) {
                total_spilled++;
                continue;
            }
            v->color = (int)((unsigned long)v->id * 7 % K);
            total_colored++;
            sum += (unsigned long)v->color + strlen(v->name);
        }
        free(order);
        for (size_t i = 0; i < nv; i++) {
            struct vreg *v = vregs[i];
            if (v->nbr != v->inl) free(v->nbr);
            free(v->name);
            free(v);
            vregs[i] = NULL;
        }
    }
    free(vregs);
    printf("%ld %ld %ld %ld %ld %lu\n", total_colored, total_spilled, spills, grows, unspills, sum);
    return 0;
}
