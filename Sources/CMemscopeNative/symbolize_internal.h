/* Pieces of the symbolizer (symbolize.c) that live in their own files: the
 * string table, the ELF symbol index (symtab.c) and the DWARF index
 * (dwarf_index.c). None of them locks: one ms_symbolizer, and everything it
 * owns, is used by one thread at a time. */
#ifndef MEMSCOPE_SYMBOLIZE_INTERNAL_H
#define MEMSCOPE_SYMBOLIZE_INTERNAL_H

#include "memscope_native.h"

#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <stddef.h>

/* Strings the symbolizer makes (build ids, joined paths, names without their
 * symbol version), each stored once and kept until the symbolizer is
 * destroyed. Strings that libelf or libdw hand out are returned as they are:
 * they live as long as the Dwfl. */
typedef struct ms_strings ms_strings;

/* The stored copy of text[0..<length]; NULL only when memory runs out. */
const char *ms_strings_intern(ms_strings *strings, const char *text, size_t length);
/* `file` when it is absolute or `dir` is NULL or empty, else the stored "dir/file"
 * (what eu-addr2line prints by default: the CU's directory before a relative name). */
const char *ms_strings_path(ms_strings *strings, const char *dir, const char *file);

/* `bytes` in lower-case hex into `hex` (2 * length + 1 bytes). */
void ms_to_hex(const unsigned char *bytes, size_t length, char *hex);

/* Whether `elf` carries build id `bits` (`length` bytes) in its note. */
bool ms_elf_has_build_id(Elf *elf, const unsigned char *bits, int length);

/* The disk cache of debug files with their compressed sections inflated
 * (debuginfo_cache.c): an open copy for `mod`, its path in `*file_name`, or -1 when the
 * cache has none (or is off); and, given the debug file libdwfl found for `mod` open at
 * `fd`, a copy made of it when its sections are compressed and the cache has none. */
int ms_cached_debuginfo(Dwfl_Module *mod, char **file_name);
void ms_cache_debuginfo(Dwfl_Module *mod, int fd);

/* The debug file `debuglink` names for the module file `file_name`, searched where
 * libdwfl's standard search looks (the module's directory, its .debug/, /usr/lib/debug
 * + its directory; an absolute name as it is) and accepted when it has build id `bits`
 * (`length` > 0) or else CRC-32 `crc` (debuglink.c); its path in `*found`, or -1. */
int ms_find_by_debuglink(const char *file_name, const char *debuglink, GElf_Word crc,
                         const unsigned char *bits, int length, char **found);

/* A module's ELF symbols, sorted once, for the lookups dwfl_module_addrinfo
 * would do by a linear scan of the whole table (0.6 ms per call on cc1). */
typedef struct ms_symtab ms_symtab;

ms_symtab *ms_symtab_create(Dwfl_Module *module, ms_strings *strings);
/* The name dwfl_module_addrinfo gives `address` (a Dwfl address), without its
 * `@VERSION` suffix; NULL when no symbol covers it. */
const char *ms_symtab_find(const ms_symtab *symtab, GElf_Addr address);
void ms_symtab_destroy(ms_symtab *symtab);

/* A module's DWARF, indexed for address lookups: which compile unit covers an
 * address, and per unit (built on its first lookup) which function and inline
 * DIEs do. */
typedef struct ms_dwarf_index ms_dwarf_index;

ms_dwarf_index *ms_dwarf_index_create(Dwarf *dwarf);
/* Fills out->frames and out->count with the inline chain at `pc` (a DWARF
 * address: the Dwfl address minus the module's DWARF bias). Returns false when
 * no compile unit covers pc. When one does but no function DIE covers pc, gives
 * one frame with the line table's position and no function. */
bool ms_dwarf_locate(ms_dwarf_index *index, Dwarf_Addr pc, ms_strings *strings, ms_location *out);
void ms_dwarf_index_destroy(ms_dwarf_index *index);

#endif
