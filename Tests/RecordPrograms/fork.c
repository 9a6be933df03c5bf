/* The parent allocates 5 blocks of 64 bytes and forks. The child frees 2 of the
 * inherited blocks, allocates 3 of 128 bytes (freeing 1), and exits 4. The
 * parent waits, allocates 1 block of 256 bytes and exits 0. With --follow-fork
 * the child's dump holds the 5 inherited blocks plus its own events. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void *blocks[8];

__attribute__((noinline)) static void in_child(void) {
    free(blocks[0]);
    free(blocks[1]);
    for (int i = 5; i < 8; i++) blocks[i] = malloc(128);
    free(blocks[5]);
    exit(4);
}

int main(void) {
    for (int i = 0; i < 5; i++) blocks[i] = malloc(64);
    pid_t child = fork();
    if (child == 0) in_child();
    int status = 0;
    waitpid(child, &status, 0);
    blocks[0] = malloc(256);
    return WIFEXITED(status) && WEXITSTATUS(status) == 4 ? 0 : 1;
}
