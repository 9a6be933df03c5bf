/* A cache hint Swift has no spelling for. The heaptrack reader knows which allocation
 * info the next event lines will update a few lines before it replays them; asking for
 * those cache lines early lets the loads overlap instead of stalling one after another.
 * A hint only: it never faults and changes no result. */
#ifndef MEMSCOPE_PREFETCH_H
#define MEMSCOPE_PREFETCH_H

static inline void ms_prefetch_for_write(const void *address) { __builtin_prefetch(address, 1, 3); }
static inline void ms_prefetch_for_read(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
