/* The hints are inline functions in include/memscope_prefetch.h; SwiftPM needs one
 * source file per C target, and this is it. */
#include "memscope_prefetch.h"
