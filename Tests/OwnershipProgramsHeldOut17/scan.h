/* Shared by the ownership ground-truth programs: a reference scan on demand. SIGUSR2
 * asks memscope's recorder for a scan, which runs in the next allocator call. Without
 * memscope the signal is ignored.
 *
 * Every allocation (and every free that ends a hand-off) of interest carries a
 * `site: NAME` comment on its line; NAME.truth files name edges between those sites. */
#ifndef OWNERSHIP_SCAN_H
#define OWNERSHIP_SCAN_H
#include <signal.h>
#include <stdlib.h>

static void scan_now(void) {
    struct sigaction current;
    if (sigaction(SIGUSR2, NULL, &current) == 0 && current.sa_handler == SIG_DFL) signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    free(malloc(1));
}
#endif
