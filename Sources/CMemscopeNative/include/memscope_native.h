/* C helpers for `memscope record`: symbolization with elfutils' libdwfl,
 * demangling (libiberty for C++ and Rust, the Swift runtime for Swift), and the
 * process calls Swift cannot make directly (variadic prctl). */
#ifndef MEMSCOPE_NATIVE_H
#define MEMSCOPE_NATIVE_H

#include <stdint.h>

typedef struct ms_symbolizer ms_symbolizer;

/* What is known about one address. Strings belong to the symbolizer and stay
 * valid until it is destroyed; any of them may be NULL. */
typedef struct {
    const char *function; /* mangled symbol name */
    const char *file;
    uint32_t line;
    const char *module;
} ms_symbol;

ms_symbolizer *ms_symbolizer_create(void);
/* Reports one module: its path and load bias (the address of its vaddr 0). */
int ms_symbolizer_add_module(ms_symbolizer *s, const char *path, uint64_t bias);
void ms_symbolizer_end_modules(ms_symbolizer *s);
/* Looks up a code address (for a return address, pass the address minus one). */
void ms_symbolizer_lookup(ms_symbolizer *s, uint64_t address, ms_symbol *out);
void ms_symbolizer_destroy(ms_symbolizer *s);

/* A demangled copy of `name` (free it with free()), or NULL when it is not a
 * mangled C++, Rust (legacy or v0) or Swift name. */
char *ms_demangle(const char *name);

/* Makes the calling process adopt orphaned descendants (PR_SET_CHILD_SUBREAPER). */
int ms_become_subreaper(void);

/* Fixes glibc's mmap threshold at `bytes` (it otherwise rises as large blocks are
 * freed, and freed memory then stays in the process). Returns mallopt's result. */
int ms_fix_mmap_threshold(int bytes);

#endif
