/* One thread, the same heap calls in every run: an index of records, emptied (its slots
 * nulled) before the records are freed, so that only a scan while the program runs sees the
 * index hold them. ScanDeterminismTests records it twice with ASLR off and expects the same
 * scans at the same points.
 *
 *   scan-determinism ROUNDS [pause]
 *
 * With "pause", every heap call is 150 µs after the last one: the ownership analysis groups
 * allocations into bursts and frees into cascades by time (100 µs apart at most), and a run
 * preempted in the middle of a burst would group them otherwise; with every gap longer than
 * that, no burst or cascade depends on the machine's load. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct record {
    struct record *next;
    char *name;
    int id;
};

static int pausing;

static void pause_between_calls(void) {
    if (!pausing) return;
    struct timespec t = {0, 150000};
    nanosleep(&t, NULL);
}

/* Macros, so that each call keeps its own allocation site. */
#define ALLOCATE(size) (pause_between_calls(), malloc(size))
#define RELEASE(p) (pause_between_calls(), free(p))

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 40;
    pausing = argc > 2 && strcmp(argv[2], "pause") == 0;
    enum { SLOTS = 48 };
    struct record **index = ALLOCATE(SLOTS * sizeof *index);
    memset(index, 0, SLOTS * sizeof *index);
    long checksum = 0;
    for (int round = 0; round < rounds; round++) {
        struct record *list = NULL;
        for (int i = 0; i < SLOTS; i++) {
            struct record *r = ALLOCATE(sizeof *r);
            r->name = ALLOCATE(24);
            snprintf(r->name, 24, "record %d.%d", round, i);
            r->id = round * SLOTS + i;
            r->next = list;
            list = r;
            index[i] = r;
        }
        for (int i = 0; i < SLOTS; i++) {
            checksum += index[i]->id + (long)strlen(index[i]->name);
            index[i] = NULL;
        }
        while (list) {
            struct record *next = list->next;
            RELEASE(list->name);
            RELEASE(list);
            list = next;
        }
    }
    RELEASE(index);
    printf("%ld\n", checksum);
    return 0;
}
