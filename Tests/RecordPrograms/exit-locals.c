/* Blocks held only by main's locals when the program leaves through exit(): main's
 * frame is live, so memcheck calls them still reachable (2 blocks, 48 + 80 bytes);
 * the 64-byte block lost before is definitely lost. */
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void *block(size_t size) {
    void *p = malloc(size);
    memset(p, 0, size);
    return p;
}

__attribute__((noinline)) static void lose(void) {
    volatile char *p = block(64);
    p[0] = 1;
}

__attribute__((noinline)) static void leave(int code) { exit(code); }

int main(int argc, char **argv) {
    (void)argv;
    char *volatile held = block(48);
    char *volatile also = block(80);
    lose();
    if (argc > 0) leave(0);
    return held[0] + also[0];
}
