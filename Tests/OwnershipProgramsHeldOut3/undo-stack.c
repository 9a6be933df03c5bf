/* A text editor's undo/redo, the command pattern: every edit (insert, delete, replace) is
 * a command object that owns copies of the text it inserted and the text it removed, and
 * points at the document it applies to. Applied commands go on the undo stack (bounded:
 * the oldest command is dropped when it is full); undo moves a command to the redo stack,
 * redo moves it back; a new edit clears the redo stack. The document's text buffer grows
 * with realloc. The editor owns the document and both stacks. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNDO_DEPTH 64

struct doc {
    char *text;
    size_t len, cap;
};

struct cmd {
    struct doc *doc;
    size_t pos;
    char *removed;
    size_t removed_len;
    char *inserted;
    size_t inserted_len;
};

struct editor {
    struct doc *doc;
    struct cmd **undo;
    int nundo;
    struct cmd **redo;
    int nredo;
    long dropped;
};

static void doc_reserve(struct doc *d, size_t need) {
    if (need + 1 <= d->cap) return;
    while (d->cap < need + 1) d->cap *= 2;
    d->text = realloc(d->text, d->cap); // site: text_grown
}

static void doc_splice(struct doc *d, size_t pos, size_t remove, const char *insert, size_t insert_len) {
    doc_reserve(d, d->len - remove + insert_len);
    memmove(d->text + pos + insert_len, d->text + pos + remove, d->len - pos - remove + 1);
    memcpy(d->text + pos, insert, insert_len);
    d->len = d->len - remove + insert_len;
}

static void cmd_free(struct cmd *c) {
    free(c->removed);
    free(c->inserted);
    free(c);
}

static void cmd_redo(struct cmd *c) { doc_splice(c->doc, c->pos, c->removed_len, c->inserted, c->inserted_len); }

static void cmd_undo(struct cmd *c) { doc_splice(c->doc, c->pos, c->inserted_len, c->removed, c->removed_len); }

static void edit(struct editor *e, size_t pos, size_t remove, const char *insert) {
    struct doc *d = e->doc;
    if (pos > d->len) pos = d->len;
    if (pos + remove > d->len) remove = d->len - pos;
    struct cmd *c = malloc(sizeof *c); // site: cmd
    c->doc = d;
    c->pos = pos;
    c->removed_len = remove;
    c->removed = NULL;
    if (remove > 0) {
        c->removed = malloc(remove); // site: removed_copy
        memcpy(c->removed, d->text + pos, remove);
    }
    c->inserted_len = insert ? strlen(insert) : 0;
    c->inserted = NULL;
    if (c->inserted_len > 0) {
        c->inserted = malloc(c->inserted_len); // site: inserted_copy
        memcpy(c->inserted, insert, c->inserted_len);
    }
    cmd_redo(c);
    while (e->nredo > 0) cmd_free(e->redo[--e->nredo]);
    if (e->nundo == UNDO_DEPTH) {
        cmd_free(e->undo[0]);
        memmove(&e->undo[0], &e->undo[1], (UNDO_DEPTH - 1) * sizeof *e->undo);
        e->nundo--;
        e->dropped++;
    }
    e->undo[e->nundo++] = c;
}

static int undo(struct editor *e) {
    if (e->nundo == 0) return 0;
    struct cmd *c = e->undo[--e->nundo];
    cmd_undo(c);
    e->redo[e->nredo++] = c;
    return 1;
}

static int redo(struct editor *e) {
    if (e->nredo == 0) return 0;
    struct cmd *c = e->redo[--e->nredo];
    cmd_redo(c);
    e->undo[e->nundo++] = c;
    return 1;
}

int main(void) {
    struct editor *e = malloc(sizeof *e); // site: editor
    e->doc = malloc(sizeof *e->doc); // site: doc
    e->doc->cap = 64;
    e->doc->text = malloc(e->doc->cap); // site: text
    e->doc->text[0] = 0;
    e->doc->len = 0;
    e->undo = malloc(UNDO_DEPTH * sizeof *e->undo); // site: undo
    e->redo = malloc(UNDO_DEPTH * sizeof *e->redo); // site: redo
    e->nundo = e->nredo = 0;
    e->dropped = 0;
    static const char *const words[] = {"lorem ", "ipsum ", "dolor ", "sit amet, ", "consectetur ", "adipiscing elit. ", "\n"};
    unsigned seed = 5;
    long undone = 0, redone = 0;
    for (int step = 0; step < 3000; step++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = (seed >> 16) & 0x7fff;
        size_t len = e->doc->len;
        switch (r % 10) {
        case 0: case 1: case 2: case 3:
            edit(e, len ? r % (len + 1) : 0, 0, words[r % 7]);
            break;
        case 4: case 5:
            edit(e, len ? r % len : 0, 1 + r % 12, NULL);
            break;
        case 6:
            edit(e, len ? r % len : 0, 1 + r % 5, words[(r >> 3) % 7]);
            break;
        case 7: case 8:
            for (unsigned k = 0; k < 1 + r % 6; k++) undone += undo(e);
            break;
        default:
            for (unsigned k = 0; k < 1 + r % 4; k++) redone += redo(e);
            break;
        }
    }
    printf("%zu %ld %ld %ld %d %d\n", e->doc->len, undone, redone, e->dropped, e->nundo, e->nredo);
    while (e->nundo > 0) cmd_free(e->undo[--e->nundo]);
    for (int i = 0; i < e->nredo; i++) cmd_free(e->redo[i]);
    free(e->undo);
    free(e->redo);
    free(e->doc->text);
    free(e->doc);
    free(e);
    return 0;
}
