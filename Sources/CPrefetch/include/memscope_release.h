/* Another hint Swift has no spelling for: give the C allocator's free memory back to the
 * system (malloc_trim(0) releases every arena's free pages, not only the top of the main
 * heap). Memory a thread frees stays in that thread's arena, which other threads do not
 * reuse. Changes no result. */
#ifndef MEMSCOPE_RELEASE_H
#define MEMSCOPE_RELEASE_H

#include <malloc.h>

static inline void ms_release_free_memory(void) { (void)malloc_trim(0); }

#endif
