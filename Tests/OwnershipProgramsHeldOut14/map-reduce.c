/* Threaded word count, map-reduce style: four mapper threads each count the words of
 * their share of a generated text into a private chained hash table they allocate (a
 * table record owning a 64-bucket calloc'ed array; entries own their word copies).
 * Main joins the mappers in order and reduces each private table into its global
 * table (256 buckets): an entry whose word is new is unlinked and relinked into the
 * global chain (no copy); one whose word is already there adds its count and is freed
 * with its word. The private bucket arrays and table records are then freed on main;
 * at the end main frees the global entries. Everything a mapper allocates is freed on
 * main. No scan. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NMAP 4
#define PBUCKETS 64
#define GBUCKETS 256
#define WORDS_PER 3000

struct entry { struct entry *next; char *word; long count; };
struct table { struct entry **buckets; int nb; long words; };
struct mapper { int id; struct table *out; };

static const char *syll[] = { "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo" };

static unsigned hash(const char *s) { unsigned h = 5381; while (*s) h = h * 33 + (unsigned char)*s++; return h; }

static void *map_words(void *arg) {
    struct mapper *m = arg;
    struct table *t = malloc(sizeof *t); // site: ptable
    t->nb = PBUCKETS;
    t->words = 0;
    t->buckets = calloc(PBUCKETS, sizeof *t->buckets); // site: pbuckets
    unsigned r = 77u + (unsigned)m->id * 1000003u;
    for (int i = 0; i < WORDS_PER; i++) {
        char w[16] = "";
        r = r * 1103515245u + 12345u;
        int len = 1 + (r >> 20) % 3;
        for (int j = 0; j < len; j++) strcat(w, syll[(r >> (4 + 3 * j)) & 7]);
        struct entry **b = &t->buckets[hash(w) % PBUCKETS];
        struct entry *e = *b;
        while (e && strcmp(e->word, w) != 0) e = e->next;
        if (!e) {
            e = malloc(sizeof *e); // site: entry
            e->word = strdup(w); // site: word
            e->count = 0;
            e->next = *b;
            *b = e;
        }
        e->count++;
        t->words++;
    }
    m->out = t;
    return NULL;
}

static void drop_entry(struct entry *e) {
    free(e->word); // site: word_freed
    free(e); // site: entry_freed
}

int main(void) {
    struct table *g = malloc(sizeof *g); // site: gtable
    g->nb = GBUCKETS;
    g->words = 0;
    g->buckets = calloc(GBUCKETS, sizeof *g->buckets); // site: gbuckets
    struct mapper ms[NMAP];
    pthread_t th[NMAP];
    for (int i = 0; i < NMAP; i++) { ms[i].id = i; ms[i].out = NULL; pthread_create(&th[i], NULL, map_words, &ms[i]); }
    int moved = 0, merged = 0;
    for (int i = 0; i < NMAP; i++) {
        pthread_join(th[i], NULL);
        struct table *t = ms[i].out;
        for (int b = 0; b < t->nb; b++) {
            while (t->buckets[b]) {
                struct entry *e = t->buckets[b];
                t->buckets[b] = e->next;
                e->next = NULL;
                struct entry **gb = &g->buckets[hash(e->word) % GBUCKETS];
                struct entry *h = *gb;
                while (h && strcmp(h->word, e->word) != 0) h = h->next;
                if (h) { h->count += e->count; drop_entry(e); merged++; }
                else { e->next = *gb; *gb = e; moved++; }
            }
        }
        g->words += t->words;
        ms[i].out = NULL;
        free(t->buckets); // site: pbuckets_freed
        free(t); // site: ptable_freed
    }
    int distinct = 0;
    long top = 0;
    const char *top_word = "";
    for (int b = 0; b < GBUCKETS; b++)
        for (struct entry *e = g->buckets[b]; e; e = e->next) {
            distinct++;
            if (e->count > top || (e->count == top && strcmp(e->word, top_word) < 0)) { top = e->count; top_word = e->word; }
        }
    printf("%ld words, %d distinct (%d moved, %d merged), most frequent %s x%ld\n", g->words, distinct, moved, merged, top_word, top);
    for (int b = 0; b < GBUCKETS; b++)
        while (g->buckets[b]) { struct entry *e = g->buckets[b]; g->buckets[b] = e->next; drop_entry(e); }
    free(g->buckets);
    free(g);
    return 0;
}
