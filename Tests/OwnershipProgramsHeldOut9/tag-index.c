/* Document store with an inverted tag index. A boxed index owns a document array
 * (grown by realloc) that owns the documents, each owning its title; the index also
 * holds 24 tag entries inline, each owning a posting array (grown by realloc) of
 * pointers to the documents carrying that tag. Deleting a document removes it from
 * every posting array of its tags, then from the document array (the last slot moved
 * into its place and cleared), then frees the title and the document. Everything is
 * freed at the end. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAGS 24

struct doc {
    int id;
    unsigned tagmask;
    char *title;
};

struct posting {
    struct doc **docs;
    int n, cap;
};

struct index {
    struct doc **docs;
    int ndocs, cap;
    struct posting tags[TAGS];
};

static unsigned long rng = 8080;
static unsigned rnd(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static void post_add(struct posting *p, struct doc *d) {
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 4;
        if (p->docs == NULL)
            p->docs = malloc((size_t)p->cap * sizeof *p->docs); // site: post
        else
            p->docs = realloc(p->docs, (size_t)p->cap * sizeof *p->docs); // site: post_grown
    }
    p->docs[p->n++] = d;
}

static void post_remove(struct posting *p, struct doc *d) {
    for (int i = 0; i < p->n; i++)
        if (p->docs[i] == d) {
            p->docs[i] = p->docs[p->n - 1];
            p->docs[--p->n] = NULL;
            return;
        }
}

static void add_doc(struct index *ix, int id) {
    if (ix->ndocs == ix->cap) {
        ix->cap *= 2;
        ix->docs = realloc(ix->docs, (size_t)ix->cap * sizeof *ix->docs); // site: docs_grown
    }
    struct doc *d = malloc(sizeof *d); // site: doc
    char buf[64];
    snprintf(buf, sizeof buf, "document number %d in the tag store", id);
    d->title = strdup(buf); // site: title
    d->id = id;
    d->tagmask = 0;
    for (int k = 0; k < 3; k++) d->tagmask |= 1u << (rnd() % TAGS);
    for (int t = 0; t < TAGS; t++)
        if (d->tagmask & (1u << t)) post_add(&ix->tags[t], d);
    ix->docs[ix->ndocs++] = d;
}

static void delete_doc(struct index *ix, int slot) {
    struct doc *d = ix->docs[slot];
    for (int t = 0; t < TAGS; t++)
        if (d->tagmask & (1u << t)) post_remove(&ix->tags[t], d);
    ix->docs[slot] = ix->docs[ix->ndocs - 1];
    ix->docs[--ix->ndocs] = NULL;
    free(d->title);
    free(d);
}

static long query(const struct index *ix, int a, int b) {
    const struct posting *p = &ix->tags[a];
    long s = 0;
    for (int i = 0; i < p->n; i++)
        if (p->docs[i]->tagmask & (1u << b)) s += p->docs[i]->id;
    return s;
}

int main(void) {
    struct index *ix = calloc(1, sizeof *ix); // site: index
    ix->cap = 8;
    ix->docs = malloc((size_t)ix->cap * sizeof *ix->docs); // site: docs
    int next = 0;
    long q = 0;
    for (int step = 0; step < 6000; step++) {
        if (ix->ndocs < 50 || rnd() % 3 != 0)
            add_doc(ix, next++);
        else
            delete_doc(ix, (int)(rnd() % (unsigned)ix->ndocs));
        if (step % 7 == 0) q += query(ix, (int)(rnd() % TAGS), (int)(rnd() % TAGS));
        if (step % 1000 == 999) {
            int maxp = 0;
            for (int t = 0; t < TAGS; t++)
                if (ix->tags[t].n > maxp) maxp = ix->tags[t].n;
            printf("step %d: %d docs (cap %d), largest posting %d, query sum %ld\n",
                   step + 1, ix->ndocs, ix->cap, maxp, q);
        }
    }
    while (ix->ndocs > 0) delete_doc(ix, ix->ndocs - 1);
    for (int t = 0; t < TAGS; t++) free(ix->tags[t].docs);
    free(ix->docs);
    free(ix);
    return 0;
}
