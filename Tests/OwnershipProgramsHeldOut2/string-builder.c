/* A string builder and a growable array of lines, both grown with realloc: a report
 * formats CSV-like lines with a builder (a struct on the stack with a heap buffer that
 * doubles as needed); when a line is finished the builder's buffer is shrunk to fit
 * (realloc) and handed to the report's line array, which then owns it. The array itself
 * grows by doubling with realloc. Two reports; some lines are dropped mid-way (filtering);
 * at the end each report frees its lines last to first, then the array, then itself. A
 * scan runs once, while both reports are complete, before printing. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

struct builder {
    char *data;
    size_t length, capacity;
};

struct report {
    char *title;
    char **lines;
    size_t count, capacity;
};

static void sb_init(struct builder *b) {
    b->capacity = 16;
    b->length = 0;
    b->data = malloc(b->capacity); // site: text
    b->data[0] = 0;
}

static void sb_printf(struct builder *b, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (b->length + (size_t)n + 1 > b->capacity) {
        while (b->length + (size_t)n + 1 > b->capacity) b->capacity *= 2;
        b->data = realloc(b->data, b->capacity); // site: text_grown
    }
    va_start(args, format);
    vsnprintf(b->data + b->length, (size_t)n + 1, format, args);
    va_end(args);
    b->length += (size_t)n;
}

/* Gives the buffer away, shrunk to its length. */
static char *sb_finish(struct builder *b) {
    char *s = realloc(b->data, b->length + 1); // site: text_fit
    b->data = NULL;
    return s;
}

static struct report *report_new(const char *title) {
    struct report *r = malloc(sizeof *r); // site: report
    r->title = strdup(title); // site: title
    r->capacity = 8;
    r->count = 0;
    r->lines = malloc(r->capacity * sizeof *r->lines); // site: lines
    return r;
}

static void report_add(struct report *r, char *line) {
    if (r->count == r->capacity) {
        r->capacity *= 2;
        r->lines = realloc(r->lines, r->capacity * sizeof *r->lines); // site: lines_grown
    }
    r->lines[r->count++] = line;
}

static void report_fill(struct report *r, int rows, int seed) {
    srand((unsigned)seed);
    for (int i = 0; i < rows; i++) {
        struct builder b;
        sb_init(&b);
        sb_printf(&b, "%d,%s", i, r->title);
        int columns = 2 + rand() % 12;
        for (int c = 0; c < columns; c++) sb_printf(&b, ",%d.%02d", rand() % 10000, rand() % 100);
        report_add(r, sb_finish(&b));
    }
}

/* Drops lines with fewer than `columns` fields, keeping the order. */
static void report_filter(struct report *r, int columns) {
    size_t kept = 0;
    for (size_t i = 0; i < r->count; i++) {
        int fields = 1;
        for (const char *c = r->lines[i]; *c; c++) fields += *c == ',';
        if (fields < columns) free(r->lines[i]);
        else r->lines[kept++] = r->lines[i];
    }
    r->count = kept;
}

static void report_free(struct report *r) {
    while (r->count > 0) free(r->lines[--r->count]);
    free(r->lines);
    free(r->title);
    free(r);
}

int main(void) {
    struct report *sales = report_new("sales-2024"), *costs = report_new("operating-costs");
    report_fill(sales, 700, 1);
    report_fill(costs, 300, 2);
    report_filter(sales, 6);
    scan_now();
    size_t bytes = 0;
    for (size_t i = 0; i < sales->count; i++) bytes += strlen(sales->lines[i]);
    for (size_t i = 0; i < costs->count; i++) bytes += strlen(costs->lines[i]);
    printf("%zu %zu %zu\n", sales->count, costs->count, bytes);
    report_free(costs);
    report_free(sales);
    return 0;
}
