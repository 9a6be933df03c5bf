/* Sparse matrix as an orthogonal list: every nonzero cell is linked into its row
 * (through `right`, sorted by column) and into its column (through `down`, sorted by
 * row). The matrix record owns an array of row heads and an array of column heads.
 * The row lists own the cells (row head -> first cell, each cell -> the next in its
 * row); the column lists are a second, non-owning threading of the same cells. Adding
 * updates rows and columns; a cell whose value becomes zero is unlinked from both its
 * column and its row, then freed. Rows are cleared one by one at times, and the whole
 * matrix at the end. No scan. */
#include <stdio.h>
#include <stdlib.h>

#define N 48

struct cell {
    int row, col;
    long val;
    struct cell *right, *down;
};

struct matrix {
    struct cell **rows;
    struct cell **cols;
    int n;
    long cells;
};

static unsigned long rng = 777;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static void unlink_col(struct matrix *m, struct cell *c) {
    struct cell **pp = &m->cols[c->col];
    while (*pp != c) pp = &(*pp)->down;
    *pp = c->down;
    c->down = NULL;
}

static void add(struct matrix *m, int r, int c, long v) {
    struct cell **pp = &m->rows[r];
    while (*pp && (*pp)->col < c) pp = &(*pp)->right;
    if (*pp && (*pp)->col == c) {
        struct cell *x = *pp;
        x->val += v;
        if (x->val == 0) {
            unlink_col(m, x);
            *pp = x->right;
            x->right = NULL;
            free(x);
            m->cells--;
        }
        return;
    }
    if (v == 0) return;
    struct cell *x = malloc(sizeof *x); // site: cell
    x->row = r;
    x->col = c;
    x->val = v;
    x->right = *pp;
    *pp = x;
    struct cell **cp = &m->cols[c];
    while (*cp && (*cp)->row < r) cp = &(*cp)->down;
    x->down = *cp;
    *cp = x;
    m->cells++;
}

static void clear_row(struct matrix *m, int r) {
    while (m->rows[r]) {
        struct cell *x = m->rows[r];
        unlink_col(m, x);
        m->rows[r] = x->right;
        x->right = NULL;
        free(x);
        m->cells--;
    }
}

static long col_sum(const struct matrix *m, int c) {
    long s = 0;
    for (const struct cell *x = m->cols[c]; x; x = x->down) s += x->val * (x->row + 1);
    return s;
}

static long row_sum(const struct matrix *m, int r) {
    long s = 0;
    for (const struct cell *x = m->rows[r]; x; x = x->right) s += x->val * (x->col + 1);
    return s;
}

int main(void) {
    struct matrix *m = malloc(sizeof *m); // site: matrix
    m->n = N;
    m->cells = 0;
    m->rows = calloc(N, sizeof *m->rows); // site: rows
    m->cols = calloc(N, sizeof *m->cols); // site: cols
    for (int step = 0; step < 20000; step++) {
        int r = (int)(rnd() % N), c = (int)(rnd() % N);
        long v = (long)(rnd() % 7) - 3;
        add(m, r, c, v);
        if (step % 2500 == 2499) {
            clear_row(m, (int)(rnd() % N));
            long rs = 0, cs = 0;
            for (int i = 0; i < N; i++) {
                rs += row_sum(m, i);
                cs += col_sum(m, i);
            }
            printf("step %d: %ld cells, row sum %ld, col sum %ld\n", step + 1, m->cells, rs, cs);
        }
    }
    for (int r = 0; r < N; r++) clear_row(m, r);
    printf("final cells %ld\n", m->cells);
    free(m->rows);
    free(m->cols);
    free(m);
    return 0;
}
