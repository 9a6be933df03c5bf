/* A module's DWARF, indexed for address lookups.
 *
 * Which compile unit covers an address comes from the CU DIEs' own ranges.
 * libdwfl's dwfl_module_addrdie instead takes the last CU starting below the
 * address, so code between CUs (CRT code such as _start) landed in the
 * previous CU and dwfl_module_getsrc gave it that CU's last line.
 *
 * Which functions cover an address: per CU, on its first lookup, one walk of
 * the DIE tree records each subprogram, entry point and inlined subroutine
 * with code, its enclosing one, and the disjoint address pieces where it is the
 * innermost; a lookup is then a binary search. The DIEs under an inlined
 * subroutine (more than half of a C++ CU) are walked only when a lookup first
 * lands in it. dwarf_getscopes + dwarf_getscopes_die (what eu-addr2line -i
 * calls) re-walk the CU on every call: 6 ms per address on a large C++
 * template CU. */
#include "symbolize_internal.h"

#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

/* Addresses [lo, hi) whose innermost function DIE is node `node`. */
typedef struct {
    Dwarf_Addr lo, hi;
    int32_t node;
} scope_piece;

/* A function DIE with code: a subprogram, entry point or inlined subroutine. */
typedef struct {
    Dwarf_Die die;
    int32_t parent; /* the enclosing function DIE's node, -1 for none */
    int tag;
    bool expanded;  /* false: an inlined subroutine whose DIEs are not indexed yet */
    bool resolved;  /* name and call site read (on first use) */
    const char *name;
    const char *call_file; /* inlined subroutines: the caller's position */
    uint32_t call_line, call_column;
    scope_piece *pieces;   /* once expanded: the pieces of the DIEs under it */
    size_t npieces;
} scope_node;

/* One range of a function DIE, while a CU is indexed. */
typedef struct {
    Dwarf_Addr lo, hi;
    int32_t node;
    uint32_t depth; /* DIE tree depth: the outer of two ranges starting together comes first */
} scope_range;

typedef struct {
    Dwarf_Die die;        /* the CU DIE: ranges, line table */
    Dwarf_Die scope_die;  /* where its function DIEs are: the CU DIE, or a skeleton's split unit */
    bool indexed;
    scope_node *nodes;
    size_t nnodes, node_capacity;
    scope_piece *pieces;  /* sorted, disjoint; unexpanded inlined subroutines are refined lazily */
    size_t npieces;
    Dwarf_Files *files;   /* the file table DW_AT_call_file indexes, or NULL */
    const char *comp_dir;
} cu_entry;

typedef struct {
    Dwarf_Addr lo, hi;
    size_t cu;
} cu_range;

struct ms_dwarf_index {
    cu_entry *cus;
    size_t ncus;
    cu_range *ranges;     /* sorted by lo */
    Dwarf_Addr *max_hi;   /* max_hi[i]: the highest hi among ranges[0...i] */
    size_t nranges;
};

/* `items` (holding *capacity elements of `size` bytes) grown to twice the
 * capacity, or NULL (and `items` untouched) when memory runs out. */
static void *grown(void *items, size_t *capacity, size_t size) {
    size_t wanted = *capacity ? *capacity * 2 : 16;
    void *bigger = realloc(items, wanted * size);
    if (bigger) *capacity = wanted;
    return bigger;
}

/* Linkers leave the DWARF of discarded code (duplicate COMDAT functions, code
 * removed by --gc-sections) at address 0 or 1 (GNU ld) or at -1 or -2 (lld);
 * no real code is there in a linked executable or shared library. */
static bool is_tombstone(Dwarf_Addr lo) { return lo <= 1 || lo >= (Dwarf_Addr)-2; }

/* Calls `add(context, lo, hi)` for each non-empty, non-discarded range of `die`. */
static bool for_each_range(Dwarf_Die *die, bool (*add)(void *, Dwarf_Addr, Dwarf_Addr), void *context) {
    Dwarf_Addr base, lo, hi;
    ptrdiff_t offset = 0;
    while ((offset = dwarf_ranges(die, offset, &base, &lo, &hi)) > 0)
        if (lo < hi && !is_tombstone(lo) && !add(context, lo, hi)) return false;
    return true;
}

/* ---- Compile units ---- */

typedef struct {
    ms_dwarf_index *index;
    size_t capacity;
} cu_builder;

static bool add_cu_range(void *context, Dwarf_Addr lo, Dwarf_Addr hi) {
    cu_builder *b = context;
    ms_dwarf_index *x = b->index;
    if (x->nranges == b->capacity) {
        cu_range *ranges = grown(x->ranges, &b->capacity, sizeof *ranges);
        if (!ranges) return false;
        x->ranges = ranges;
    }
    x->ranges[x->nranges++] = (cu_range){lo, hi, x->ncus};
    return true;
}

