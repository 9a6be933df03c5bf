/* A process address space after the classic Linux mm design: the memory areas (VMAs) of a
 * process live in a red-black tree keyed by start page, with parent pointers (rotations
 * and the erase fix-up walk upwards). A file-backed VMA holds a counted reference on its
 * file object; the process's descriptor table holds one more until the descriptor is
 * closed, so a file is freed by its last holder: the table (closing a file nobody maps)
 * or the last VMA mapping it (unmapped, or torn down at exit). An anonymous VMA owns a
 * page-presence array, allocated on its first fault. mmap with a fixed address first
 * unmaps the range; munmap frees covered VMAs, trims partly covered ones (the presence
 * array is shifted and shrunk with realloc) and splits a VMA that straddles the whole
 * range (the tail is a new VMA with a new file reference and a copy of its part of the
 * array). At exit the tree is freed bottom-up, then the descriptor table. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RED 0
#define BLACK 1
#define NFILES 12
#define SPACE 4096

struct file {
    int refs;
    char *path;
    unsigned long size;
};

struct vma {
    unsigned long start, end, pgoff;
    int prot;
    struct file *file;
    unsigned char *present;
    struct vma *parent, *left, *right;
    int color;
};

struct mm {
    struct vma *root;
    struct file **fdtable;
    long nvma, faults, splits, trims;
};

static void fput(struct file *f) {
    if (--f->refs > 0) return;
    free(f->path);
    free(f);
}

static int color_of(const struct vma *n) { return n ? n->color : BLACK; }

static void rotate_left(struct mm *mm, struct vma *x) {
    struct vma *y = x->right;
    x->right = y->left;
    if (y->left) y->left->parent = x;
    y->parent = x->parent;
    if (!x->parent) mm->root = y;
    else if (x == x->parent->left) x->parent->left = y;
    else x->parent->right = y;
    y->left = x;
    x->parent = y;
}

static void rotate_right(struct mm *mm, struct vma *x) {
    struct vma *y = x->left;
    x->left = y->right;
    if (y->right) y->right->parent = x;
    y->parent = x->parent;
    if (!x->parent) mm->root = y;
    else if (x == x->parent->right) x->parent->right = y;
    else x->parent->left = y;
    y->right = x;
    x->parent = y;
}

static void vma_link(struct mm *mm, struct vma *z) {
    struct vma *y = NULL, *x = mm->root;
    while (x) {
        y = x;
        x = z->start < x->start ? x->left : x->right;
    }
    z->parent = y;
    z->left = z->right = NULL;
    z->color = RED;
    if (!y) mm->root = z;
    else if (z->start < y->start) y->left = z;
    else y->right = z;
    while (z->parent && z->parent->color == RED) {
        struct vma *p = z->parent, *g = p->parent;
        if (p == g->left) {
            struct vma *u = g->right;
            if (color_of(u) == RED) {
                p->color = u->color = BLACK;
                g->color = RED;
                z = g;
                continue;
            }
            if (z == p->right) {
                z = p;
                rotate_left(mm, z);
                p = z->parent;
            }
            p->color = BLACK;
            g->color = RED;
            rotate_right(mm, g);
        } else {
            struct vma *u = g->left;
            if (color_of(u) == RED) {
                p->color = u->color = BLACK;
                g->color = RED;
                z = g;
                continue;
            }
            if (z == p->left) {
                z = p;
                rotate_right(mm, z);
                p = z->parent;
            }
            p->color = BLACK;
            g->color = RED;
            rotate_left(mm, g);
        }
    }
    mm->root->color = BLACK;
    mm->nvma++;
}

static void transplant(struct mm *mm, struct vma *u, struct vma *v) {
    if (!u->parent) mm->root = v;
    else if (u == u->parent->left) u->parent->left = v;
    else u->parent->right = v;
    if (v) v->parent = u->parent;
}

static void erase_fixup(struct mm *mm, struct vma *x, struct vma *xp) {
    while (x != mm->root && color_of(x) == BLACK) {
        if (x == xp->left) {
            struct vma *w = xp->right;
            if (w->color == RED) {
                w->color = BLACK;
                xp->color = RED;
                rotate_left(mm, xp);
                w = xp->right;
            }
            if (color_of(w->left) == BLACK && color_of(w->right) == BLACK) {
                w->color = RED;
                x = xp;
                xp = x->parent;
            } else {
                if (color_of(w->right) == BLACK) {
                    w->left->color = BLACK;
                    w->color = RED;
                    rotate_right(mm, w);
                    w = xp->right;
                }
                w->color = xp->color;
                xp->color = BLACK;
                w->right->color = BLACK;
                rotate_left(mm, xp);
                x = mm->root;
            }
        } else {
            struct vma *w = xp->left;
            if (w->color == RED) {
                w->color = BLACK;
                xp->color = RED;
                rotate_right(mm, xp);
                w = xp->left;
            }
            if (color_of(w->left) == BLACK && color_of(w->right) == BLACK) {
                w->color = RED;
                x = xp;
                xp = x->parent;
            } else {
                if (color_of(w->left) == BLACK) {
                    w->right->color = BLACK;
                    w->color = RED;
                    rotate_left(mm, w);
                    w = xp->left;
                }
                w->color = xp->color;
                xp->color = BLACK;
                w->left->color = BLACK;
                rotate_right(mm, xp);
                x = mm->root;
            }
        }
    }
    if (x) x->color = BLACK;
}

static void vma_unlink(struct mm *mm, struct vma *z) {
    struct vma *x, *xp;
    int removed_color = z->color;
    if (!z->left) {
        x = z->right;
        xp = z->parent;
        transplant(mm, z, z->right);
    } else if (!z->right) {
        x = z->left;
        xp = z->parent;
        transplant(mm, z, z->left);
    } else {
        struct vma *y = z->right;
        while (y->left) y = y->left;
        removed_color = y->color;
        x = y->right;
        if (y->parent == z) {
            xp = y;
        } else {
            xp = y->parent;
            transplant(mm, y, y->right);
            y->right = z->right;
            y->right->parent = y;
        }
        transplant(mm, z, y);
        y->left = z->left;
        y->left->parent = y;
        y->color = z->color;
    }
    if (removed_color == BLACK) erase_fixup(mm, x, xp);
    z->parent = z->left = z->right = NULL;
    mm->nvma--;
}

/* Black height of a subtree, or -1 if a red-black or parent-pointer invariant is broken. */
static int check(const struct vma *n, const struct vma *parent) {
    if (!n) return 1;
    if (n->parent != parent || (n->color == RED && (color_of(n->left) == RED || color_of(n->right) == RED))) return -1;
    int l = check(n->left, n), r = check(n->right, n);
    if (l < 0 || l != r) return -1;
    return l + (n->color == BLACK);
}

