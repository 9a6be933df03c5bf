/* Annotations from C: gcc -g -I include -o annotate samples/annotations/annotate.c
 * then: memscope record -o annotate.msd -- ./annotate */
#include <stdlib.h>
#include <string.h>

#include "memscope.h"

struct request {
    char method[8];
    char *path;
};

static struct request *parse(const char *line) {
    MEMSCOPE_SCOPE_ENTER("parse");
    struct request *r = calloc(1, sizeof *r);
    MEMSCOPE_ANNOTATE(r, "r", "struct request");
    memcpy(r->method, "GET", 4);
    r->path = strdup(line);
    MEMSCOPE_ANNOTATE(r->path, "r->path", "char[]");
    MEMSCOPE_SCOPE_EXIT();
    return r;
}

int main(void) {
    for (uint64_t task = 1; task <= 3; task++) {
        MEMSCOPE_TASK_ENTER(task);
        struct request *r = parse("/index.html");
        free(r->path);
        free(r);
        MEMSCOPE_TASK_EXIT();
    }
    return 0;
}
