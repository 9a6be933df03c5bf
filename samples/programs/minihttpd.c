/* A tiny model of a threaded server, recorded into samples/recorded/minihttpd.msd.
 * No stdio, no randomness: every figure follows from the loops below.
 *
 * 4 named workers ("worker-0"…"worker-3") each handle 500 requests:
 *   - a request buffer of 512 bytes (malloc), freed at the end of the request;
 *   - a response grown by realloc from 64 to 64·2^4 = 1024 bytes (1 malloc + 4 reallocs);
 *     the response is handed to the main thread through a queue, which frees it;
 *   - every 10th request touches the session cache: a 96-byte session (calloc)
 *     that is never freed (the leak), held by a global list (still reachable);
 *   - every 50th request leaks a 200-byte scratch block nobody points to
 *     (definitely lost).
 * The main thread allocates the queue (2000 slots · 8 bytes = 16,000 bytes), frees it
 * at the end, and leaks nothing else.
 *
 * Totals: 12,241 allocation calls (1 + 2000·6 + 200 + 40), 12,001 frees (2000 buffers,
 * 8000 realloc releases, 2000 responses, the queue), 5,035,200 bytes
 * (16,000 + 2000·512 + 2000·1984 + 200·96 + 40·200); at exit 240 blocks of the
 * program's own: 200 sessions (19,200 bytes, still reachable) and 40 scratch blocks
 * (8,000 bytes, definitely lost). glibc adds one DTV per thread (see samples/EXPECTED.md). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define WORKERS 4
#define REQUESTS 500

struct session {
    struct session *next;
    char id[88];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct session *sessions;
static char **queue;
static int queued;

__attribute__((noinline)) static void cache_insert(int worker, int request) {
    struct session *s = calloc(1, sizeof *s);
    s->id[0] = (char)(worker * 100 + request);
    pthread_mutex_lock(&lock);
    s->next = sessions;
    sessions = s;
    pthread_mutex_unlock(&lock);
}

__attribute__((noinline)) static void scratch_leak(void) {
    volatile char *scratch = malloc(200);
    scratch[0] = 0;
}

__attribute__((noinline)) static char *build_response(int request) {
    size_t size = 64;
    char *response = malloc(size);
    for (int step = 0; step < 4; step++) {
        size *= 2;
        response = realloc(response, size);
        memset(response, 'a' + request % 26, size);
    }
    return response;
}

__attribute__((noinline)) static void handle_request(int worker, int request) {
    char *buffer = malloc(512);
    memset(buffer, 0, 512);
    __asm__ volatile("" : : "r"(buffer) : "memory"); /* the optimizer may not drop the buffer */
    char *response = build_response(request);
    if (request % 10 == 0) cache_insert(worker, request);
    if (request % 50 == 0) scratch_leak();
    pthread_mutex_lock(&lock);
    queue[queued++] = response;
    pthread_mutex_unlock(&lock);
    free(buffer);
}

static void *worker_main(void *arg) {
    int worker = (int)(long)arg;
    char name[16] = "worker-0";
    name[7] = (char)('0' + worker);
    pthread_setname_np(pthread_self(), name);
    for (int request = 0; request < REQUESTS; request++) handle_request(worker, request);
    return NULL;
}

int main(void) {
    queue = malloc(WORKERS * REQUESTS * sizeof *queue);
    pthread_t threads[WORKERS];
    for (long i = 0; i < WORKERS; i++) pthread_create(&threads[i], NULL, worker_main, (void *)i);
    for (int i = 0; i < WORKERS; i++) pthread_join(threads[i], NULL);
    for (int i = 0; i < queued; i++) free(queue[i]);
    free(queue);
    return 0;
}
