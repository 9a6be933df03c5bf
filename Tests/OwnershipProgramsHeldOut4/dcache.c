/* A file system's dentry and inode caches, after the Linux VFS design: dentries (one per
 * path component) live in a global hash chained through d_hnext, keyed by parent and name;
 * each dentry pins its parent and its inode with counted references. A dentry whose count
 * drops to zero is not freed but put on an LRU list of unused dentries (list head and tail
 * in the cache); the shrinker frees unused dentries from the LRU's cold end, dropping their
 * inode and parent references. Inodes live in their own hash (i_hnext chains) and are
 * freed by the last iput. Several names may resolve to the same inode (hard links). Open
 * files hold a counted reference on their dentry. At unmount every file is closed and every
 * dentry still in the hash is freed. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DHASH 256
#define IHASH 64
#define MAXFILES 48

struct inode {
    unsigned long ino;
    int i_count;
    unsigned char *data;
    size_t size, cap;
    struct inode *i_hnext;
};

struct dentry {
    unsigned long id;
    char *name;
    struct dentry *parent;
    struct inode *inode;
    int d_count;
    struct dentry *d_hnext;
    struct dentry *lru_prev, *lru_next;
};

struct dcache {
    struct dentry **dhash;
    struct inode **ihash;
    struct dentry *lru_head, *lru_tail;
    int nr_unused;
    struct dentry *root;
    unsigned long next_id;
    long lookups, misses, evictions;
};

struct file {
    struct dentry *dentry;
    long pos;
};

static unsigned name_hash(const struct dentry *parent, const char *name) {
    unsigned h = parent ? (unsigned)parent->id * 2654435761u : 7;
    while (*name) h = h * 31 + (unsigned char)*name++;
    return h % DHASH;
}

static struct inode *iget(struct dcache *dc, unsigned long ino) {
    struct inode **head = &dc->ihash[ino % IHASH];
    for (struct inode *i = *head; i; i = i->i_hnext)
        if (i->ino == ino) {
            i->i_count++;
            return i;
        }
    struct inode *i = malloc(sizeof *i); // site: inode
    i->ino = ino;
    i->i_count = 1;
    i->cap = 32;
    i->size = 0;
    i->data = malloc(i->cap); // site: inode_data
    i->i_hnext = *head;
    *head = i;
    return i;
}

static void iput(struct dcache *dc, struct inode *i) {
    if (--i->i_count > 0) return;
    struct inode **link = &dc->ihash[i->ino % IHASH];
    while (*link != i) link = &(*link)->i_hnext;
    *link = i->i_hnext;
    free(i->data);
    free(i);
}

static void lru_del(struct dcache *dc, struct dentry *d) {
    if (d->lru_prev) d->lru_prev->lru_next = d->lru_next;
    else dc->lru_head = d->lru_next;
    if (d->lru_next) d->lru_next->lru_prev = d->lru_prev;
    else dc->lru_tail = d->lru_prev;
    d->lru_prev = d->lru_next = NULL;
    dc->nr_unused--;
}

static struct dentry *dget(struct dcache *dc, struct dentry *d) {
    if (d->d_count++ == 0) lru_del(dc, d);
    return d;
}

static void dput(struct dcache *dc, struct dentry *d) {
    if (--d->d_count > 0) return;
    d->lru_prev = NULL;
    d->lru_next = dc->lru_head;
    if (dc->lru_head) dc->lru_head->lru_prev = d;
    else dc->lru_tail = d;
    dc->lru_head = d;
    dc->nr_unused++;
}

static struct dentry *d_alloc(struct dcache *dc, struct dentry *parent, const char *name, unsigned long ino) {
    struct dentry *d = calloc(1, sizeof *d); // site: dentry
    d->id = ++dc->next_id;
    d->name = malloc(strlen(name) + 1); // site: d_name
    strcpy(d->name, name);
    d->parent = parent ? dget(dc, parent) : NULL;
    d->inode = iget(dc, ino);
    d->d_count = 1;
    unsigned h = name_hash(parent, name);
    d->d_hnext = dc->dhash[h];
    dc->dhash[h] = d;
    return d;
}

/* Frees an unused dentry; returns its parent, whose reference the caller must drop. */
static struct dentry *d_kill(struct dcache *dc, struct dentry *d) {
    struct dentry **link = &dc->dhash[name_hash(d->parent, d->name)];
    while (*link != d) link = &(*link)->d_hnext;
    *link = d->d_hnext;
    struct dentry *parent = d->parent;
    iput(dc, d->inode);
    free(d->name);
    free(d);
    return parent;
}

