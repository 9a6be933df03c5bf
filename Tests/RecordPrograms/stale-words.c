/* A block made where an earlier block held pointers, never written, then freed: its words
 * must not name the earlier block's targets (memscope clears new blocks' words). Also a
 * block grown by realloc: its new bytes must not keep what malloc left there, and its old
 * bytes (a pointer the program wrote) must stay. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    void **target = malloc(64);
    void **holder = malloc(256);
    for (int i = 0; i < 32; i++) holder[i] = target;  /* 32 words naming target */
    free(holder);
    void **reused = malloc(256);                       /* where holder was: never written */
    uintptr_t same = (uintptr_t)reused;
    free(reused);
    void **grown = malloc(16);
    grown[0] = target;                                 /* one word the program wrote */
    grown = realloc(grown, 200);                       /* the rest: whatever malloc left */
    free(grown);
    free(target);
    printf("%d\n", same != 0);
    return 0;
}
