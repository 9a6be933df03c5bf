/* A cache hint Swift has no spelling for. Streaming readers know which table entries the
 * next events will touch (a heaptrack allocation info) a few
 * events before they touch them; asking for those cache lines early lets the loads
 * overlap instead of stalling one after another. A hint only: it never faults and
 * changes no result. */
#ifndef MEMSCOPE_PREFETCH_H
#define MEMSCOPE_PREFETCH_H

static inline void ms_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
static inline void ms_prefetch_for_write(const void *address) { __builtin_prefetch(address, 1, 3); }

#endif