static void shrink(struct dcache *dc, int keep) {
    while (dc->nr_unused > keep) {
        struct dentry *victim = dc->lru_tail;
        lru_del(dc, victim);
        struct dentry *parent = d_kill(dc, victim);
        dc->evictions++;
        if (parent) dput(dc, parent);
    }
}

static struct dentry *path_walk(struct dcache *dc, const char *path) {
    struct dentry *cur = dget(dc, dc->root);
    char comp[32];
    while (*path) {
        size_t n = strcspn(path, "/");
        memcpy(comp, path, n);
        comp[n] = 0;
        path += n + (path[n] == '/');
        dc->lookups++;
        struct dentry *next = NULL;
        for (struct dentry *d = dc->dhash[name_hash(cur, comp)]; d; d = d->d_hnext)
            if (d->parent == cur && strcmp(d->name, comp) == 0) {
                next = dget(dc, d);
                break;
            }
        if (!next) {
            dc->misses++;
            next = d_alloc(dc, cur, comp, (cur->inode->ino * 31 + n * 7 + (unsigned char)comp[n - 1]) % 150 + 2);
        }
        dput(dc, cur);
        cur = next;
    }
    return cur;
}

int main(void) {
    struct dcache *dc = calloc(1, sizeof *dc); // site: dcache
    dc->dhash = calloc(DHASH, sizeof *dc->dhash); // site: dhash
    dc->ihash = calloc(IHASH, sizeof *dc->ihash); // site: ihash
    dc->root = d_alloc(dc, NULL, "/", 1);
    struct file **fdtable = calloc(MAXFILES, sizeof *fdtable); // site: fdtable
    static const char *dirs[] = {"usr", "etc", "var", "home", "opt"};
    static const char *subs[] = {"lib", "share", "log", "cache", "alice", "bob", "bin"};
    char path[96];
    unsigned seed = 1234;
    long bytes = 0;
    for (int op = 0; op < 6000; op++) {
        seed = seed * 1103515245u + 12345u;
        int fd = (int)((seed >> 8) % MAXFILES);
        if (fdtable[fd]) {
            struct file *f = fdtable[fd];
            struct inode *in = f->dentry->inode;
            size_t n = 8 + (seed >> 14) % 40;
            if (in->size + n > in->cap && in->cap < 4096) {
                in->cap = (in->size + n) * 2;
                in->data = realloc(in->data, in->cap); // site: inode_data_grown
            }
            if (in->size + n <= in->cap) {
                memset(in->data + in->size, (int)(seed & 0xff), n);
                in->size += n;
                f->pos += (long)n;
            }
            if ((seed >> 20) % 3 == 0) {
                bytes += f->pos;
                dput(dc, f->dentry);
                free(f);
                fdtable[fd] = NULL;
            }
        } else {
            snprintf(path, sizeof path, "%s/%s/file%u.dat", dirs[(seed >> 12) % 5], subs[(seed >> 16) % 7], (seed >> 19) % 40);
            struct file *f = malloc(sizeof *f); // site: file
            f->dentry = path_walk(dc, path);
            f->pos = 0;
            fdtable[fd] = f;
        }
        if (op % 200 == 199) shrink(dc, 60);
    }
    for (int fd = 0; fd < MAXFILES; fd++) {
        if (!fdtable[fd]) continue;
        dput(dc, fdtable[fd]->dentry);
        free(fdtable[fd]);
    }
    free(fdtable);
    int left = 0;
    for (int h = 0; h < DHASH; h++) /* unmount: free every dentry still hashed */
        while (dc->dhash[h]) {
            struct dentry *d = dc->dhash[h];
            dc->dhash[h] = d->d_hnext;
            iput(dc, d->inode);
            free(d->name);
            free(d);
            left++;
        }
    free(dc->dhash);
    free(dc->ihash);
    printf("%ld %ld %ld %d %ld\n", dc->lookups, dc->misses, dc->evictions, left, bytes);
    free(dc);
    return 0;
}
