/* A text editor's buffers as gap buffers (Emacs style): each buffer owns its name and a
 * text array with a gap at the cursor, grown with realloc when an insertion does not fit
 * the gap. A buffer keeps a line index (an array of pointers to the start of each line,
 * inside the text array), rebuilt when the buffer is displayed and dropped whenever the
 * text array moves. Marks (bookmarks, the region's anchor) are small blocks on a singly
 * linked list from their buffer, each pointing back at it; they hold positions, not
 * pointers. Deleted text goes to the editor's kill ring (a fixed array of copies inside
 * the editor struct; the oldest copy is freed when the ring wraps) and can be yanked back.
 * Buffers are closed and opened mid-way; everything is freed at exit. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KILLS 8
#define SLOTS 16

struct buffer;

struct mark {
    struct mark *next;
    struct buffer *buffer;
    size_t pos;
    int id;
};

struct buffer {
    char *name;
    char *text;
    size_t cap, gap_start, gap_end;
    const char **lines;
    size_t nlines;
    struct mark *marks;
    long edits;
};

struct editor {
    struct buffer **buffers;
    char *kills[KILLS];
    int kill_next;
    int next_mark;
};

static size_t buffer_length(const struct buffer *b) { return b->cap - (b->gap_end - b->gap_start); }

static char buffer_char(const struct buffer *b, size_t pos) {
    return pos < b->gap_start ? b->text[pos] : b->text[pos + (b->gap_end - b->gap_start)];
}

static struct buffer *buffer_new(const char *name) {
    struct buffer *b = malloc(sizeof *b); // site: buffer
    size_t n = strlen(name);
    b->name = malloc(n + 1); // site: buf_name
    memcpy(b->name, name, n + 1);
    b->cap = 64;
    b->text = malloc(b->cap); // site: gap_text
    b->gap_start = 0;
    b->gap_end = b->cap;
    b->lines = NULL;
    b->nlines = 0;
    b->marks = NULL;
    b->edits = 0;
    return b;
}

static void gap_move(struct buffer *b, size_t pos) {
    if (pos < b->gap_start) {
        size_t n = b->gap_start - pos;
        memmove(b->text + b->gap_end - n, b->text + pos, n);
        b->gap_start -= n;
        b->gap_end -= n;
    } else if (pos > b->gap_start) {
        size_t n = pos - b->gap_start;
        memmove(b->text + b->gap_start, b->text + b->gap_end, n);
        b->gap_start += n;
        b->gap_end += n;
    }
}

static void gap_reserve(struct buffer *b, size_t need) {
    if (b->gap_end - b->gap_start >= need) return;
    size_t tail = b->cap - b->gap_end;
    size_t cap = b->cap * 2 + need;
    b->text = realloc(b->text, cap); // site: gap_grown
    memmove(b->text + cap - tail, b->text + b->gap_end, tail);
    b->gap_end = cap - tail;
    b->cap = cap;
    free(b->lines);
    b->lines = NULL;
    b->nlines = 0;
}

static void buffer_insert(struct buffer *b, size_t pos, const char *s, size_t n) {
    gap_reserve(b, n);
    gap_move(b, pos);
    memcpy(b->text + b->gap_start, s, n);
    b->gap_start += n;
    for (struct mark *m = b->marks; m; m = m->next)
        if (m->pos >= pos) m->pos += n;
    b->edits++;
}

static char *buffer_delete(struct buffer *b, size_t pos, size_t n) {
    gap_move(b, pos);
    char *copy = malloc(n + 1); // site: killed
    memcpy(copy, b->text + b->gap_end, n);
    copy[n] = 0;
    b->gap_end += n;
    for (struct mark *m = b->marks; m; m = m->next)
        m->pos = m->pos > pos + n ? m->pos - n : (m->pos > pos ? pos : m->pos);
    b->edits++;
    return copy;
}

static void buffer_index_lines(struct buffer *b) {
    size_t len = buffer_length(b), count = len > 0;
    for (size_t i = 0; i + 1 < len; i++)
        if (buffer_char(b, i) == '\n') count++;
    free(b->lines);
    b->lines = malloc((count + 1) * sizeof *b->lines); // site: line_index
    b->nlines = 0;
    for (size_t i = 0; i < len; i++)
        if (i == 0 || buffer_char(b, i - 1) == '\n')
            b->lines[b->nlines++] = i < b->gap_start ? b->text + i : b->text + i + (b->gap_end - b->gap_start);
}

static void mark_add(struct editor *ed, struct buffer *b, size_t pos) {
    struct mark *m = malloc(sizeof *m); // site: mark
    m->buffer = b;
    m->pos = pos;
    m->id = ed->next_mark++;
    m->next = b->marks;
    b->marks = m;
}

static void mark_remove_odd(struct buffer *b) {
    for (struct mark **link = &b->marks; *link;) {
        struct mark *m = *link;
        if (m->id % 2) {
            *link = m->next;
            free(m);
        } else {
            link = &m->next;
        }
    }
}

static void buffer_free(struct buffer *b) {
    while (b->marks) {
        struct mark *m = b->marks;
        b->marks = m->next;
        free(m);
    }
    free(b->lines);
    free(b->text);
    free(b->name);
    free(b);
}

static void kill_push(struct editor *ed, char *text) {
    free(ed->kills[ed->kill_next]);
    ed->kills[ed->kill_next] = text;
    ed->kill_next = (ed->kill_next + 1) % KILLS;
}

int main(void) {
    struct editor *ed = calloc(1, sizeof *ed); // site: editor
    ed->buffers = calloc(SLOTS, sizeof *ed->buffers); // site: buffers
    static const char *words[] = {"int ", "x = ", "return ", "y;\n", "{\n", "}\n", "if (z) ", "/* note */\n"};
    unsigned seed = 3;
    char name[32];
    int opened = 0;
    long checksum = 0;
    for (int round = 0; round < 6; round++) {
        for (int s = 0; s < SLOTS; s++) {
            if (ed->buffers[s]) continue;
            snprintf(name, sizeof name, "file-%d.c", opened++);
            ed->buffers[s] = buffer_new(name);
        }
        for (int step = 0; step < 3000; step++) {
            seed = seed * 1103515245u + 12345u;
            struct buffer *b = ed->buffers[(seed >> 8) % SLOTS];
            size_t len = buffer_length(b);
            size_t pos = len ? (seed >> 12) % (len + 1) : 0;
            unsigned op = (seed >> 20) % 10;
            if (op < 6) {
                const char *w = words[(seed >> 4) % 8];
                buffer_insert(b, pos, w, strlen(w));
            } else if (op < 8 && len > 8) {
                size_t n = 1 + (seed >> 7) % 6;
                if (pos + n > len) pos = len - n;
                kill_push(ed, buffer_delete(b, pos, n));
            } else if (op == 8 && ed->kills[(seed >> 3) % KILLS]) {
                const char *k = ed->kills[(seed >> 3) % KILLS];
                buffer_insert(b, pos, k, strlen(k));
            } else {
                mark_add(ed, b, pos);
            }
            if (step % 97 == 0) {
                buffer_index_lines(b);
                for (size_t l = 0; l < b->nlines; l += 5) checksum += *b->lines[l];
            }
        }
        for (int s = round % 3; s < SLOTS; s += 3) {
            mark_remove_odd(ed->buffers[s]);
            if ((s + round) % 2 == 0) {
                checksum += (long)buffer_length(ed->buffers[s]) + ed->buffers[s]->edits;
                buffer_free(ed->buffers[s]);
                ed->buffers[s] = NULL;
            }
        }
    }
    for (int s = 0; s < SLOTS; s++) {
        if (!ed->buffers[s]) continue;
        for (struct mark *m = ed->buffers[s]->marks; m; m = m->next) checksum += (long)m->pos % 7;
        checksum += (long)buffer_length(ed->buffers[s]);
        buffer_free(ed->buffers[s]);
    }
    for (int k = 0; k < KILLS; k++) free(ed->kills[k]);
    free(ed->buffers);
    free(ed);
    printf("%d %ld\n", opened, checksum);
    return 0;
}
