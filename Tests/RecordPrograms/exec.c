/* Allocates 3 blocks of 40 bytes, then executes itself with "again", which
 * allocates 2 blocks of 80 bytes and exits 5: one process, one dump. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "again") == 0) {
        malloc(80);
        malloc(80);
        return 5;
    }
    for (int i = 0; i < 3; i++) malloc(40);
    execl("/proc/self/exe", argv[0], "again", (char *)NULL);
    return 1;
}
