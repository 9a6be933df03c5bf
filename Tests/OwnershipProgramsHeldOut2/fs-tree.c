/* An in-memory file-system tree with parent pointers: a directory owns its name and an
 * array of entries (grown with realloc as entries are added); the entries array owns the
 * child entries, which are directories or files (two structs, two allocation sites). Every
 * entry points back at its parent directory. A file owns its contents buffer. The tree is
 * built by "mkdir -p"-like path insertion, a few subtrees are removed mid-way (rm -r,
 * children first), and at the end the whole tree is freed children first (post-order). A
 * scan runs once, after the build, like a user checking memory before the removals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

enum kind { DIR_ENTRY, FILE_ENTRY };

struct entry {
    enum kind kind;
    struct dir *parent;
    char *name;
};

struct dir {
    struct entry base;
    struct entry **entries;
    int count, capacity;
};

struct file {
    struct entry base;
    char *contents;
    size_t size;
};

static struct dir *dir_new(struct dir *parent, const char *name) {
    struct dir *d = malloc(sizeof *d); // site: dir
    d->base.kind = DIR_ENTRY;
    d->base.parent = parent;
    d->base.name = strdup(name); // site: dir_name
    d->capacity = 2;
    d->count = 0;
    d->entries = malloc(d->capacity * sizeof *d->entries); // site: entries
    return d;
}

static void dir_add(struct dir *d, struct entry *e) {
    if (d->count == d->capacity) {
        d->capacity *= 2;
        d->entries = realloc(d->entries, d->capacity * sizeof *d->entries); // site: entries_grown
    }
    d->entries[d->count++] = e;
}

static struct file *file_new(struct dir *parent, const char *name, size_t size) {
    struct file *f = malloc(sizeof *f); // site: file
    f->base.kind = FILE_ENTRY;
    f->base.parent = parent;
    f->base.name = strdup(name); // site: file_name
    f->size = size;
    f->contents = malloc(size); // site: contents
    memset(f->contents, 'x', size);
    return f;
}

static struct entry *lookup(struct dir *d, const char *name) {
    for (int i = 0; i < d->count; i++)
        if (strcmp(d->entries[i]->name, name) == 0) return d->entries[i];
    return NULL;
}

/* Create every directory along "a/b/c" and a file at the end. */
static void create(struct dir *root, const char *path, size_t size) {
    char buffer[256];
    snprintf(buffer, sizeof buffer, "%s", path);
    struct dir *d = root;
    char *save, *part = strtok_r(buffer, "/", &save);
    while (part) {
        char *next = strtok_r(NULL, "/", &save);
        if (!next) {
            if (!lookup(d, part)) dir_add(d, &file_new(d, part, size)->base);
            return;
        }
        struct entry *e = lookup(d, part);
        if (!e) {
            e = &dir_new(d, part)->base;
            dir_add(d, e);
        }
        d = (struct dir *)e;
        part = next;
    }
}

static void entry_free(struct entry *e) {
    if (e->kind == DIR_ENTRY) {
        struct dir *d = (struct dir *)e;
        for (int i = d->count - 1; i >= 0; i--) entry_free(d->entries[i]);
        free(d->entries);
    } else {
        free(((struct file *)e)->contents);
    }
    free(e->name);
    free(e);
}

static void remove_entry(struct dir *d, const char *name) {
    for (int i = 0; i < d->count; i++) {
        if (strcmp(d->entries[i]->name, name) == 0) {
            entry_free(d->entries[i]);
            d->entries[i] = d->entries[--d->count];
            return;
        }
    }
}

static size_t du(const struct entry *e) {
    if (e->kind == FILE_ENTRY) return ((const struct file *)e)->size;
    const struct dir *d = (const struct dir *)e;
    size_t total = 0;
    for (int i = 0; i < d->count; i++) total += du(d->entries[i]);
    return total;
}

static int depth(const struct entry *e) {
    int n = 0;
    for (const struct dir *p = e->parent; p; p = p->base.parent) n++;
    return n;
}

int main(void) {
    static const char *top[] = {"src", "docs", "tests", "build", "vendor"};
    static const char *mid[] = {"core", "util", "net", "io", "gfx", "db"};
    char path[256];
    struct dir *root = dir_new(NULL, "");
    srand(3);
    for (int i = 0; i < 900; i++) {
        snprintf(path, sizeof path, "%s/%s/m%d/file%d.txt", top[rand() % 5], mid[rand() % 6], rand() % 8, i);
        create(root, path, 64 + (size_t)(rand() % 700));
    }
    scan_now();
    size_t before = du(&root->base);
    remove_entry((struct dir *)lookup(root, "build"), "net");
    remove_entry(root, "vendor");
    struct entry *src = lookup(root, "src");
    int deepest = src ? depth(((struct dir *)src)->entries[0]) : 0;
    printf("%zu %zu %d\n", before, du(&root->base), deepest);
    entry_free(&root->base);
    return 0;
}
