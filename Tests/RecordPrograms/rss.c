/* Grows its resident set: 20 rounds, 5 ms apart, each allocating 1 MiB it writes to
 * (resident) and 1 MiB it never touches (heap, but not resident). At the end the live
 * heap is 40 MiB and the RSS about 20 MiB more than at the start. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(void) {
    for (int i = 0; i < 20; i++) {
        char *touched = malloc(1 << 20);
        memset(touched, 1, 1 << 20);
        char *untouched = malloc(1 << 20);
        (void)untouched;
        struct timespec pause = {0, 5000000};
        nanosleep(&pause, NULL);
    }
    return 0;
}
