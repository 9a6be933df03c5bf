/* A module's ELF symbol table, sorted once so that a lookup is a binary search.
 * dwfl_module_addrinfo scans every symbol on each call: 0.6 ms on cc1 (29k
 * .dynsym entries), for each of a program's many return addresses. The table
 * comes from libdwfl (dwfl_module_getsymtab), so it is the one addrinfo would
 * read: .symtab, else a separate debug file's, else .dynsym, plus MiniDebugInfo
 * (.gnu_debugdata). Lookups pick the symbol addrinfo picks (see ms_symtab_find). */
#include "symbolize_internal.h"

#include <gelf.h>
#include <stdlib.h>
#include <string.h>

/* A symbol with a size: it covers [lo, hi). */
typedef struct {
    GElf_Addr lo, hi;
    const char *name;
    uint32_t order;  /* its index in the table: earlier wins a full tie, as in libdwfl */
    uint8_t rank;    /* libdwfl's binding preference: GLOBAL 3, WEAK 2, LOCAL 1, other 0 */
} sized_symbol;

/* A symbol without a size (an assembly label): it covers what follows it in its
 * section, up to the next symbol. */
typedef struct {
    GElf_Addr lo;
    GElf_Addr section_lo, section_hi; /* its section, where the label may apply */
    const char *name;
    uint32_t order;
    bool local;
} label_symbol;

struct ms_symtab {
    sized_symbol *sized; /* sorted by lo */
    GElf_Addr *max_hi;   /* max_hi[i]: the highest hi among sized[0...i] */
    size_t nsized;
    label_symbol *labels; /* sorted by lo */
    size_t nlabels;
};

static int rank_of(unsigned binding) {
    switch (binding) {
    case STB_GLOBAL: return 3;
    case STB_WEAK: return 2;
    case STB_LOCAL: return 1;
    default: return 0;
    }
}

