/* Ends in the way its argument names, after 10 known allocations (by `before`):
 * double-free, segfault, sigterm, sigint, underscore-exit, assert, kill. */
#include <assert.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *blocks[10];

__attribute__((noinline)) static void before(void) {
    for (int i = 0; i < 10; i++) blocks[i] = malloc(100);
}

__attribute__((noinline)) static void first_free(void *p) { free(p); }
__attribute__((noinline)) static void second_free(void *p) { free(p); }

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    before();
    const char *how = argv[1];
    if (strcmp(how, "double-free") == 0) {
        void *p = malloc(48);
        first_free(p);
        second_free(p);
    } else if (strcmp(how, "segfault") == 0) {
        volatile int *nothing = NULL;
        *nothing = 1;
    } else if (strcmp(how, "sigterm") == 0) {
        kill(getpid(), SIGTERM);
    } else if (strcmp(how, "sigint") == 0) {
        kill(getpid(), SIGINT);
    } else if (strcmp(how, "kill") == 0) {
        kill(getpid(), SIGKILL);
    } else if (strcmp(how, "underscore-exit") == 0) {
        _exit(7);
    } else if (strcmp(how, "assert") == 0) {
        assert(how[0] == 'x');
    }
    pause();
    return 0;
}
