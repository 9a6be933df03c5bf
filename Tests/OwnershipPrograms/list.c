/* A singly linked list: each item owns its payload and the next item. Decoy: a time
 * stamp made in push (same function), kept in a global array and freed after the list. */
#include <stdlib.h>
#include <string.h>
#include "scan.h"

struct item {
    struct item *next;
    char *payload;
};

static struct item *head;
static void *stamps[400];
static int stamp_count;

__attribute__((noinline)) static void push(size_t size) {
    struct item *it = malloc(sizeof *it); // site: item
    it->payload = malloc(size); // site: payload
    memset(it->payload, 'p', size);
    stamps[stamp_count++] = malloc(8); // site: stamp
    it->next = head;
    head = it;
}

__attribute__((noinline)) static void list_free(void) {
    while (head) {
        struct item *next = head->next;
        free(head->payload);
        free(head);
        head = next;
    }
}

int main(void) {
    for (int i = 0; i < 400; i++) push(24 + i % 40);
    scan_now();
    list_free();
    free(malloc(64));
    for (int i = 0; i < stamp_count; i++) free(stamps[i]);
    return 0;
}
