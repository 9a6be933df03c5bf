/* Doubly linked lists with a header: a playlist header (malloc'd) holds head and tail
 * pointers and a name; tracks link to each other with next and prev. A track owns its
 * title and an artwork thumbnail buffer. Tracks are appended, prepended, inserted in the
 * middle, removed from the middle, and moved from one playlist to another (unlinked from
 * one, linked into the other). At the end, even playlists are freed from the tail
 * backwards (prev pointers), odd ones from the head forwards; headers after their tracks.
 * No scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLAYLISTS 8

struct track {
    struct track *next, *prev;
    char *title;
    unsigned char *artwork;
    int seconds;
};

struct playlist {
    struct track *head, *tail;
    char *name;
    int count;
};

static struct playlist *playlist_new(int i) {
    struct playlist *p = malloc(sizeof *p); // site: playlist
    char name[32];
    snprintf(name, sizeof name, "Mix #%d (%s)", i, i % 2 ? "chill" : "workout");
    p->name = strdup(name); // site: playlist_name
    p->head = p->tail = NULL;
    p->count = 0;
    return p;
}

static struct track *track_new(int i) {
    struct track *t = malloc(sizeof *t); // site: track
    t->title = malloc(48); // site: title
    snprintf(t->title, 48, "Track %d - Artist %d", i, i % 37);
    t->artwork = malloc(256 + (size_t)(i % 4) * 256); // site: artwork
    memset(t->artwork, i & 0xff, 256);
    t->seconds = 120 + i % 240;
    t->next = t->prev = NULL;
    return t;
}

static void track_free(struct track *t) {
    free(t->artwork);
    free(t->title);
    free(t);
}

static void push_back(struct playlist *p, struct track *t) {
    t->next = NULL;
    t->prev = p->tail;
    if (p->tail) p->tail->next = t; else p->head = t;
    p->tail = t;
    p->count++;
}

static void push_front(struct playlist *p, struct track *t) {
    t->prev = NULL;
    t->next = p->head;
    if (p->head) p->head->prev = t; else p->tail = t;
    p->head = t;
    p->count++;
}

static void insert_after(struct playlist *p, struct track *at, struct track *t) {
    t->prev = at;
    t->next = at->next;
    if (at->next) at->next->prev = t; else p->tail = t;
    at->next = t;
    p->count++;
}

static void unlink_track(struct playlist *p, struct track *t) {
    if (t->prev) t->prev->next = t->next; else p->head = t->next;
    if (t->next) t->next->prev = t->prev; else p->tail = t->prev;
    t->next = t->prev = NULL;
    p->count--;
}

static struct track *nth(struct playlist *p, int n) {
    struct track *t = p->head;
    while (t && n-- > 0) t = t->next;
    return t;
}

int main(void) {
    struct playlist *lists[PLAYLISTS];
    int made = 0;
    srand(77);
    for (int i = 0; i < PLAYLISTS; i++) lists[i] = playlist_new(i);
    for (int step = 0; step < 4000; step++) {
        struct playlist *p = lists[rand() % PLAYLISTS];
        int op = rand() % 10;
        if (op < 3) push_back(p, track_new(made++));
        else if (op < 5) push_front(p, track_new(made++));
        else if (op < 7 && p->count > 0) insert_after(p, nth(p, rand() % p->count), track_new(made++));
        else if (op < 8 && p->count > 0) {
            struct track *t = nth(p, rand() % p->count);
            unlink_track(p, t);
            track_free(t);
        } else if (p->count > 0) {
            struct playlist *to = lists[rand() % PLAYLISTS];
            struct track *t = nth(p, rand() % p->count);
            unlink_track(p, t);
            push_back(to, t);
        }
    }
    long seconds = 0;
    for (int i = 0; i < PLAYLISTS; i++)
        for (struct track *t = lists[i]->head; t; t = t->next) seconds += t->seconds;
    printf("%d %ld\n", made, seconds);
    for (int i = 0; i < PLAYLISTS; i++) {
        struct playlist *p = lists[i];
        if (i % 2 == 0) {
            for (struct track *t = p->tail, *prev; t; t = prev) {
                prev = t->prev;
                track_free(t);
            }
        } else {
            for (struct track *t = p->head, *next; t; t = next) {
                next = t->next;
                track_free(t);
            }
        }
        free(p->name);
        free(p);
    }
    return 0;
}
