/* An in-memory log: a ring of 128 record pointers (allocated once) owns the most recent
 * log records, each owning its message string. Writing a record into an occupied slot
 * evicts the old one. An open-addressing index by record id (512 entries, allocated
 * once, tombstones on removal) points at every record still alive. Each of 8 sources
 * (inline in the logger) keeps a doubly linked chain of its records through the
 * records' `src_prev`/`src_next` pointers, with its newest record in `last`. Looking up
 * an id sometimes pins the record: it leaves the ring (slot cleared) and its source
 * chain and moves to a pin table (32 entries, allocated once) which then owns it, still
 * indexed; when the pin table is full the oldest pin is released (freed). A record is
 * always unlinked from its chain and index, and its owning slot cleared, before its
 * message and then the record itself are freed. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RING 128
#define INDEX 512
#define PINS 32
#define SOURCES 8
#define WRITES 6000

struct logrec {
    unsigned long id;
    int source;
    int level;
    char *msg;
    struct logrec *src_prev, *src_next;
};

struct slot {
    unsigned long id; /* 0 empty, ~0 tombstone */
    struct logrec *rec;
};

struct source {
    struct logrec *last;
    long written;
};

struct logger {
    struct logrec **ring;
    size_t head;
    struct slot *index;
    struct logrec **pins;
    size_t npins;
    struct source sources[SOURCES];
    long evicted, pinned, released, found, missing;
};

#define TOMB (~0UL)

static size_t index_find(struct logger *lg, unsigned long id) {
    size_t i = (id * 2654435761UL) % INDEX;
    while (lg->index[i].id != 0) {
        if (lg->index[i].id == id) return i;
        i = (i + 1) % INDEX;
    }
    return (size_t)-1;
}

static void index_put(struct logger *lg, struct logrec *r) {
    size_t i = (r->id * 2654435761UL) % INDEX;
    while (lg->index[i].id != 0 && lg->index[i].id != TOMB) i = (i + 1) % INDEX;
    lg->index[i].id = r->id;
    lg->index[i].rec = r;
}

static void index_rebuild(struct logger *lg) {
    /* Clears tombstones: re-inserts live entries in place. */
    struct slot tmp[INDEX];
    memcpy(tmp, lg->index, sizeof tmp);
    memset(lg->index, 0, sizeof tmp);
    for (size_t i = 0; i < INDEX; i++)
        if (tmp[i].id != 0 && tmp[i].id != TOMB) index_put(lg, tmp[i].rec);
}

static void index_remove(struct logger *lg, unsigned long id) {
    size_t i = index_find(lg, id);
    lg->index[i].id = TOMB;
    lg->index[i].rec = NULL;
}

static void chain_unlink(struct logger *lg, struct logrec *r) {
    if (r->src_prev) r->src_prev->src_next = r->src_next;
    if (r->src_next) r->src_next->src_prev = r->src_prev;
    else lg->sources[r->source].last = r->src_prev;
    r->src_prev = r->src_next = NULL;
}

static void destroy(struct logrec *r) {
    free(r->msg);
    r->msg = NULL;
    free(r);
}

static void write_log(struct logger *lg, unsigned long id, int source, int level) {
    struct logrec *old = lg->ring[lg->head];
    if (old) {
        lg->ring[lg->head] = NULL;
        chain_unlink(lg, old);
        index_remove(lg, old->id);
        destroy(old);
        lg->evicted++;
    }
    struct logrec *r = calloc(1, sizeof *r); // site: logrec
    r->id = id;
    r->source = source;
    r->level = level;
    char buf[128];
    snprintf(buf, sizeof buf, "[src%d] request %lu handled at level %d with status %lu", source, id, level, 200 + id % 7);
    r->msg = strdup(buf); // site: msg
    struct source *s = &lg->sources[source];
    r->src_prev = s->last;
    if (s->last) s->last->src_next = r;
    s->last = r;
    s->written++;
    index_put(lg, r);
    lg->ring[lg->head] = r;
    lg->head = (lg->head + 1) % RING;
}

static void pin(struct logger *lg, struct logrec *r) {
    for (size_t i = 0; i < RING; i++)
        if (lg->ring[i] == r) lg->ring[i] = NULL;
    chain_unlink(lg, r);
    if (lg->npins == PINS) {
        struct logrec *oldest = lg->pins[0];
        memmove(lg->pins, lg->pins + 1, (PINS - 1) * sizeof *lg->pins);
        lg->pins[PINS - 1] = NULL;
        lg->npins--;
        index_remove(lg, oldest->id);
        destroy(oldest);
        lg->released++;
    }
    lg->pins[lg->npins++] = r;
    lg->pinned++;
}

static unsigned long rng = 31337;
static unsigned long next_rand(void) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return rng >> 31;
}

int main(void) {
    struct logger *lg = calloc(1, sizeof *lg); // site: logger
    lg->ring = calloc(RING, sizeof *lg->ring); // site: ring
    lg->index = calloc(INDEX, sizeof *lg->index); // site: index
    lg->pins = calloc(PINS, sizeof *lg->pins); // site: pins
    unsigned long check = 0;
    for (unsigned long id = 1; id <= WRITES; id++) {
        unsigned long r = next_rand();
        write_log(lg, id, (int)(r % SOURCES), (int)((r >> 4) % 5));
        if (id % 3 == 0) {
            unsigned long want = id > 200 ? id - (r >> 8) % 200 : 1 + (r >> 8) % id;
            size_t i = index_find(lg, want);
            if (i == (size_t)-1) {
                lg->missing++;
            } else {
                struct logrec *rec = lg->index[i].rec;
                lg->found++;
                check = check * 31 + strlen(rec->msg) + (unsigned long)rec->level;
                if (rec->level == 4 && rec->src_next != NULL && (r >> 12) % 4 == 0) pin(lg, rec);
            }
        }
        if (id % 256 == 0) index_rebuild(lg);
    }
    long chained = 0;
    for (int s = 0; s < SOURCES; s++)
        for (struct logrec *r = lg->sources[s].last; r; r = r->src_prev) chained++;
    printf("written=%d evicted=%ld pinned=%ld released=%ld found=%ld missing=%ld chained=%ld check=%lu\n", WRITES,
           lg->evicted, lg->pinned, lg->released, lg->found, lg->missing, chained, check);
    for (size_t i = 0; i < RING; i++) {
        struct logrec *r = lg->ring[i];
        if (!r) continue;
        lg->ring[i] = NULL;
        chain_unlink(lg, r);
        index_remove(lg, r->id);
        destroy(r);
    }
    for (size_t i = 0; i < lg->npins; i++) {
        struct logrec *r = lg->pins[i];
        lg->pins[i] = NULL;
        index_remove(lg, r->id);
        destroy(r);
    }
    free(lg->pins);
    free(lg->index);
    free(lg->ring);
    free(lg);
    return 0;
}