static int compare_cu_ranges(const void *a, const void *b) {
    const cu_range *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

ms_dwarf_index *ms_dwarf_index_create(Dwarf *dwarf) {
    ms_dwarf_index *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    cu_builder builder = {x, 0};
    size_t cu_capacity = 0;
    Dwarf_CU *unit = NULL;
    Dwarf_Die cu_die, split_die;
    uint8_t unit_type;
    while (dwarf_get_units(dwarf, unit, &unit, NULL, &unit_type, &cu_die, &split_die) == 0) {
        /* Type units hold no code; a skeleton's functions are in its split unit. */
        if (unit_type != DW_UT_compile && unit_type != DW_UT_partial && unit_type != DW_UT_skeleton) continue;
        if (unit_type == DW_UT_skeleton && split_die.addr == NULL) continue;
        if (x->ncus == cu_capacity) {
            cu_entry *cus = grown(x->cus, &cu_capacity, sizeof *cus);
            if (!cus) break;
            x->cus = cus;
        }
        x->cus[x->ncus] = (cu_entry){.die = cu_die, .scope_die = unit_type == DW_UT_skeleton ? split_die : cu_die};
        size_t before = x->nranges;
        if (!for_each_range(&cu_die, add_cu_range, &builder)) {
            x->nranges = before; /* out of memory: index the CUs so far */
            break;
        }
        if (x->nranges > before) x->ncus++;
    }
    qsort(x->ranges, x->nranges, sizeof *x->ranges, compare_cu_ranges);
    x->max_hi = malloc((x->nranges ? x->nranges : 1) * sizeof *x->max_hi);
    if (!x->max_hi) {
        ms_dwarf_index_destroy(x);
        return NULL;
    }
    for (size_t i = 0; i < x->nranges; i++) {
        Dwarf_Addr hi = x->ranges[i].hi;
        x->max_hi[i] = i > 0 && x->max_hi[i - 1] > hi ? x->max_hi[i - 1] : hi;
    }
    return x;
}

/* The CU whose ranges cover pc (the one starting closest below it if several do). */
static cu_entry *find_cu(ms_dwarf_index *x, Dwarf_Addr pc) {
    size_t low = 0, high = x->nranges;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (x->ranges[mid].lo <= pc) low = mid + 1; else high = mid;
    }
    for (size_t i = low; i > 0 && x->max_hi[i - 1] > pc; i--)
        if (x->ranges[i - 1].hi > pc) return &x->cus[x->ranges[i - 1].cu];
    return NULL;
}

/* ---- Function DIEs of one CU ---- */

typedef struct {
    cu_entry *cu;
    scope_range *ranges;
    size_t nranges, capacity;
    uint32_t depth;
    bool expand_inlines; /* false: record inlined subroutines, leave their DIEs for later */
    bool failed;
} scope_builder;

static bool add_scope_range(void *context, Dwarf_Addr lo, Dwarf_Addr hi) {
    scope_builder *b = context;
    if (b->nranges == b->capacity) {
        scope_range *ranges = grown(b->ranges, &b->capacity, sizeof *ranges);
        if (!ranges) return false;
        b->ranges = ranges;
    }
    b->ranges[b->nranges++] = (scope_range){lo, hi, (int32_t)b->cu->nnodes, b->depth};
    return true;
}

static bool is_function(int tag) {
    return tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine || tag == DW_TAG_entry_point;
}

/* DIEs whose children may have code: the tags libdw's scope walk descends into. */
static bool may_hold_code(int tag) {
    switch (tag) {
    case DW_TAG_module: case DW_TAG_lexical_block: case DW_TAG_with_stmt: case DW_TAG_catch_block:
    case DW_TAG_try_block: case DW_TAG_namespace: case DW_TAG_class_type: case DW_TAG_structure_type:
        return true;
    default:
        return false;
    }
}

/* Records the function DIEs under `parent_die`, whose nearest enclosing
 * function DIE is node `parent`. */
