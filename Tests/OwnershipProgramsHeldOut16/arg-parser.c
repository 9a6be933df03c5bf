/* Command-line parser: a boxed result owns a positional-argument array (calloc'ed for 2,
 * doubled by `realloc`, new tails zeroed) of argument copies, and a singly linked list
 * of parsed options (newest first) owning name and value copies (flags have no value).
 * After parsing, a calloc'ed index of option pointers sorted by name (non-owning) is
 * kept in the result for lookups. Four command lines are parsed in turn. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct opt { struct opt *next; char *name; char *value; };
struct args { char **pos; size_t npos, cap; struct opt *opts; struct opt **index; size_t nopts; int grows; };

static int by_name(const void *a, const void *b) {
    const struct opt *x = *(struct opt *const *)a, *y = *(struct opt *const *)b;
    return strcmp(x->name, y->name);
}

static struct args *parse(int argc, const char **argv) {
    struct args *a = calloc(1, sizeof *a); // site: args
    a->cap = 2;
    a->pos = calloc(a->cap, sizeof *a->pos); // site: pos
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (strncmp(s, "--", 2) == 0) {
            struct opt *o = malloc(sizeof *o); // site: opt
            const char *eq = strchr(s, '=');
            size_t n = eq ? (size_t)(eq - s - 2) : strlen(s + 2);
            o->name = strndup(s + 2, n); // site: opt_name
            o->value = NULL;
            if (eq) o->value = strdup(eq + 1); // site: opt_value
            o->next = a->opts;
            a->opts = o;
            a->nopts++;
        } else {
            if (a->npos == a->cap) {
                a->pos = realloc(a->pos, a->cap * 2 * sizeof *a->pos); // site: pos_grown
                memset(a->pos + a->cap, 0, a->cap * sizeof *a->pos);
                a->cap *= 2;
                a->grows++;
            }
            a->pos[a->npos++] = strdup(s); // site: pos_str
        }
    }
    if (a->nopts) {
        a->index = calloc(a->nopts, sizeof *a->index); // site: index
        size_t k = 0;
        for (struct opt *o = a->opts; o; o = o->next) a->index[k++] = o;
        qsort(a->index, a->nopts, sizeof *a->index, by_name);
    }
    return a;
}

static const char *get(struct args *a, const char *name) {
    size_t lo = 0, hi = a->nopts;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(a->index[mid]->name, name);
        if (c == 0) return a->index[mid]->value ? a->index[mid]->value : "(flag)";
        if (c < 0) lo = mid + 1; else hi = mid;
    }
    return "(unset)";
}

static void args_free(struct args *a) {
    free(a->index);
    while (a->opts) {
        struct opt *o = a->opts;
        a->opts = o->next;
        free(o->value);
        free(o->name);
        free(o);
    }
    for (size_t i = 0; i < a->npos; i++) free(a->pos[i]);
    free(a->pos);
    free(a);
}

int main(void) {
    const char *l1[] = {"build", "--jobs=8", "src/main.c", "src/util.c", "--verbose", "src/io.c", "--out=bin/app"};
    const char *l2[] = {"test", "--filter=net*", "--jobs=2", "--color", "a", "b", "c", "d", "e"};
    const char *l3[] = {"clean"};
    const char *l4[] = {"--dry-run", "install", "--prefix=/usr/local", "pkg1", "pkg2", "pkg3"};
    const char **lines[] = {l1, l2, l3, l4};
    int counts[] = {7, 9, 1, 6};
    for (int i = 0; i < 4; i++) {
        struct args *a = parse(counts[i], lines[i]);
        printf("cmd %s positional %zu cap %zu grows %d options %zu jobs %s verbose %s color %s prefix %s\n",
               a->npos ? a->pos[0] : "-", a->npos, a->cap, a->grows, a->nopts,
               get(a, "jobs"), get(a, "verbose"), get(a, "color"), get(a, "prefix"));
        args_free(a);
    }
    return 0;
}
