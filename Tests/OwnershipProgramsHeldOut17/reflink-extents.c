/* Toy copy-on-write file system with reflinks (btrfs / XFS `cp --reflink` style): a
 * boxed file system owns up to 6 file records in an inline slot array; a file owns its
 * name and an extent array (calloc'ed for 2, doubled by realloc) whose inline extents
 * hold counted references to 64-byte data blocks (hand-written `refs`). A reflink copy
 * shares every block; a write to a shared block makes a private copy (second site) and
 * drops one reference; deleting a file releases its blocks. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BS 64

struct block { int refs; char data[BS]; };
struct extent { struct block *blk; int used; };
struct file { char *name; struct extent *ext; int n, cap; };
struct fs { struct file *files[6]; int live_blocks, cow_copies, grows; };

static void release(struct fs *fs, struct block *b) {
    if (--b->refs == 0) {
        free(b);
        fs->live_blocks--;
    }
}

static void push_extent(struct fs *fs, struct file *f, struct block *b, int used) {
    if (f->n == f->cap) {
        f->cap *= 2;
        f->ext = realloc(f->ext, (size_t)f->cap * sizeof *f->ext); // site: extents_grown
        fs->grows++;
    }
    b->refs++;
    f->ext[f->n].blk = b;
    f->ext[f->n].used = used;
    f->n++;
}

static struct file *create(struct fs *fs, int slot, const char *name) {
    struct file *f = calloc(1, sizeof *f); // site: file
    f->name = strdup(name); // site: file_name
    f->cap = 2;
    f->ext = calloc((size_t)f->cap, sizeof *f->ext); // site: extents
    fs->files[slot] = f;
    return f;
}

static void append(struct fs *fs, struct file *f, const char *text) {
    size_t len = strlen(text);
    for (size_t off = 0; off < len; off += BS) {
        struct block *b = calloc(1, sizeof *b); // site: block
        fs->live_blocks++;
        int used = (int)(len - off < BS ? len - off : BS);
        memcpy(b->data, text + off, (size_t)used);
        push_extent(fs, f, b, used);
    }
}

static struct file *reflink(struct fs *fs, int slot, const char *name, struct file *src) {
    struct file *f = create(fs, slot, name);
    for (int i = 0; i < src->n; i++) push_extent(fs, f, src->ext[i].blk, src->ext[i].used);
    return f;
}

static void write_at(struct fs *fs, struct file *f, int pos, char ch) {
    struct extent *e = &f->ext[pos / BS];
    if (e->blk->refs > 1) {
        struct block *copy = malloc(sizeof *copy); // site: block_cow
        memcpy(copy, e->blk, sizeof *copy);
        copy->refs = 1;
        fs->live_blocks++;
        fs->cow_copies++;
        release(fs, e->blk);
        e->blk = copy;
    }
    e->blk->data[pos % BS] = ch;
}

static void delete_file(struct fs *fs, int slot) {
    struct file *f = fs->files[slot];
    for (int i = 0; i < f->n; i++) release(fs, f->ext[i].blk);
    free(f->ext);
    free(f->name);
    free(f);
    fs->files[slot] = NULL;
}

static unsigned long digest(const struct file *f) {
    unsigned long h = 5381;
    for (int i = 0; i < f->n; i++)
        for (int k = 0; k < f->ext[i].used; k++) h = h * 33 + (unsigned char)f->ext[i].blk->data[k];
    return h % 1000003ul;
}

int main(void) {
    struct fs *fs = calloc(1, sizeof *fs); // site: fs
    struct file *a = create(fs, 0, "report.txt");
    char text[400];
    for (int i = 0; i < 399; i++) text[i] = (char)('a' + (i * 7) % 26);
    text[399] = '\0';
    append(fs, a, text);
    struct file *b = reflink(fs, 1, "report-copy.txt", a);
    write_at(fs, b, 5, '#');
    write_at(fs, b, 6, '#');
    write_at(fs, b, 200, '#');
    struct file *c = reflink(fs, 2, "report-copy2.txt", b);
    write_at(fs, c, 70, '!');
    append(fs, c, "tail added to the second copy only");
    printf("after copies: live blocks %d, cow copies %d, extent grows %d\n", fs->live_blocks, fs->cow_copies, fs->grows);
    for (int s = 0; s < 3; s++)
        printf("  %-17s extents %d digest %lu first refs %d\n", fs->files[s]->name, fs->files[s]->n, digest(fs->files[s]),
               fs->files[s]->ext[0].blk->refs);
    delete_file(fs, 0);
    printf("after deleting report.txt: live blocks %d\n", fs->live_blocks);
    struct file *d = reflink(fs, 3, "archive.txt", c);
    delete_file(fs, 1);
    write_at(fs, d, 0, '*');
    printf("archive digest %lu, live blocks %d, cow copies %d\n", digest(d), fs->live_blocks, fs->cow_copies);
    for (int s = 0; s < 6; s++)
        if (fs->files[s]) delete_file(fs, s);
    printf("at exit: live blocks %d\n", fs->live_blocks);
    free(fs);
    return 0;
}
