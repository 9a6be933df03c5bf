/* A small, deterministic allocation workload for recording import fixtures with
 * heaptrack, valgrind --tool=massif and valgrind --tool=dhat (see
 * scripts/record-fixtures.sh). Several sites, temporary blocks, a realloc chain,
 * a peak in the middle and a few leaks at exit. Built with -O0 -g so every frame
 * has a file and line. */
#include <stdlib.h>
#include <string.h>

struct node { struct node *next; char payload[40]; };

static struct node *make_node(struct node *next) {
    struct node *n = malloc(sizeof *n);
    n->next = next;
    memset(n->payload, 'x', sizeof n->payload);
    return n;
}

static struct node *build_list(int count) {
    struct node *head = NULL;
    for (int i = 0; i < count; i++) head = make_node(head);
    return head;
}

static void free_list(struct node *head) {
    while (head) {
        struct node *next = head->next;
        free(head);
        head = next;
    }
}

/* Freed right away: heaptrack counts these as temporary. */
static size_t scratch_work(int rounds) {
    size_t sum = 0;
    for (int i = 0; i < rounds; i++) {
        char *scratch = malloc(64 + (size_t)(i % 4) * 32);
        scratch[0] = (char)i;
        sum += (size_t)scratch[0];
        free(scratch);
    }
    return sum;
}

static char *grow_buffer(int steps) {
    size_t size = 16;
    char *buffer = malloc(size);
    for (int i = 0; i < steps; i++) {
        size *= 2;
        buffer = realloc(buffer, size);
        buffer[size - 1] = 0;
    }
    return buffer;
}

static int *leak_table(int entries) {
    int *table = calloc((size_t)entries, sizeof *table);
    table[0] = entries;
    return table;
}

int main(void) {
    size_t sum = scratch_work(200);
    struct node *list = build_list(500);
    char *big = grow_buffer(10);
    free_list(list);
    sum += scratch_work(100);
    free(big);
    int *leaked = leak_table(1000);
    struct node *kept = build_list(20);
    char *string = strdup("memscope import fixture");
    (void)leaked; (void)kept; (void)string;
    return (int)(sum & 1);
}
