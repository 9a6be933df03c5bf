/* Forks 50 children; child i allocates i + 1 blocks of 32 bytes and returns i + 1
 * from main (so libc's own path calls exit, not the program). The parent waits for
 * every child itself (memscope cannot reap them) and returns 0 when each ended with
 * its status. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILDREN 50

int main(void) {
    pid_t pids[CHILDREN];
    for (int i = 0; i < CHILDREN; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            for (int j = 0; j <= i; j++) malloc(32);
            return i + 1;
        }
    }
    int wrong = 0;
    for (int i = 0; i < CHILDREN; i++) {
        int status = 0;
        waitpid(pids[i], &status, 0);
        wrong += !(WIFEXITED(status) && WEXITSTATUS(status) == i + 1);
    }
    return wrong;
}