static int compare_sized(const void *a, const void *b) {
    const sized_symbol *x = a, *y = b;
    if (x->lo != y->lo) return x->lo < y->lo ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int compare_labels(const void *a, const void *b) {
    const label_symbol *x = a, *y = b;
    if (x->lo != y->lo) return x->lo < y->lo ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* The Dwfl address range of section `shndx` of `elf`, whose addresses are
 * shifted by `bias`. Absolute and other special symbols match only their own
 * address, as in libdwfl. */
static void section_range(Elf *elf, GElf_Word shndx, GElf_Addr value, Dwarf_Addr bias,
                          GElf_Addr *lo, GElf_Addr *hi) {
    *lo = value;
    *hi = value + 1;
    if (shndx >= SHN_LORESERVE || elf == NULL) return;
    GElf_Shdr header;
    Elf_Scn *section = elf_getscn(elf, shndx);
    if (section && gelf_getshdr(section, &header)) {
        *lo = header.sh_addr + bias;
        *hi = header.sh_addr + header.sh_size + bias;
    }
}

ms_symtab *ms_symtab_create(Dwfl_Module *module, ms_strings *strings) {
    ms_symtab *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    int count = dwfl_module_getsymtab(module);
    if (count <= 1) return t;
    t->sized = malloc((size_t)count * sizeof *t->sized);
    t->labels = malloc((size_t)count * sizeof *t->labels);
    t->max_hi = malloc((size_t)count * sizeof *t->max_hi);
    if (!t->sized || !t->labels || !t->max_hi) {
        ms_symtab_destroy(t);
        return NULL;
    }
    for (int i = 1; i < count; i++) {
        GElf_Sym sym;
        GElf_Addr value;
        GElf_Word shndx;
        Elf *elf;
        Dwarf_Addr bias;
        const char *name = dwfl_module_getsym_info(module, i, &sym, &value, &shndx, &elf, &bias);
        /* The symbols dwfl_module_addrinfo considers. */
        int type = GELF_ST_TYPE(sym.st_info);
        if (!name || !name[0] || sym.st_shndx == SHN_UNDEF || type == STT_SECTION || type == STT_FILE ||
            type == STT_TLS)
            continue;
        /* `memcpy@GLIBC_2.2.5`, `foo@@VERS`: the version is not part of the name. */
        const char *at = strchr(name, '@');
        if (at) name = ms_strings_intern(strings, name, (size_t)(at - name));
        if (!name) continue;
        if (sym.st_size > 0) {
            t->sized[t->nsized++] = (sized_symbol){value, value + sym.st_size, name, (uint32_t)i,
                                                   (uint8_t)rank_of(GELF_ST_BIND(sym.st_info))};
        } else {
            label_symbol *l = &t->labels[t->nlabels++];
            *l = (label_symbol){value, 0, 0, name, (uint32_t)i, GELF_ST_BIND(sym.st_info) == STB_LOCAL};
            section_range(elf, shndx, value, bias, &l->section_lo, &l->section_hi);
        }
    }
    qsort(t->sized, t->nsized, sizeof *t->sized, compare_sized);
    qsort(t->labels, t->nlabels, sizeof *t->labels, compare_labels);
    for (size_t i = 0; i < t->nsized; i++) {
        GElf_Addr hi = t->sized[i].hi;
        t->max_hi[i] = i > 0 && t->max_hi[i - 1] > hi ? t->max_hi[i - 1] : hi;
    }
    return t;
}

/* Whether `x` beats `y` for an address both cover: the closer start, then
 * libdwfl's tie rules (stronger binding, then the smaller symbol, then the
 * earlier one). */
static bool better(const sized_symbol *x, const sized_symbol *y) {
    if (!y) return true;
    if (x->lo != y->lo) return x->lo > y->lo;
    if (x->rank != y->rank) return x->rank > y->rank;
    if (x->hi - x->lo != y->hi - y->lo) return x->hi - x->lo < y->hi - y->lo;
    return x->order < y->order;
}

/* The same choice as dwfl_module_addrinfo: among the sized symbols covering the
 * address, the one starting closest below it, global and weak symbols first and
 * local ones only when no global one covers it; failing that, the closest label
 * below it in the same section, unless a sized symbol ends between the two.
 * (libdwfl's choice among nested symbols of different bindings depends on table
 * order in a few corner cases; this takes the closest one.) */
const char *ms_symtab_find(const ms_symtab *t, GElf_Addr address) {
    if (!t) return NULL;
    /* The last sized symbol starting at or below the address. */
    size_t low = 0, high = t->nsized;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (t->sized[mid].lo <= address) low = mid + 1; else high = mid;
    }
    const sized_symbol *global = NULL, *local = NULL;
    GElf_Addr min_label = low > 0 ? t->max_hi[low - 1] : 0;
    /* Walk down while some symbol at or below still reaches past the address;
     * symbols rarely overlap, so this is usually one step. */
    for (size_t i = low; i > 0 && t->max_hi[i - 1] > address; i--) {
        const sized_symbol *s = &t->sized[i - 1];
        if (s->hi <= address) continue;
        if (s->rank == 1) {
            if (better(s, local)) local = s;
        } else if (better(s, global)) {
            global = s;
        }
    }
    if (global) return global->name;

    /* The closest label at or below the address, in the address's section. */
    const label_symbol *label = NULL;
    low = 0, high = t->nlabels;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (t->labels[mid].lo <= address) low = mid + 1; else high = mid;
    }
    /* Only the labels at the highest such address count: a lower one would end
     * at that address (libdwfl's min_label). libdwfl reads the global symbols,
     * then the local ones unless a global label sits exactly at the address, and
     * among labels at one address keeps the last it meets. */
    size_t first = low;
    while (first > 0 && t->labels[first - 1].lo == t->labels[low - 1].lo) first--;
    bool global_label_here = false;
    for (size_t i = first; i < low; i++)
        if (t->labels[i].lo == address && !t->labels[i].local) global_label_here = true;
    if (local && !global_label_here) return local->name;
    for (size_t i = first; i < low; i++) {
        const label_symbol *l = &t->labels[i];
        if (address < l->section_lo || address >= l->section_hi || (l->local && global_label_here)) continue;
        if (!label || l->local > label->local || (l->local == label->local && l->order > label->order)) label = l;
    }
    if (label && label->lo >= min_label) return label->name;
    return NULL;
}

void ms_symtab_destroy(ms_symtab *t) {
    if (!t) return;
    free(t->sized);
    free(t->max_hi);
    free(t->labels);
    free(t);
}
