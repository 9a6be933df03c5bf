/* Recurses 5000 calls deep and allocates 24 bytes at the bottom of each of 10
 * descents (freed), so stacks deeper than the recorder's 256-frame limit. */
#include <stdlib.h>

__attribute__((noinline)) static int descend(int depth) {
    if (depth == 0) {
        void *p = malloc(24);
        free(p);
        return 1;
    }
    return descend(depth - 1) + 1;
}

int main(void) {
    int total = 0;
    for (int i = 0; i < 10; i++) total += descend(5000);
    return total == 10 * 5001 ? 0 : 1;
}