static void walk(scope_builder *b, Dwarf_Die *parent_die, int32_t parent) {
    Dwarf_Die child;
    if (dwarf_child(parent_die, &child) != 0) return;
    b->depth++;
    do {
        int tag = dwarf_tag(&child);
        int32_t node = parent;
        /* Abstract instances of inlined functions are walked too: a lambda's
         * code is a subprogram in its closure type, declared in its enclosing
         * function's abstract instance. (libdw's scope walk skips them, and
         * eu-addr2line then names the lambda's inlined callees by the lambda's
         * ELF symbol.) Declarations (class members) hold only parameters. */
        bool descend = may_hold_code(tag) || (is_function(tag) && !dwarf_hasattr(&child, DW_AT_declaration));
        if (is_function(tag)) {
            cu_entry *cu = b->cu;
            size_t before = b->nranges;
            if (!for_each_range(&child, add_scope_range, b)) b->failed = true;
            if (b->nranges > before && !b->failed && cu->nnodes == cu->node_capacity) {
                scope_node *nodes = grown(cu->nodes, &cu->node_capacity, sizeof *nodes);
                if (nodes) cu->nodes = nodes;
                else b->failed = true;
            }
            if (b->failed) {
                b->nranges = before;
            } else if (b->nranges > before) {
                node = (int32_t)cu->nnodes;
                bool later = tag == DW_TAG_inlined_subroutine && !b->expand_inlines;
                cu->nodes[cu->nnodes++] = (scope_node){.die = child, .parent = parent, .tag = tag, .expanded = !later};
            }
            /* Types (and so nested functions) live in abstract instances, not
             * under inlined subroutines. */
            if (tag == DW_TAG_inlined_subroutine && !b->expand_inlines) descend = false;
        }
        if (descend && !b->failed && dwarf_haschildren(&child)) walk(b, &child, node);
    } while (!b->failed && dwarf_siblingof(&child, &child) == 0);
    b->depth--;
}

static int compare_scope_ranges(const void *a, const void *b) {
    const scope_range *x = a, *y = b;
    if (x->lo != y->lo) return x->lo < y->lo ? -1 : 1;
    if (x->depth != y->depth) return x->depth < y->depth ? -1 : 1;
    if (x->hi != y->hi) return x->hi > y->hi ? -1 : 1;
    /* Aliases (sibling DIEs with the same range, as in glibc's assembly): the
     * first DIE goes last onto the stack and wins, as in libdw's scope walk. */
    return x->node > y->node ? -1 : x->node < y->node;
}

static void add_piece(scope_piece *pieces, size_t *count, Dwarf_Addr lo, Dwarf_Addr hi, int32_t node) {
    if (lo >= hi) return;
    scope_piece *last = *count ? &pieces[*count - 1] : NULL;
    if (last && last->node == node && last->hi == lo) last->hi = hi;
    else pieces[(*count)++] = (scope_piece){lo, hi, node};
}

/* Cuts the (nested) ranges into disjoint pieces, each owned by the innermost
 * range covering it: a sweep in start order with a stack of open ranges.
 * Returns the pieces (malloc'd), or NULL when there are none or memory runs out. */
static scope_piece *build_pieces(scope_range *ranges, size_t n, size_t *count) {
    *count = 0;
    if (n == 0) return NULL;
    qsort(ranges, n, sizeof *ranges, compare_scope_ranges);
    /* Each range opens at most one piece and resumes its parent once. */
    scope_piece *pieces = malloc(2 * n * sizeof *pieces);
    scope_range **open = malloc(n * sizeof *open);
    if (!pieces || !open) {
        free(pieces);
        free(open);
        return NULL;
    }
    size_t depth = 0;
    Dwarf_Addr at = 0;
    for (size_t i = 0; i <= n; i++) {
        /* Close the ranges that end before this one starts (all of them at the end). */
        while (depth > 0 && (i == n || open[depth - 1]->hi <= ranges[i].lo)) {
            scope_range *top = open[--depth];
            add_piece(pieces, count, at, top->hi, top->node);
            if (top->hi > at) at = top->hi;
        }
        if (i == n) break;
        if (depth > 0) add_piece(pieces, count, at, ranges[i].lo, open[depth - 1]->node);
        at = ranges[i].lo;
        open[depth++] = &ranges[i];
    }
    free(open);
    return pieces;
}

/* Indexes the function DIEs under `die` (the CU's, or an inlined subroutine's
 * whose node is `parent`) into pieces. */
static scope_piece *index_scopes(cu_entry *cu, Dwarf_Die *die, int32_t parent, bool expand_inlines, size_t *count) {
    scope_builder b = {.cu = cu, .expand_inlines = expand_inlines};
    walk(&b, die, parent);
    scope_piece *pieces = b.failed ? NULL : build_pieces(b.ranges, b.nranges, count);
    if (!pieces) *count = 0;
    free(b.ranges);
    return pieces;
}

static void index_cu(cu_entry *cu) {
    cu->indexed = true;
    cu->pieces = index_scopes(cu, &cu->scope_die, -1, false, &cu->npieces);
    size_t nfiles;
    if (dwarf_getsrcfiles(&cu->scope_die, &cu->files, &nfiles) != 0) cu->files = NULL;
    Dwarf_Attribute attr;
    cu->comp_dir = dwarf_formstring(dwarf_attr(&cu->die, DW_AT_comp_dir, &attr));
}

/* The node of the piece covering pc, or -1. */
static int32_t find_piece(const scope_piece *pieces, size_t count, Dwarf_Addr pc) {
    size_t low = 0, high = count;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (pieces[mid].lo <= pc) low = mid + 1; else high = mid;
    }
    return low > 0 && pc < pieces[low - 1].hi ? pieces[low - 1].node : -1;
}