static struct vma *vma_new(unsigned long start, unsigned long end, struct file *file, unsigned long pgoff, int prot) {
    struct vma *v = calloc(1, sizeof *v); // site: vma
    v->start = start;
    v->end = end;
    v->file = file;
    v->pgoff = pgoff;
    v->prot = prot;
    if (file) file->refs++;
    return v;
}

static void vma_free(struct vma *v) {
    if (v->file) fput(v->file);
    free(v->present);
    free(v);
}

/* The first VMA ending above addr. */
static struct vma *find_vma(struct mm *mm, unsigned long addr) {
    struct vma *n = mm->root, *best = NULL;
    while (n) {
        if (n->end > addr) {
            best = n;
            n = n->left;
        } else {
            n = n->right;
        }
    }
    return best;
}

static void shrink_present(struct vma *v, unsigned long new_start, unsigned long new_end) {
    if (!v->present) return;
    memmove(v->present, v->present + (new_start - v->start), new_end - new_start);
    v->present = realloc(v->present, new_end - new_start); // site: present_shrunk
}

static void do_munmap(struct mm *mm, unsigned long s, unsigned long e) {
    struct vma *v;
    while ((v = find_vma(mm, s)) && v->start < e) {
        if (v->start >= s && v->end <= e) {
            vma_unlink(mm, v);
            vma_free(v);
        } else if (v->start < s && v->end > e) {
            struct vma *tail = vma_new(e, v->end, v->file, v->pgoff + (e - v->start), v->prot);
            if (v->present) {
                tail->present = malloc(v->end - e); // site: present_split
                memcpy(tail->present, v->present + (e - v->start), v->end - e);
            }
            shrink_present(v, v->start, s);
            v->end = s;
            vma_link(mm, tail);
            mm->splits++;
        } else if (v->start < s) {
            shrink_present(v, v->start, s);
            v->end = s;
            mm->trims++;
        } else {
            shrink_present(v, e, v->end);
            v->pgoff += e - v->start;
            v->start = e;
            mm->trims++;
        }
    }
}

