/* Issue 18's first false case. Pool buffers live in a global array; a record is allocated
 * right after each pool buffer, in the same function, and owns its name. Another function
 * allocates a record first and a pool buffer right after it. The pools are freed in one
 * loop, the records right after in a separate loop (one free cascade), so creation bursts
 * and cascades alone pair every record with a pool. No heap block ever points at a pool
 * buffer, and no reference scan runs while they live (the exit scan sees none of them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT 200

struct record {
    char *name;
    long id;
};

static char *pools[COUNT], *late_pools[COUNT];
static struct record *records[COUNT], *late_records[COUNT];

__attribute__((noinline)) static void make(int i) {
    pools[i] = malloc(4096); // site: pool
    memset(pools[i], 'p', 4096);
    records[i] = malloc(sizeof(struct record)); // site: record
    records[i]->name = malloc(24); // site: name
    snprintf(records[i]->name, 24, "record-%d", i);
    records[i]->id = i;
}

__attribute__((noinline)) static void make_late(int i) {
    late_records[i] = malloc(sizeof(struct record)); // site: late_record
    late_records[i]->name = NULL;
    late_records[i]->id = -i;
    late_pools[i] = malloc(2048); // site: late_pool
    memset(late_pools[i], 'q', 2048);
}

int main(void) {
    for (int i = 0; i < COUNT; i++) {
        make(i);
        make_late(i);
    }
    long sum = 0;
    for (int i = 0; i < COUNT; i++) sum += pools[i][i] + late_pools[i][i] + records[i]->id + late_records[i]->id;
    for (int i = 0; i < COUNT; i++) {
        free(pools[i]);
        free(late_pools[i]);
    }
    for (int i = 0; i < COUNT; i++) {
        free(records[i]->name);
        free(records[i]);
        free(late_records[i]);
    }
    printf("%ld\n", sum);
    return 0;
}
