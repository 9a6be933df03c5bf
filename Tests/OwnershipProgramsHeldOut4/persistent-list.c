/* A persistent (immutable) singly linked list with structural sharing, reference counted
 * by hand as in functional-language runtimes and persistent collections written in C:
 * a cell holds a count, its payload record and a counted reference to the next cell.
 * Updating the list (insert, remove or replace at an index) copies the cells before the
 * index and shares the rest with the previous version; each version's head is kept in a
 * history array (grown with realloc), so a cell is held by the history and by the cells
 * of every version that shares it. When the history is full its oldest half is released;
 * whichever release drops a count to zero frees the cell (and its payload), then releases
 * the next one. At the end every remaining version is released, newest first. No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct payload {
    int key;
    double weight;
    char label[20];
};

struct cell {
    int refs;
    struct payload *item;
    struct cell *next;
};

static long cells_live, cells_made;

static struct payload *payload_new(int key, double weight) {
    struct payload *p = malloc(sizeof *p); // site: payload
    p->key = key;
    p->weight = weight;
    snprintf(p->label, sizeof p->label, "item-%d", key);
    return p;
}

static struct cell *retain(struct cell *c) {
    if (c) c->refs++;
    return c;
}

static void release(struct cell *c) {
    while (c && --c->refs == 0) {
        struct cell *next = c->next;
        free(c->item);
        free(c);
        cells_live--;
        c = next;
    }
}

/* cons takes over one reference to tail. */
static struct cell *cons(struct payload *item, struct cell *tail) {
    struct cell *c = malloc(sizeof *c); // site: cell
    c->refs = 1;
    c->item = item;
    c->next = tail;
    cells_live++;
    cells_made++;
    return c;
}

/* A new version with the cells before index copied; `mode` 0 inserts before index,
 * 1 removes the cell at index, 2 replaces its payload. Returns a new reference. */
static struct cell *update(struct cell *list, int index, int mode, struct payload *item) {
    if (index == 0 || !list) {
        if (mode == 0) return cons(item, retain(list));
        if (!list) {
            free(item);
            return NULL;
        }
        if (mode == 1) {
            free(item);
            return retain(list->next);
        }
        return cons(item, retain(list->next));
    }
    struct cell *rest = update(list->next, index - 1, mode, item);
    return cons(payload_new(list->item->key, list->item->weight), rest);
}

static double sum(const struct cell *c, int limit) {
    double s = 0;
    for (; c && limit-- > 0; c = c->next) s += c->item->weight * (c->item->label[5] - '0');
    return s;
}

int main(void) {
    size_t cap = 16, count = 0;
    struct cell **history = malloc(cap * sizeof *history); // site: history
    history[count++] = NULL;
    unsigned seed = 29;
    int next_key = 0, length = 0;
    double checksum = 0;
    for (int step = 0; step < 4000; step++) {
        seed = seed * 1103515245u + 12345u;
        struct cell *current = history[count - 1];
        int index = length ? (int)((seed >> 9) % (unsigned)(length + 1)) : 0;
        int mode = (seed >> 20) % 5 < 3 ? 0 : (int)((seed >> 20) % 5) - 2;
        if (length > 120 && mode == 0) mode = 1;
        if (mode != 0 && index == length) index = length ? length - 1 : 0;
        struct cell *next = update(current, index, mode, payload_new(next_key++, (seed >> 4) % 100 / 10.0));
        if (mode == 0) length++;
        else if (mode == 1 && length > 0) length--;
        if (count == cap) {
            if (cap < 256) {
                cap *= 2;
                history = realloc(history, cap * sizeof *history); // site: history_grown
            } else {
                size_t half = count / 2;
                for (size_t i = 0; i < half; i++) release(history[i]);
                memmove(history, history + half, (count - half) * sizeof *history);
                count -= half;
            }
        }
        history[count++] = next;
        if (step % 50 == 0) checksum += sum(history[count / 2], 30) + sum(next, 10);
    }
    long live_before = cells_live;
    while (count > 0) release(history[--count]);
    free(history);
    printf("%ld %ld %ld %.1f\n", cells_made, live_before, cells_live, checksum);
    return 0;
}
