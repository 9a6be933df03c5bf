/* A reference scan on demand: 5 sessions held by a global list (still reachable,
 * 5 × 48 bytes), 3 blocks of 64 bytes lost in a function that has returned
 * (definitely lost), then SIGUSR2 (the next allocator call scans), then the
 * program is killed by SIGTERM, so no scan at exit replaces that one. */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

struct session {
    struct session *next;
    char data[40];
};

static struct session *sessions;

__attribute__((noinline)) static void open_sessions(void) {
    for (int i = 0; i < 5; i++) {
        struct session *s = malloc(sizeof *s);
        s->next = sessions;
        sessions = s;
    }
}

__attribute__((noinline)) static void lose_blocks(void) {
    for (int i = 0; i < 3; i++) {
        volatile char *lost = malloc(64);
        lost[0] = 1;
    }
}

int main(void) {
    open_sessions();
    lose_blocks();
    raise(SIGUSR2);
    free(malloc(1)); /* the scan runs in this call */
    kill(getpid(), SIGTERM);
    for (;;) pause();
}
