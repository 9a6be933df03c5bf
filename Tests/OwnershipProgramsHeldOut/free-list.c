/* A free list on top of malloc: connection objects are taken from a global free list when
 * one is there, else malloc'd; released ones go back on the list (their first word links
 * the next free one). Each connection owns a buffer, allocated when it is first made and
 * kept across reuse. Live connections are held by a global table. At the end the live
 * ones are released, and the free list drained head first (buffer, then connection).
 * Decoy: a log line allocated right after each new connection, in the same function,
 * kept in a global and freed after everything else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scan.h"

struct conn {
    struct conn *next_free;
    char *buffer;
    long id;
};

static struct conn *free_list;
static struct conn *live[256];
static char *logs[4096];
static int log_count;

__attribute__((noinline)) static struct conn *conn_get(long id) {
    struct conn *c = free_list;
    if (c) {
        free_list = c->next_free;
    } else {
        c = malloc(sizeof *c); // site: conn
        c->buffer = malloc(512); // site: buffer
        logs[log_count++] = malloc(40); // site: log
    }
    c->next_free = NULL;
    c->id = id;
    memset(c->buffer, (int)id, 64);
    return c;
}

__attribute__((noinline)) static void conn_put(struct conn *c) {
    c->next_free = free_list;
    free_list = c;
}

int main(void) {
    srand(5);
    long served = 0;
    for (int round = 0; round < 2000; round++) {
        int slot = rand() % 256;
        if (live[slot]) {
            conn_put(live[slot]);
            live[slot] = NULL;
        } else {
            live[slot] = conn_get(round);
            served++;
        }
        if (round == 1500) scan_now();
    }
    for (int i = 0; i < 256; i++)
        if (live[i]) conn_put(live[i]);
    while (free_list) {
        struct conn *c = free_list;
        free_list = c->next_free;
        free(c->buffer);
        free(c);
    }
    for (int i = 0; i < log_count; i++) free(logs[i]);
    printf("%ld\n", served);
    return 0;
}
