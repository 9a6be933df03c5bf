/* Process environment table in the style of a libc setenv/unsetenv: a boxed table
 * owns a NULL-terminated array of "NAME=value" strings (calloc'ed for 4 slots, grown
 * by realloc doubling, unused slots zeroed). setenv builds a new string and frees the
 * old one for an existing name; unsetenv frees the string and closes the gap. `env`
 * listings take a sorted snapshot: a calloc'ed array of the same string pointers
 * (non-owning), sorted by qsort and freed after printing. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct envtab { char **vars; int n, cap; int grows; };

static int find(struct envtab *e, const char *name) {
    size_t nl = strlen(name);
    for (int i = 0; i < e->n; i++)
        if (strncmp(e->vars[i], name, nl) == 0 && e->vars[i][nl] == '=') return i;
    return -1;
}

static void env_set(struct envtab *e, const char *name, const char *value) {
    size_t len = strlen(name) + strlen(value) + 2;
    char *s = malloc(len); // site: var
    snprintf(s, len, "%s=%s", name, value);
    int i = find(e, name);
    if (i >= 0) {
        free(e->vars[i]);
        e->vars[i] = s;
        return;
    }
    if (e->n + 1 == e->cap) {
        e->vars = realloc(e->vars, 2 * (size_t)e->cap * sizeof *e->vars); // site: vars_grown
        memset(e->vars + e->cap, 0, (size_t)e->cap * sizeof *e->vars);
        e->cap *= 2;
        e->grows++;
    }
    e->vars[e->n++] = s;
    e->vars[e->n] = NULL;
}

static void env_unset(struct envtab *e, const char *name) {
    int i = find(e, name);
    if (i < 0) return;
    free(e->vars[i]);
    memmove(e->vars + i, e->vars + i + 1, (size_t)(e->n - i) * sizeof *e->vars);
    e->n--;
    e->vars[e->n + 1] = NULL;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static unsigned long listing(struct envtab *e) {
    char **sorted = calloc((size_t)e->n + 1, sizeof *sorted); // site: sorted
    memcpy(sorted, e->vars, (size_t)e->n * sizeof *sorted);
    qsort(sorted, (size_t)e->n, sizeof *sorted, cmp);
    unsigned long h = 0;
    for (int i = 0; sorted[i]; i++)
        for (const char *p = sorted[i]; *p; p++) h = h * 31 + (unsigned char)*p;
    free(sorted);
    return h % 1000003;
}

int main(void) {
    static const char *names[] = { "PATH", "HOME", "LANG", "TERM", "SHELL", "EDITOR", "PAGER", "TZ", "USER", "LOGNAME",
                                   "TMPDIR", "XDG_RUNTIME_DIR", "LC_ALL", "MAIL", "HOSTNAME", "DISPLAY", "COLUMNS", "LINES" };
    struct envtab *e = malloc(sizeof *e); // site: envtab
    e->cap = 4;
    e->n = 0;
    e->grows = 0;
    e->vars = calloc(4, sizeof *e->vars); // site: vars
    char val[64];
    unsigned long sum = 0;
    for (int step = 0; step < 90; step++) {
        const char *name = names[(step * 7) % 18];
        if (step % 5 == 4) env_unset(e, names[(step * 3) % 18]);
        else {
            snprintf(val, sizeof val, "/opt/tool%d/bin:/usr/bin:%d", step, step * step);
            env_set(e, name, val);
        }
        if (step % 15 == 14) sum = sum * 17 + listing(e);
    }
    printf("vars %d capacity %d grows %d checksum %lu\n", e->n, e->cap, e->grows, sum % 1000000007ul);
    for (int i = 0; i < e->n; i++) free(e->vars[i]);
    free(e->vars);
    free(e);
    return 0;
}
