/* Starts another program with system() (posix_spawn of /bin/sh), which exits 3:
 * recorded as its own dump, unless --no-follow-fork. */
#include <stdlib.h>

int main(void) {
    free(malloc(5));
    return system("exit 3") == 3 << 8 ? 0 : 1;
}
