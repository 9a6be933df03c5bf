/* Threaded word counter on a chained hash table with lock striping: a boxed table owns
 * a fixed array of 512 buckets and 16 mutexes inline (stripe = bucket % 16). Four
 * worker threads tokenize their own deterministic text and count words: under the
 * stripe's lock, a miss allocates an entry (with a key copy and an origin note) at the
 * head of the chain, a hit increments. After joining, main prunes the words seen only
 * once and then frees everything, all through one helper; entries, keys and notes are
 * allocated on the workers and freed on main. Output does not depend on the
 * interleaving (which worker first sees a word is not printed). No scan. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 512
#define NSTRIPES 16
#define NWORKERS 4

struct entry {
    struct entry *next;
    char *key;
    char *origin;
    long count;
};

struct table {
    struct entry **buckets;
    pthread_mutex_t locks[NSTRIPES];
};

struct worker {
    struct table *t;
    int id;
    long words;
};

static unsigned hash(const char *s) {
    unsigned h = 2166136261u;
    while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static const char *syll[] = {"ka", "ro", "mi", "ten", "su", "lo", "vid", "an", "que", "bor", "el", "ny"};

static void count_word(struct table *t, const char *w, int worker) {
    unsigned b = hash(w) % NBUCKETS;
    pthread_mutex_t *lk = &t->locks[b % NSTRIPES];
    pthread_mutex_lock(lk);
    struct entry *e = t->buckets[b];
    while (e && strcmp(e->key, w) != 0) e = e->next;
    if (e) {
        e->count++;
    } else {
        e = malloc(sizeof *e); // site: entry
        e->key = strdup(w); // site: key
        char note[48];
        snprintf(note, sizeof note, "first counted by worker %d", worker);
        e->origin = strdup(note); // site: origin
        e->count = 1;
        e->next = t->buckets[b];
        t->buckets[b] = e;
    }
    pthread_mutex_unlock(lk);
}

static void *work(void *arg) {
    struct worker *wk = arg;
    unsigned long s = 1000 + (unsigned long)wk->id * 77;
    char w[32];
    for (int i = 0; i < 6000; i++) {
        s = s * 6364136223846793005UL + 1442695040888963407UL;
        unsigned r = (unsigned)(s >> 33);
        int n = 1 + (int)(r % 3);
        w[0] = 0;
        for (int k = 0; k < n; k++) {
            /* short words are common, longer ones rare */
            strcat(w, syll[(r >> (4 + 4 * k)) % (k == 0 ? 12 : 12 - (unsigned)wk->id)]);
        }
        if (n == 3) {
            char num[8];
            snprintf(num, sizeof num, "%u", (r >> 20) % 5);
            strcat(w, num);
        }
        count_word(wk->t, w, wk->id);
        wk->words++;
    }
    return NULL;
}

static void entry_free(struct entry *e) {
    free(e->origin); // site: origin_freed
    free(e->key); // site: key_freed
    free(e); // site: entry_freed
}

static int cmp_desc(const void *a, const void *b) {
    const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return strcmp(x->key, y->key);
}

int main(void) {
    struct table *t = malloc(sizeof *t); // site: table
    t->buckets = calloc(NBUCKETS, sizeof *t->buckets); // site: buckets
    for (int i = 0; i < NSTRIPES; i++) pthread_mutex_init(&t->locks[i], NULL);
    pthread_t th[NWORKERS];
    struct worker wk[NWORKERS];
    for (int i = 0; i < NWORKERS; i++) {
        wk[i].t = t;
        wk[i].id = i;
        wk[i].words = 0;
        pthread_create(&th[i], NULL, work, &wk[i]);
    }
    long words = 0;
    for (int i = 0; i < NWORKERS; i++) {
        pthread_join(th[i], NULL);
        words += wk[i].words;
    }
    int distinct = 0, pruned = 0;
    for (int b = 0; b < NBUCKETS; b++) {
        struct entry **p = &t->buckets[b];
        while (*p) {
            distinct++;
            if ((*p)->count == 1) {
                struct entry *e = *p;
                *p = e->next;
                e->next = NULL;
                entry_free(e);
                pruned++;
            } else {
                p = &(*p)->next;
            }
        }
    }
    printf("%ld words, %d distinct, %d seen once (pruned)\n", words, distinct, pruned);
    int kept = distinct - pruned, k = 0;
    struct entry **all = malloc((size_t)kept * sizeof *all); // site: ranking
    for (int b = 0; b < NBUCKETS; b++)
        for (struct entry *e = t->buckets[b]; e; e = e->next) all[k++] = e;
    qsort(all, (size_t)kept, sizeof *all, cmp_desc);
    for (int i = 0; i < 5 && i < kept; i++) printf("  %-12s %ld\n", all[i]->key, all[i]->count);
    free(all);
    for (int b = 0; b < NBUCKETS; b++) {
        while (t->buckets[b]) {
            struct entry *e = t->buckets[b];
            t->buckets[b] = e->next;
            entry_free(e);
        }
    }
    for (int i = 0; i < NSTRIPES; i++) pthread_mutex_destroy(&t->locks[i]);
    free(t->buckets);
    free(t);
    return 0;
}