static void do_mmap(struct mm *mm, unsigned long start, unsigned long npages, struct file *file, int prot) {
    do_munmap(mm, start, start + npages);
    vma_link(mm, vma_new(start, start + npages, file, file ? start % 64 : 0, prot));
}

static void fault(struct mm *mm, unsigned long addr) {
    struct vma *v = find_vma(mm, addr);
    if (!v || v->start > addr) return;
    mm->faults++;
    if (v->file) return;
    if (!v->present) v->present = calloc(v->end - v->start, 1); // site: present
    v->present[addr - v->start] = 1;
}

static void teardown(struct vma *v) {
    if (!v) return;
    teardown(v->left);
    teardown(v->right);
    vma_free(v);
}

static struct file *open_file(int n) {
    struct file *f = malloc(sizeof *f); // site: file
    f->path = malloc(48); // site: file_path
    snprintf(f->path, 48, "/usr/lib/x86_64-linux-gnu/libfoo%d.so", n);
    f->refs = 1;
    f->size = 4096ul * (unsigned long)(n % 7 + 1);
    return f;
}

int main(void) {
    struct mm *mm = calloc(1, sizeof *mm); // site: mm
    mm->fdtable = calloc(NFILES, sizeof *mm->fdtable); // site: fdtable
    int opened = 0;
    for (int fd = 0; fd < NFILES; fd++) mm->fdtable[fd] = open_file(opened++);
    unsigned seed = 2024;
    int broken = 0;
    for (int op = 0; op < 5000; op++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 8;
        unsigned long addr = r % SPACE, len = 1 + (r >> 12) % 48;
        if (addr + len > SPACE) len = SPACE - addr;
        switch (r % 10) {
        case 0: case 1: case 2:
            do_mmap(mm, addr, len, NULL, 3);
            break;
        case 3: case 4: {
            int fd = (int)((r >> 5) % NFILES);
            if (mm->fdtable[fd]) do_mmap(mm, addr, len, mm->fdtable[fd], 5);
            break;
        }
        case 5: case 6:
            do_munmap(mm, addr, addr + len / 2 + 1);
            break;
        case 7: {
            int fd = (int)((r >> 5) % NFILES);
            if (mm->fdtable[fd]) {
                fput(mm->fdtable[fd]);
                mm->fdtable[fd] = NULL;
            } else {
                mm->fdtable[fd] = open_file(opened++);
            }
            break;
        }
        default:
            for (unsigned long a = addr; a < addr + len; a += 3) fault(mm, a);
        }
        if (op % 500 == 499 && check(mm->root, NULL) < 0) broken++;
    }
    unsigned long mapped = 0, present = 0;
    for (struct vma *v = find_vma(mm, 0); v; v = find_vma(mm, v->end)) {
        mapped += v->end - v->start;
        if (v->present)
            for (unsigned long i = 0; i < v->end - v->start; i++) present += v->present[i];
    }
    printf("%ld %lu %lu %ld %ld %ld %d\n", mm->nvma, mapped, present, mm->faults, mm->splits, mm->trims, broken);
    teardown(mm->root);
    mm->root = NULL;
    for (int fd = 0; fd < NFILES; fd++)
        if (mm->fdtable[fd]) fput(mm->fdtable[fd]);
    free(mm->fdtable);
    free(mm);
    return 0;
}
