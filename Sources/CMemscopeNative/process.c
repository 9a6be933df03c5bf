#include "memscope_native.h"

#include <malloc.h>
#include <sys/prctl.h>

int ms_become_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

int ms_fix_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }

/* Loads of words another process stores with release semantics (the spool's
 * chunk lengths and counters), read while it runs. */
uint64_t ms_volatile_load64(const uint64_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
uint32_t ms_volatile_load32(const uint32_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
