/* Threaded: three worker threads each build a private singly linked list of log lines
 * (appended at the tail; a line owns its text) and leave its head and tail in their
 * argument struct on main's stack. After joining them, main splices the three lists
 * into one list held by a boxed log record (worker order), prints it and frees every
 * line and text. Lines and texts go from the workers to main. No scan. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NW 3
#define PER 25

struct line { struct line *next; int worker; int seq; char *text; };
struct worker { int id; struct line *head, *tail; };
struct log { struct line *head, *tail; int count; };

static void *work(void *arg) {
    struct worker *w = arg;
    w->head = w->tail = NULL;
    for (int k = 0; k < PER; k++) {
        struct line *l = malloc(sizeof *l); // site: line
        l->next = NULL;
        l->worker = w->id;
        l->seq = k;
        char buf[80];
        snprintf(buf, sizeof buf, "[w%d] step %02d checksum %05d", w->id, k, (w->id * 7919 + k * 104729) % 65536);
        l->text = strdup(buf); // site: line_text
        if (w->tail) w->tail->next = l; else w->head = l;
        w->tail = l;
    }
    return NULL;
}

int main(void) {
    pthread_t th[NW];
    struct worker ws[NW];
    for (int i = 0; i < NW; i++) {
        ws[i].id = i;
        pthread_create(&th[i], NULL, work, &ws[i]);
    }
    for (int i = 0; i < NW; i++) pthread_join(th[i], NULL);
    struct log *log = malloc(sizeof *log); // site: log
    log->head = log->tail = NULL;
    log->count = 0;
    for (int i = 0; i < NW; i++) {
        if (!ws[i].head) continue;
        if (log->tail) log->tail->next = ws[i].head; else log->head = ws[i].head;
        log->tail = ws[i].tail;
        ws[i].head = ws[i].tail = NULL;
    }
    size_t chars = 0;
    for (struct line *l = log->head; l; l = l->next) {
        log->count++;
        chars += strlen(l->text);
        if (l->seq == 0 || l->seq == PER - 1) printf("%s\n", l->text);
    }
    printf("lines %d chars %zu\n", log->count, chars);
    while (log->head) {
        struct line *l = log->head;
        log->head = l->next;
        free(l->text); // site: line_text_freed
        free(l); // site: line_freed
    }
    free(log);
    return 0;
}
