/* C helpers for `memscope record`: symbolization with elfutils' libdwfl,
 * demangling (libiberty for C++ and Rust, the Swift runtime for Swift), and the
 * process calls Swift cannot make directly (variadic prctl). */
#ifndef MEMSCOPE_NATIVE_H
#define MEMSCOPE_NATIVE_H

#include <stdint.h>

typedef struct ms_symbolizer ms_symbolizer;

/* The most frames one code address expands into (its inline chain plus the
 * physical function); deeper chains keep their innermost MS_MAX_INLINE - 1 frames
 * and their physical function. */
#define MS_MAX_INLINE 32

/* One frame of an address's inline chain. Strings belong to the symbolizer and
 * stay valid until it is destroyed; any of them may be NULL. */
typedef struct {
    const char *function; /* mangled (linkage) name, or the plain DWARF/ELF name */
    const char *file;     /* source file of the position in this frame */
    uint32_t line;        /* 0 = unknown */
    uint32_t column;      /* 0 = unknown */
    int inlined;          /* 1: this frame's code was inlined into the next frame */
} ms_inline_frame;

/* What is known about one code address. */
typedef struct {
    const char *module;     /* module path, NULL when no module contains the address */
    const char *build_id;   /* the module's GNU build id in lower-case hex, or NULL */
    uint64_t module_offset; /* the address in the module's own (file) address space:
                               what `addr2line -e MODULE` takes */
    uint32_t count;         /* frames below, innermost first; 0 when nothing is named */
    int has_debug_info;     /* 1 when DWARF covered the address */
    ms_inline_frame frames[MS_MAX_INLINE];
} ms_location;

ms_symbolizer *ms_symbolizer_create(void);
/* Reports one module: its path and load bias (the address of its vaddr 0). */
int ms_symbolizer_add_module(ms_symbolizer *s, const char *path, uint64_t bias);
void ms_symbolizer_end_modules(ms_symbolizer *s);
/* Reports one more module after ms_symbolizer_end_modules (a library loaded later,
 * seen while the program still runs). */
int ms_symbolizer_add_module_later(ms_symbolizer *s, const char *path, uint64_t bias);
/* Expands a code address into its inline chain, innermost first, exactly as
 * `eu-addr2line -i -f` names them: each inlined frame with its own function and
 * the file:line(:column) of its position, the outermost frame the physical
 * function (DWARF subprogram, else the ELF symbol from .symtab, .dynsym,
 * .gnu_debugdata, or a separate debug file found by build id, debuglink or a
 * local debuginfod cache). For a return address, pass the address minus one. */
void ms_symbolizer_locate(ms_symbolizer *s, uint64_t address, ms_location *out);
void ms_symbolizer_destroy(ms_symbolizer *s);

/* A demangled copy of `name` (free it with free()), or NULL when it is not a
 * mangled C++, Rust (legacy or v0) or Swift name. */
char *ms_demangle(const char *name);

/* Makes the calling process adopt orphaned descendants (PR_SET_CHILD_SUBREAPER). */
int ms_become_subreaper(void);

/* Fixes glibc's mmap threshold at `bytes` (it otherwise rises as large blocks are
 * freed, and freed memory then stays in the process). Returns mallopt's result. */
int ms_fix_mmap_threshold(int bytes);

/* Acquire loads of words another process stores with release semantics. */
uint64_t ms_volatile_load64(const uint64_t *p);
uint32_t ms_volatile_load32(const uint32_t *p);

#endif
