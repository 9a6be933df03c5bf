/* 1,000,000 allocations of 16…79 bytes, each freed after the next one is made;
 * the last one leaks. Sizes sum to 47,500,000 - (argc-1 adjustments: none). */
#include <stdlib.h>

int main(void) {
    void *previous = NULL;
    for (int i = 0; i < 1000000; i++) {
        void *p = malloc(16 + (size_t)(i % 64));
        free(previous);
        previous = p;
    }
    return 0;
}
