/* memcheck's leak kinds, known in advance:
 *   still reachable   3 blocks, 96 bytes   (a list held by a global)
 *   definitely lost   2 blocks, 132 bytes  (the head of a lost 4-node list, and a plain block)
 *   indirectly lost   3 blocks, 96 bytes   (the rest of the lost list) */
#include <stdlib.h>

struct node {
    struct node *next;
    char payload[24];
};

static struct node *global_list;

__attribute__((noinline)) static struct node *push(struct node *list) {
    struct node *n = malloc(sizeof *n);
    n->next = list;
    return n;
}

__attribute__((noinline)) static void lose_a_list(void) {
    struct node *lost = NULL;
    for (int i = 0; i < 4; i++) lost = push(lost);
}

__attribute__((noinline)) static void lose_a_block(void) {
    volatile char *block = malloc(100);
    block[0] = 1;
}

int main(void) {
    for (int i = 0; i < 3; i++) global_list = push(global_list);
    lose_a_list();
    lose_a_block();
    return 0;
}
