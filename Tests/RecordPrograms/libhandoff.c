/* A small shared library for cross-module.c: blocks it allocates are freed by the
 * program, and it frees blocks the program allocated. */
#include <stdlib.h>

__attribute__((noinline)) void *lib_make(size_t size) { return malloc(size); }

__attribute__((noinline)) void lib_release(void *p) { free(p); }
