/* An intrusive doubly linked list, as the Linux kernel writes them: the link (next, prev)
 * is embedded in the item after a header, so the list's pointers point inside items, at
 * their links, not at their starts. A list struct (heap) holds the sentinel link. Each item
 * owns a payload. Items are removed from the middle while the program runs (payload, then
 * item), and the rest freed from the head at the end. A scan runs while the list lives. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include "scan.h"

struct link {
    struct link *next, *prev;
};

struct item {
    long id;
    struct link link;
    char *payload;
};

struct list {
    long count;
    struct link head;
};

#define ITEM_OF(l) ((struct item *)((char *)(l) - offsetof(struct item, link)))

__attribute__((noinline)) static struct list *list_new(void) {
    struct list *l = malloc(sizeof *l); // site: list
    l->count = 0;
    l->head.next = l->head.prev = &l->head;
    return l;
}

__attribute__((noinline)) static void push(struct list *l, long id) {
    struct item *it = malloc(sizeof *it); // site: item
    it->id = id;
    it->payload = malloc(32 + id % 16); // site: payload
    snprintf(it->payload, 32, "payload-%ld", id);
    it->link.prev = l->head.prev;
    it->link.next = &l->head;
    l->head.prev->next = &it->link;
    l->head.prev = &it->link;
    l->count++;
}

__attribute__((noinline)) static void unlink_free(struct list *l, struct item *it) {
    it->link.prev->next = it->link.next;
    it->link.next->prev = it->link.prev;
    l->count--;
    free(it->payload);
    free(it);
}

int main(void) {
    struct list *l = list_new();
    for (long i = 0; i < 600; i++) push(l, i);
    scan_now();
    long removed = 0;
    for (struct link *k = l->head.next, *next; k != &l->head; k = next) {
        next = k->next;
        if (ITEM_OF(k)->id % 3 == 0) {
            unlink_free(l, ITEM_OF(k));
            removed++;
        }
    }
    for (struct link *k = l->head.next, *next; k != &l->head; k = next) {
        next = k->next;
        free(ITEM_OF(k)->payload);
        free(ITEM_OF(k));
    }
    free(l);
    printf("%ld\n", removed);
    return 0;
}