/* The innermost function DIE's node at pc, or -1. The CU's pieces name a
 * function or an outermost inlined subroutine; the DIEs under the latter are
 * indexed on the first lookup that lands in it. */
static int32_t find_node(cu_entry *cu, Dwarf_Addr pc) {
    int32_t i = find_piece(cu->pieces, cu->npieces, pc);
    if (i < 0) return -1;
    if (!cu->nodes[i].expanded) {
        Dwarf_Die die = cu->nodes[i].die; /* walking may move the nodes */
        size_t count;
        scope_piece *pieces = index_scopes(cu, &die, i, true, &count);
        scope_node *n = &cu->nodes[i];
        n->expanded = true;
        n->pieces = pieces;
        n->npieces = count;
    }
    int32_t inner = find_piece(cu->nodes[i].pieces, cu->nodes[i].npieces, pc);
    return inner >= 0 ? inner : i;
}

/* A function DIE's name as eu-addr2line prints it: the linkage (mangled) name,
 * else the plain name, both through DW_AT_abstract_origin and DW_AT_specification. */
static const char *die_name(Dwarf_Die *die) {
    Dwarf_Attribute attr;
    const char *name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr));
    if (!name) name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &attr));
    if (!name) name = dwarf_diename(die);
    return name;
}

static uint32_t die_number(Dwarf_Die *die, unsigned name) {
    Dwarf_Attribute attr;
    Dwarf_Word value;
    return dwarf_formudata(dwarf_attr(die, name, &attr), &value) == 0 ? (uint32_t)value : 0;
}

static void resolve(cu_entry *cu, scope_node *n, ms_strings *strings) {
    if (n->resolved) return;
    n->resolved = true;
    n->name = die_name(&n->die);
    if (n->tag != DW_TAG_inlined_subroutine) return;
    Dwarf_Attribute attr;
    Dwarf_Word file;
    if (cu->files && dwarf_formudata(dwarf_attr(&n->die, DW_AT_call_file, &attr), &file) == 0)
        n->call_file = ms_strings_path(strings, cu->comp_dir, dwarf_filesrc(cu->files, file, NULL, NULL));
    n->call_line = die_number(&n->die, DW_AT_call_line);
    n->call_column = die_number(&n->die, DW_AT_call_column);
}

bool ms_dwarf_locate(ms_dwarf_index *x, Dwarf_Addr pc, ms_strings *strings, ms_location *out) {
    out->count = 0;
    cu_entry *cu = find_cu(x, pc);
    if (!cu) return false;
    if (!cu->indexed) index_cu(cu);

    /* The innermost position comes from the line table. */
    ms_inline_frame *first = &out->frames[0];
    *first = (ms_inline_frame){0};
    Dwarf_Line *line = dwarf_getsrc_die(&cu->die, pc);
    if (line) {
        int number = 0, column = 0;
        first->file = ms_strings_path(strings, cu->comp_dir, dwarf_linesrc(line, NULL, NULL));
        dwarf_lineno(line, &number);
        dwarf_linecol(line, &column);
        first->line = number > 0 ? (uint32_t)number : 0;
        first->column = column > 0 ? (uint32_t)column : 0;
    }
    out->count = 1;

    /* Each inlined subroutine names its frame and, by its call site, gives the
     * next-outer frame's position; the chain ends at the subprogram. Chains
     * longer than MS_MAX_INLINE keep their innermost frames and the outermost. */
    int32_t i = find_node(cu, pc);
    scope_node *n = i >= 0 ? &cu->nodes[i] : NULL;
    while (n) {
        resolve(cu, n, strings);
        bool inlined = n->tag == DW_TAG_inlined_subroutine && n->parent >= 0;
        scope_node *outer = inlined ? &cu->nodes[n->parent] : NULL;
        ms_inline_frame *frame = &out->frames[out->count - 1];
        frame->function = n->name;
        frame->inlined = inlined;
        if (!outer) break;
        if (out->count < MS_MAX_INLINE) out->count++;
        ms_inline_frame *next = &out->frames[out->count - 1];
        *next = (ms_inline_frame){.file = n->call_file, .line = n->call_line, .column = n->call_column};
        n = outer;
    }
    return true;
}

void ms_dwarf_index_destroy(ms_dwarf_index *x) {
    if (!x) return;
    for (size_t i = 0; i < x->ncus; i++) {
        cu_entry *cu = &x->cus[i];
        for (size_t j = 0; j < cu->nnodes; j++) free(cu->nodes[j].pieces);
        free(cu->nodes);
        free(cu->pieces);
    }
    free(x->cus);
    free(x->ranges);
    free(x->max_hi);
    free(x);
}
