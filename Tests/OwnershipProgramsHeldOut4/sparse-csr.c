/* Sparse matrices for a small finite-difference solver, built the way most sparse codes do:
 * entries are gathered as (row, column, value) triplets in a builder whose array grows
 * with realloc, then compressed to CSR (row pointers, column indices and values; duplicate
 * entries are summed, and the column and value arrays are shrunk to fit with realloc).
 * A model keeps its matrices in an array (the operator, its transpose, a mass matrix); a
 * Jacobi-preconditioned iteration runs on each through a solver workspace that points at
 * the matrix and owns its work vectors. Matrices are rebuilt (refined grid) mid-way: the
 * old ones are freed and replaced. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct triplet {
    int row, col;
    double value;
};

struct coo {
    int rows, cols;
    size_t n, cap;
    struct triplet *t;
};

struct csr {
    int rows, cols;
    size_t nnz;
    size_t *rowptr;
    int *colidx;
    double *vals;
};

struct solver {
    const struct csr *a;
    double *r, *z, *diag;
    int iterations;
};

static struct coo *coo_new(int rows, int cols) {
    struct coo *c = malloc(sizeof *c); // site: coo
    c->rows = rows;
    c->cols = cols;
    c->n = 0;
    c->cap = 64;
    c->t = malloc(c->cap * sizeof *c->t); // site: triplets
    return c;
}

static void coo_add(struct coo *c, int row, int col, double value) {
    if (c->n == c->cap) {
        c->cap *= 2;
        c->t = realloc(c->t, c->cap * sizeof *c->t); // site: triplets_grown
    }
    c->t[c->n++] = (struct triplet){row, col, value};
}

static double *vec_new(int n) {
    return calloc((size_t)n, sizeof(double)); // site: vec
}

/* Counting sort by row, then by column within a row; duplicates summed. */
static struct csr *csr_from_coo(const struct coo *c) {
    struct csr *m = malloc(sizeof *m); // site: csr
    m->rows = c->rows;
    m->cols = c->cols;
    m->rowptr = calloc((size_t)c->rows + 1, sizeof *m->rowptr); // site: rowptr
    m->colidx = malloc((c->n ? c->n : 1) * sizeof *m->colidx); // site: colidx
    m->vals = malloc((c->n ? c->n : 1) * sizeof *m->vals); // site: vals
    for (size_t k = 0; k < c->n; k++) m->rowptr[c->t[k].row + 1]++;
    for (int i = 0; i < c->rows; i++) m->rowptr[i + 1] += m->rowptr[i];
    size_t *fill = malloc((size_t)c->rows * sizeof *fill); // site: fill
    memcpy(fill, m->rowptr, (size_t)c->rows * sizeof *fill);
    for (size_t k = 0; k < c->n; k++) {
        size_t at = fill[c->t[k].row]++;
        m->colidx[at] = c->t[k].col;
        m->vals[at] = c->t[k].value;
    }
    free(fill);
    size_t out = 0;
    for (int i = 0; i < c->rows; i++) {
        size_t begin = m->rowptr[i], end = m->rowptr[i + 1];
        for (size_t a = begin + 1; a < end; a++) { /* insertion sort by column */
            int col = m->colidx[a];
            double v = m->vals[a];
            size_t b = a;
            for (; b > begin && m->colidx[b - 1] > col; b--) {
                m->colidx[b] = m->colidx[b - 1];
                m->vals[b] = m->vals[b - 1];
            }
            m->colidx[b] = col;
            m->vals[b] = v;
        }
        m->rowptr[i] = out;
        for (size_t a = begin; a < end; a++) {
            if (out > m->rowptr[i] && m->colidx[out - 1] == m->colidx[a]) {
                m->vals[out - 1] += m->vals[a];
            } else {
                m->colidx[out] = m->colidx[a];
                m->vals[out++] = m->vals[a];
            }
        }
    }
    m->rowptr[c->rows] = out;
    m->nnz = out;
    m->colidx = realloc(m->colidx, (out ? out : 1) * sizeof *m->colidx); // site: colidx_shrunk
    m->vals = realloc(m->vals, (out ? out : 1) * sizeof *m->vals); // site: vals_shrunk
    return m;
}

static void csr_free(struct csr *m) {
    free(m->vals);
    free(m->colidx);
    free(m->rowptr);
    free(m);
}

static struct csr *laplacian(int n, double scale) {
    struct coo *c = coo_new(n * n, n * n);
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++) {
            int i = y * n + x;
            coo_add(c, i, i, 4.0 * scale);
            if (x > 0) coo_add(c, i, i - 1, -scale);
            if (x + 1 < n) coo_add(c, i, i + 1, -scale);
            if (y > 0) coo_add(c, i, i - n, -scale);
            if (y + 1 < n) coo_add(c, i, i + n, -scale);
            if ((x + y) % 5 == 0) coo_add(c, i, i, 0.5); /* duplicate: summed */
        }
    struct csr *m = csr_from_coo(c);
    free(c->t);
    free(c);
    return m;
}

static struct csr *transpose(const struct csr *a) {
    struct coo *c = coo_new(a->cols, a->rows);
    for (int i = 0; i < a->rows; i++)
        for (size_t k = a->rowptr[i]; k < a->rowptr[i + 1]; k++) coo_add(c, a->colidx[k], i, a->vals[k] * (1.0 + (i % 3) * 0.1));
    struct csr *m = csr_from_coo(c);
    free(c->t);
    free(c);
    return m;
}

static void spmv(const struct csr *a, const double *x, double *y) {
    for (int i = 0; i < a->rows; i++) {
        double s = 0;
        for (size_t k = a->rowptr[i]; k < a->rowptr[i + 1]; k++) s += a->vals[k] * x[a->colidx[k]];
        y[i] = s;
    }
}

static double jacobi(const struct csr *a, double *x, const double *b) {
    struct solver *s = malloc(sizeof *s); // site: solver
    s->a = a;
    s->r = vec_new(a->rows);
    s->z = vec_new(a->rows);
    s->diag = vec_new(a->rows);
    for (int i = 0; i < a->rows; i++)
        for (size_t k = a->rowptr[i]; k < a->rowptr[i + 1]; k++)
            if (a->colidx[k] == i) s->diag[i] = a->vals[k];
    double norm = 0;
    for (s->iterations = 0; s->iterations < 30; s->iterations++) {
        spmv(s->a, x, s->z);
        norm = 0;
        for (int i = 0; i < a->rows; i++) {
            s->r[i] = b[i] - s->z[i];
            norm += s->r[i] * s->r[i];
            x[i] += s->r[i] / s->diag[i];
        }
    }
    free(s->diag);
    free(s->z);
    free(s->r);
    free(s);
    return norm;
}

int main(void) {
    struct csr **model = calloc(3, sizeof *model); // site: matrices
    double report = 0;
    for (int level = 0; level < 3; level++) {
        int n = 12 + level * 8;
        for (int k = 0; k < 3; k++)
            if (model[k]) csr_free(model[k]);
        model[0] = laplacian(n, 1.0);
        model[1] = transpose(model[0]);
        model[2] = laplacian(n, 0.25);
        for (int k = 0; k < 3; k++) {
            double *x = vec_new(model[k]->cols);
            double *b = vec_new(model[k]->rows);
            for (int i = 0; i < model[k]->rows; i++) b[i] = (i % 7) - 3.0;
            report += jacobi(model[k], x, b) + (double)model[k]->nnz;
            free(b);
            free(x);
        }
    }
    for (int k = 0; k < 3; k++) csr_free(model[k]);
    free(model);
    printf("%.3f\n", report);
    return 0;
}
