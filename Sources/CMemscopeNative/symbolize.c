#include "memscope_native.h"

#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>

struct ms_symbolizer {
    Dwfl *dwfl;
};

static char *debuginfo_path = NULL;

static const Dwfl_Callbacks callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = &debuginfo_path,
};

ms_symbolizer *ms_symbolizer_create(void) {
    ms_symbolizer *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->dwfl = dwfl_begin(&callbacks);
    if (!s->dwfl) { free(s); return NULL; }
    dwfl_report_begin(s->dwfl);
    return s;
}

int ms_symbolizer_add_module(ms_symbolizer *s, const char *path, uint64_t bias) {
    /* add_p_vaddr: the module starts at bias + its first PT_LOAD address. */
    Dwfl_Module *m = dwfl_report_elf(s->dwfl, path, path, -1, (GElf_Addr)bias, true);
    return m ? 0 : -1;
}

void ms_symbolizer_end_modules(ms_symbolizer *s) {
    dwfl_report_end(s->dwfl, NULL, NULL);
}

void ms_symbolizer_lookup(ms_symbolizer *s, uint64_t address, ms_symbol *out) {
    memset(out, 0, sizeof *out);
    Dwfl_Module *m = dwfl_addrmodule(s->dwfl, (Dwarf_Addr)address);
    if (!m) return;
    out->module = dwfl_module_info(m, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    GElf_Off offset;
    GElf_Sym sym;
    out->function = dwfl_module_addrinfo(m, (GElf_Addr)address, &offset, &sym, NULL, NULL, NULL);
    Dwfl_Line *line = dwfl_module_getsrc(m, (Dwarf_Addr)address);
    if (line) {
        int lineno = 0;
        out->file = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);
        out->line = lineno > 0 ? (uint32_t)lineno : 0;
    }
}

void ms_symbolizer_destroy(ms_symbolizer *s) {
    if (!s) return;
    dwfl_end(s->dwfl);
    free(s);
}
