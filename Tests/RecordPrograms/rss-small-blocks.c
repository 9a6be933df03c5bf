/* 600,000 small blocks live at once (about 19 MiB of heap), freed at the end; prints the
 * process's own peak resident set (VmHWM, KiB: ru_maxrss would keep the launcher's from
 * before the exec). Under the recorder that peak holds the
 * recorder's tables too; its RSS samples leave them out (RecordRSSTests). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCKS = 600000 };

int main(void) {
    char **blocks = malloc(BLOCKS * sizeof *blocks);
    if (!blocks) return 1;
    for (int i = 0; i < BLOCKS; i++) {
        blocks[i] = malloc(16 + (i % 3) * 8);
        if (!blocks[i]) return 1;
        blocks[i][0] = (char)i;
    }
    long sum = 0;
    for (int i = 0; i < BLOCKS; i++) sum += blocks[i][0];
    for (int i = 0; i < BLOCKS; i++) free(blocks[i]);
    free(blocks);
    long peak = -1;
    char line[256];
    FILE *status = fopen("/proc/self/status", "r");
    while (status && fgets(line, sizeof line, status))
        if (strncmp(line, "VmHWM:", 6) == 0) peak = strtol(line + 6, NULL, 10);
    if (status) fclose(status);
    printf("%ld %ld\n", peak, sum & 1);
    return 0;
}
