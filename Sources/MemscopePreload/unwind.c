/* The default unwinder: DWARF call-frame information, cached per return address.
 *
 * For each return address the recorder meets, the frame's rule is worked out once from
 * the module's .eh_frame (found through .eh_frame_hdr's sorted table; the module through
 * glibc's lock-free _dl_find_object): the CIE's and FDE's instructions are run up to the
 * call, and when the result is one of the common x86_64 forms
 *
 *     CFA = rsp + N  or  CFA = rbp + N,   return address at CFA - 8,
 *     rbp saved at CFA - 8k, or not changed by the frame,
 *
 * it is packed into one 64-bit word with (most of) the address as its tag and kept in a
 * global direct-mapped, two-way table of such words (relaxed atomic loads and stores: no
 * locks, no malloc, safe in any thread and in a signal handler). A walk is then two or
 * three loads per frame, as a frame-pointer walk is, and gives what libunwind gives.
 *
 * Anything else (a DWARF expression, a CFA in another register, a signal frame, a return
 * address elsewhere, an address no module's .eh_frame covers, a CFA that does not go up
 * the stack) sends the whole stack to libunwind's unw_backtrace. The verdict is cached too.
 * dlclose empties the table (a later module at the same addresses has other rules).
 *
 * MEMSCOPE_UNWIND: unset or "fast" this unwinder; "libunwind" unw_backtrace for every
 * stack; "fp" frame pointers; "check" both this one and libunwind, reporting on stderr
 * every stack where they differ (a development aid). */
#include "recorder.h"

#include <dlfcn.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* _dl_find_object (glibc 2.35+), weak so the library still loads on an older glibc
 * (every stack then goes to libunwind). */
extern int _dl_find_object(void *address, struct dl_find_object *result) __attribute__((weak));

/* A rule, in the low 33 bits of a table word:
 *   bits 0-1   kind: 1 CFA = rsp + off, 2 CFA = rbp + off, 3 not simple (use libunwind)
 *   bit 2      the return address is undefined: the outermost frame (_start, clone)
 *   bits 3-21  off, the CFA's offset in bytes (19 bits)
 *   bit 22     rbp is saved, at CFA - 8 * k
 *   bits 23-32 k (10 bits)
 * bit 33: the word sits in the second of its two slots; bits 34-63: address >> 17. */
enum { RULE_RSP = 1, RULE_RBP = 2, RULE_COMPLEX = 3 };
#define RULE_KIND(r) ((r) & 3u)
#define RULE_STOP(r) (((r) >> 2) & 1u)
#define RULE_OFF(r) (((r) >> 3) & 0x7FFFFu)
#define RULE_RBP_SAVED(r) (((r) >> 22) & 1u)
#define RULE_RBP_K(r) (((r) >> 23) & 0x3FFu)
#define RULE_BITS 33
#define TABLE_BITS 17
#define TABLE_SIZE (1u << TABLE_BITS)
#define TAG_SHIFT 34
#define ALT_BIT (1ull << 33)

static uint64_t *rules; /* TABLE_SIZE words, mmap'ed on first use */
static uint64_t rules_epoch; /* bumped by dlclose */

static uint64_t *rule_table(void) {
    uint64_t *t = __atomic_load_n(&rules, __ATOMIC_ACQUIRE);
    if (t) return t;
    void *p = mmap(NULL, TABLE_SIZE * sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    uint64_t *expected = NULL;
    if (!__atomic_compare_exchange_n(&rules, &expected, (uint64_t *)p, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        munmap(p, TABLE_SIZE * sizeof(uint64_t));
        return expected;
    }
    return p;
}

int ms_unwind_own_ranges(struct ms_range *out, int max) {
    uint64_t *t = __atomic_load_n(&rules, __ATOMIC_ACQUIRE);
    if (!t || max < 1) return 0;
    out[0] = (struct ms_range){(uintptr_t)t, (uintptr_t)(t + TABLE_SIZE)};
    return 1;
}

/* ---- Reading .eh_frame ---- */

enum {
    DW_EH_PE_absptr = 0x00, DW_EH_PE_uleb128 = 0x01, DW_EH_PE_udata2 = 0x02, DW_EH_PE_udata4 = 0x03,
    DW_EH_PE_udata8 = 0x04, DW_EH_PE_sleb128 = 0x09, DW_EH_PE_sdata2 = 0x0a, DW_EH_PE_sdata4 = 0x0b,
    DW_EH_PE_sdata8 = 0x0c, DW_EH_PE_pcrel = 0x10, DW_EH_PE_datarel = 0x30, DW_EH_PE_indirect = 0x80,
    DW_EH_PE_omit = 0xff,
};

struct reader {
    const uint8_t *p, *end;
    bool bad;
};

static uint64_t read_uleb(struct reader *r) {
    uint64_t v = 0;
    unsigned shift = 0;
    while (r->p < r->end) {
        uint8_t b = *r->p++;
        if (shift < 64) v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) return v;
    }
    r->bad = true;
    return 0;
}

static int64_t read_sleb(struct reader *r) {
    int64_t v = 0;
    unsigned shift = 0;
    uint8_t b = 0;
    while (r->p < r->end) {
        b = *r->p++;
        if (shift < 64) v |= (int64_t)((uint64_t)(b & 0x7f) << shift);
        shift += 7;
        if (!(b & 0x80)) {
            if (shift < 64 && (b & 0x40)) v |= -((int64_t)1 << shift);
            return v;
        }
    }
    r->bad = true;
    return 0;
}

static uint64_t read_fixed(struct reader *r, unsigned bytes) {
    if ((size_t)(r->end - r->p) < bytes) { r->bad = true; r->p = r->end; return 0; }
    uint64_t v = 0;
    memcpy(&v, r->p, bytes); /* little endian */
    r->p += bytes;
    return v;
}

/* A pointer in `encoding`; `data_base` for DW_EH_PE_datarel. Indirect pointers are read
 * through (only the personality routine's is, and it is skipped). */
static uintptr_t read_encoded(struct reader *r, uint8_t encoding, uintptr_t data_base) {
    if (encoding == DW_EH_PE_omit) return 0;
    uintptr_t at = (uintptr_t)r->p;
    uint64_t v;
    switch (encoding & 0x0f) {
    case DW_EH_PE_absptr: case DW_EH_PE_udata8: case DW_EH_PE_sdata8: v = read_fixed(r, 8); break;
    case DW_EH_PE_uleb128: v = read_uleb(r); break;
    case DW_EH_PE_udata2: v = read_fixed(r, 2); break;
    case DW_EH_PE_udata4: v = read_fixed(r, 4); break;
    case DW_EH_PE_sleb128: v = (uint64_t)read_sleb(r); break;
    case DW_EH_PE_sdata2: v = (uint64_t)(int64_t)(int16_t)read_fixed(r, 2); break;
    case DW_EH_PE_sdata4: v = (uint64_t)(int64_t)(int32_t)read_fixed(r, 4); break;
    default: r->bad = true; return 0;
    }
    switch (encoding & 0x70) {
    case 0: break;
    case DW_EH_PE_pcrel: v += at; break;
    case DW_EH_PE_datarel: v += data_base; break;
    default: r->bad = true; return 0;
    }
    return (uintptr_t)v;
}

/* The FDE covering `pc` through .eh_frame_hdr's binary-search table, or NULL. */
static const uint8_t *find_fde(const uint8_t *hdr, uintptr_t pc) {
    if (hdr[0] != 1) return NULL;
    uint8_t ptr_enc = hdr[1], count_enc = hdr[2], table_enc = hdr[3];
    if (table_enc != (DW_EH_PE_datarel | DW_EH_PE_sdata4) || count_enc == DW_EH_PE_omit) return NULL;
    struct reader r = {hdr + 4, hdr + 4 + 16, false};
    read_encoded(&r, ptr_enc, (uintptr_t)hdr);
    uint64_t count = read_encoded(&r, count_enc, (uintptr_t)hdr);
    if (r.bad || count == 0) return NULL;
    const int32_t *table = (const int32_t *)r.p;
    uintptr_t base = (uintptr_t)hdr;
    uint64_t lo = 0, hi = count; /* the last entry whose start <= pc */
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (base + (intptr_t)table[2 * mid] <= pc) lo = mid;
        else hi = mid;
    }
    if (base + (intptr_t)table[2 * lo] > pc) return NULL;
    return (const uint8_t *)(base + (intptr_t)table[2 * lo + 1]);
}

/* Register rules the interpreter tracks: the CFA, rbp and the return address. */
struct cfi_row {
    int cfa_reg;     /* DWARF register: 7 rsp, 6 rbp; -1 an expression */
    int64_t cfa_off;
    int rbp_how;     /* 0 unchanged, 1 saved at CFA + rbp_off, 2 something else */
    int64_t rbp_off;
    int ra_how;      /* 1 saved at CFA + ra_off, 0 undefined, 2 something else */
    int64_t ra_off;
    bool other_bad;  /* a rule for rsp itself */
};

struct cie_info {
    uint64_t code_align;
    int64_t data_align;
    uint64_t ra_reg;
    uint8_t fde_enc;
    bool has_z, signal_frame;
    const uint8_t *insns, *insns_end;
};

static bool parse_cie(const uint8_t *cie, struct cie_info *out) {
    uint32_t length;
    memcpy(&length, cie, 4);
    if (length == 0 || length == 0xffffffffu) return false;
    struct reader r = {cie + 4, cie + 4 + length, false};
    uint32_t id = (uint32_t)read_fixed(&r, 4);
    if (id != 0) return false;
    uint8_t version = (uint8_t)read_fixed(&r, 1);
    if (version != 1 && version != 3 && version != 4) return false;
    const char *aug = (const char *)r.p;
    size_t aug_len = strnlen(aug, (size_t)(r.end - r.p));
    if (aug_len == (size_t)(r.end - r.p)) return false;
    r.p += aug_len + 1;
    if (version == 4) { read_fixed(&r, 1); read_fixed(&r, 1); } /* address size, segment size */
    out->code_align = read_uleb(&r);
    out->data_align = read_sleb(&r);
    out->ra_reg = version == 1 ? read_fixed(&r, 1) : read_uleb(&r);
    out->fde_enc = DW_EH_PE_absptr;
    out->has_z = false;
    out->signal_frame = false;
    const uint8_t *aug_end = NULL;
    for (size_t i = 0; i < aug_len && !r.bad; i++) {
        switch (aug[i]) {
        case 'z': {
            if (i != 0) return false;
            uint64_t n = read_uleb(&r);
            if (n > (uint64_t)(r.end - r.p)) return false;
            out->has_z = true;
            aug_end = r.p + n;
            break;
        }
        case 'R': out->fde_enc = (uint8_t)read_fixed(&r, 1); break;
        case 'L': read_fixed(&r, 1); break;
        case 'P': {
            uint8_t enc = (uint8_t)read_fixed(&r, 1);
            read_encoded(&r, enc & 0x7f, 0); /* skipped: only its size matters */
            break;
        }
        case 'S': out->signal_frame = true; break;
        default:
            if (!aug_end) return false; /* an augmentation we cannot skip */
            r.p = aug_end;
            i = aug_len;
            break;
        }
    }
    if (r.bad) return false;
    if (aug_end) r.p = aug_end;
    out->insns = r.p;
    out->insns_end = r.end;
    return true;
}

enum {
    DW_CFA_advance_loc = 0x40, DW_CFA_offset = 0x80, DW_CFA_restore = 0xc0,
    DW_CFA_nop = 0x00, DW_CFA_set_loc = 0x01, DW_CFA_advance_loc1 = 0x02, DW_CFA_advance_loc2 = 0x03,
    DW_CFA_advance_loc4 = 0x04, DW_CFA_offset_extended = 0x05, DW_CFA_restore_extended = 0x06,
    DW_CFA_undefined = 0x07, DW_CFA_same_value = 0x08, DW_CFA_register = 0x09,
    DW_CFA_remember_state = 0x0a, DW_CFA_restore_state = 0x0b, DW_CFA_def_cfa = 0x0c,
    DW_CFA_def_cfa_register = 0x0d, DW_CFA_def_cfa_offset = 0x0e, DW_CFA_def_cfa_expression = 0x0f,
    DW_CFA_expression = 0x10, DW_CFA_offset_extended_sf = 0x11, DW_CFA_def_cfa_sf = 0x12,
    DW_CFA_def_cfa_offset_sf = 0x13, DW_CFA_val_offset = 0x14, DW_CFA_val_offset_sf = 0x15,
    DW_CFA_val_expression = 0x16, DW_CFA_GNU_args_size = 0x2e, DW_CFA_GNU_negative_offset_extended = 0x2f,
};

enum { REG_RBP = 6, REG_RSP = 7 };

/* The rule for a register: `how` 1 saved at CFA + off, 0 undefined or unchanged, 2 other. */
static void set_reg(struct cfi_row *row, const struct cie_info *cie, uint64_t reg, int how, int64_t off) {
    if (reg == REG_RBP) { row->rbp_how = how; row->rbp_off = off; }
    else if (reg == cie->ra_reg) { row->ra_how = how; row->ra_off = off; }
    else if (reg == REG_RSP && how != 0) row->other_bad = true;
}

/* Runs CFI instructions from `r` while the location stays at or before `pc`.
 * `initial` is the row after the CIE's instructions (for DW_CFA_restore). */
static bool run_cfi(struct reader *r, const struct cie_info *cie, uintptr_t loc, uintptr_t pc,
                    struct cfi_row *row, const struct cfi_row *initial, uint8_t fde_enc) {
    struct cfi_row saved[8];
    int depth = 0;
    while (r->p < r->end && !r->bad) {
        uint8_t op = *r->p++;
        uint8_t low = op & 0x3f;
        switch (op & 0xc0) {
        case DW_CFA_advance_loc:
            loc += low * cie->code_align;
            if (loc > pc) return true;
            continue;
        case DW_CFA_offset:
            set_reg(row, cie, low, 1, (int64_t)read_uleb(r) * cie->data_align);
            continue;
        case DW_CFA_restore:
            if (initial) {
                if (low == REG_RBP) { row->rbp_how = initial->rbp_how; row->rbp_off = initial->rbp_off; }
                else if (low == cie->ra_reg) { row->ra_how = initial->ra_how; row->ra_off = initial->ra_off; }
            }
            continue;
        }
        switch (op) {
        case DW_CFA_nop: break;
        case DW_CFA_set_loc:
            loc = read_encoded(r, fde_enc, 0);
            if (loc > pc) return true;
            break;
        case DW_CFA_advance_loc1: loc += read_fixed(r, 1) * cie->code_align; if (loc > pc) return true; break;
        case DW_CFA_advance_loc2: loc += read_fixed(r, 2) * cie->code_align; if (loc > pc) return true; break;
        case DW_CFA_advance_loc4: loc += read_fixed(r, 4) * cie->code_align; if (loc > pc) return true; break;
        case DW_CFA_offset_extended: {
            uint64_t reg = read_uleb(r);
            set_reg(row, cie, reg, 1, (int64_t)read_uleb(r) * cie->data_align);
            break;
        }
        case DW_CFA_offset_extended_sf: {
            uint64_t reg = read_uleb(r);
            set_reg(row, cie, reg, 1, read_sleb(r) * cie->data_align);
            break;
        }
        case DW_CFA_GNU_negative_offset_extended: {
            uint64_t reg = read_uleb(r);
            set_reg(row, cie, reg, 1, -(int64_t)read_uleb(r) * cie->data_align);
            break;
        }
        case DW_CFA_restore_extended: {
            uint64_t reg = read_uleb(r);
            if (initial && reg == REG_RBP) { row->rbp_how = initial->rbp_how; row->rbp_off = initial->rbp_off; }
            else if (initial && reg == cie->ra_reg) { row->ra_how = initial->ra_how; row->ra_off = initial->ra_off; }
            break;
        }
        case DW_CFA_undefined: set_reg(row, cie, read_uleb(r), 0, 0); break;
        case DW_CFA_same_value: {
            uint64_t reg = read_uleb(r);
            if (reg == cie->ra_reg) row->ra_how = 2;
            else set_reg(row, cie, reg, 0, 0);
            break;
        }
        case DW_CFA_register: {
            uint64_t reg = read_uleb(r);
            uint64_t other = read_uleb(r);
            if (reg == other) set_reg(row, cie, reg, 0, 0); /* same value */
            else set_reg(row, cie, reg, 2, 0);
            break;
        }
        case DW_CFA_remember_state:
            if (depth == 8) return false;
            saved[depth++] = *row;
            break;
        case DW_CFA_restore_state:
            if (depth == 0) return false;
            *row = saved[--depth];
            break;
        case DW_CFA_def_cfa:
            row->cfa_reg = (int)read_uleb(r);
            row->cfa_off = (int64_t)read_uleb(r);
            break;
        case DW_CFA_def_cfa_sf:
            row->cfa_reg = (int)read_uleb(r);
            row->cfa_off = read_sleb(r) * cie->data_align;
            break;
        case DW_CFA_def_cfa_register: row->cfa_reg = (int)read_uleb(r); break;
        case DW_CFA_def_cfa_offset: row->cfa_off = (int64_t)read_uleb(r); break;
        case DW_CFA_def_cfa_offset_sf: row->cfa_off = read_sleb(r) * cie->data_align; break;
        case DW_CFA_def_cfa_expression: {
            uint64_t n = read_uleb(r);
            if (n > (uint64_t)(r->end - r->p)) return false;
            r->p += n;
            row->cfa_reg = -1;
            break;
        }
        case DW_CFA_expression: case DW_CFA_val_expression: {
            uint64_t reg = read_uleb(r);
            uint64_t n = read_uleb(r);
            if (n > (uint64_t)(r->end - r->p)) return false;
            r->p += n;
            set_reg(row, cie, reg, 2, 0);
            break;
        }
        case DW_CFA_val_offset: {
            uint64_t reg = read_uleb(r);
            read_uleb(r);
            set_reg(row, cie, reg, 2, 0);
            break;
        }
        case DW_CFA_val_offset_sf: {
            uint64_t reg = read_uleb(r);
            read_sleb(r);
            set_reg(row, cie, reg, 2, 0);
            break;
        }
        case DW_CFA_GNU_args_size: read_uleb(r); break;
        default: return false; /* an opcode not known here */
        }
    }
    return !r->bad;
}

/* The rule for the frame whose return address is `ip` (looked up at ip - 1, in the call). */
/* RULE_COMPLEX, not to be cached: no module holds the address (yet: a module being
 * loaded may run its constructors before _dl_find_object knows it; or JIT code). */
#define RULE_UNKNOWN (RULE_COMPLEX | 1u << 2)

static uint64_t compute_rule(uintptr_t ip) {
    if (!_dl_find_object) return RULE_UNKNOWN;
    uintptr_t pc = ip - 1;
    struct dl_find_object found;
    if (_dl_find_object((void *)pc, &found) != 0) return RULE_UNKNOWN;
    if (!found.dlfo_eh_frame) return RULE_COMPLEX;
    const uint8_t *fde = find_fde(found.dlfo_eh_frame, pc);
    if (!fde) return RULE_COMPLEX;
    uint32_t length, cie_offset;
    memcpy(&length, fde, 4);
    if (length == 0 || length == 0xffffffffu) return RULE_COMPLEX;
    memcpy(&cie_offset, fde + 4, 4);
    if (cie_offset == 0) return RULE_COMPLEX; /* a CIE, not an FDE */
    struct cie_info cie;
    if (!parse_cie(fde + 4 - cie_offset, &cie) || cie.signal_frame) return RULE_COMPLEX;
    struct reader r = {fde + 8, fde + 4 + length, false};
    uintptr_t begin = read_encoded(&r, cie.fde_enc, 0);
    uintptr_t range = read_encoded(&r, cie.fde_enc & 0x0f, 0);
    if (r.bad || pc < begin || pc - begin >= range) return RULE_COMPLEX;
    if (cie.has_z) {
        uint64_t n = read_uleb(&r);
        if (r.bad || n > (uint64_t)(r.end - r.p)) return RULE_COMPLEX;
        r.p += n;
    }
    struct cfi_row row = {.cfa_reg = REG_RSP, .cfa_off = 8, .rbp_how = 0, .ra_how = 1, .ra_off = -8};
    struct reader ci = {cie.insns, cie.insns_end, false};
    if (!run_cfi(&ci, &cie, begin, UINTPTR_MAX, &row, NULL, cie.fde_enc)) return RULE_COMPLEX;
    struct cfi_row initial = row;
    if (!run_cfi(&r, &cie, begin, pc, &row, &initial, cie.fde_enc)) return RULE_COMPLEX;

    if (row.other_bad || (row.cfa_reg != REG_RSP && row.cfa_reg != REG_RBP)) return RULE_COMPLEX;
    if (row.cfa_off <= 0 || row.cfa_off >= (1 << 19)) return RULE_COMPLEX;
    uint64_t rule = row.cfa_reg == REG_RSP ? RULE_RSP : RULE_RBP;
    if (row.ra_how == 0) rule |= 1u << 2;
    else if (row.ra_how != 1 || row.ra_off != -8) return RULE_COMPLEX;
    if (row.rbp_how == 1) {
        if (row.rbp_off >= 0 || (-row.rbp_off) % 8 != 0 || -row.rbp_off / 8 >= 1024) return RULE_COMPLEX;
        rule |= (1ull << 22) | ((uint64_t)(-row.rbp_off / 8) << 23);
    } else if (row.rbp_how != 0) {
        return RULE_COMPLEX;
    }
    rule |= (uint64_t)row.cfa_off << 3;
    return rule;
}

static uint64_t rule_for(uint64_t *table, uintptr_t ip) {
    if (__builtin_expect(ip >= (1ull << 47), 0)) return compute_rule(ip) & ~(1u << 2);
    uint64_t tag = (uint64_t)(ip >> TABLE_BITS) << TAG_SHIFT;
    size_t slot = (ip ^ (ip >> TABLE_BITS)) & (TABLE_SIZE - 1);
    uint64_t w = __atomic_load_n(&table[slot], __ATOMIC_RELAXED);
    if (__builtin_expect((w & ~((1ull << TAG_SHIFT) - 1)) == tag && !(w & ALT_BIT) && w, 1))
        return w & ((1ull << RULE_BITS) - 1);
    uint64_t w2 = __atomic_load_n(&table[slot ^ 1], __ATOMIC_RELAXED);
    if ((w2 & ~((1ull << TAG_SHIFT) - 1)) == tag && (w2 & ALT_BIT) && w2)
        return w2 & ((1ull << RULE_BITS) - 1);
    uint64_t epoch = __atomic_load_n(&rules_epoch, __ATOMIC_ACQUIRE);
    uint64_t rule = compute_rule(ip);
    if (rule == RULE_UNKNOWN) return RULE_COMPLEX;
    if (__atomic_load_n(&rules_epoch, __ATOMIC_ACQUIRE) != epoch) return rule; /* a dlclose ran meanwhile */
    if (!w || w2) __atomic_store_n(&table[slot], tag | rule, __ATOMIC_RELAXED);
    else __atomic_store_n(&table[slot ^ 1], tag | ALT_BIT | rule, __ATOMIC_RELAXED);
    return rule;
}

/* A frame may take at most this much stack; beyond, the walk is not trusted. */
#define MAX_FRAME_BYTES (8u << 20)

/* The thread's previous walk, as a prediction of this one. Consecutive allocations of a
 * thread share most of their stack. Once this walk reaches a state (ip, sp, rbp) that the
 * last walk had, the rest of the last walk is the rest of this one if the stack still
 * holds the words that walk read: each step from a recorded state applies the recorded
 * rule (the rule of that return address) to it, so it reaches the next recorded state
 * exactly when the return address (and, where the frame saved it, rbp) loaded at the
 * recorded slot equals the recorded one. Those loads are checked one by one, in order
 * (a slot is read only when every step below checked out, so only the addresses the plain
 * walk would read are read); unlike the plain walk's, they do not wait on one another.
 * The first step that fails, or the end of the prediction, hands back to the plain walk
 * from the true state there. The last RECENT walks per kind of stack (an allocation's, a
 * free's: they go through different frames of the recorder, and a free's is shorter), the
 * most recent one the prediction, one buffer being written; frames beyond PREDICTED are
 * not kept. */
#define PREDICTED 128
struct state {
    uintptr_t ip, sp, bp;
    uint64_t rule;
};
/* A word the stack must hold for a walk to be taken again (see compile_checks). */
struct check { uintptr_t address, value; };
struct walk {
    int n;
    uint32_t id; /* the id stacks.c gave this walk's stack (ms_unwind_set_id); 0 none */
    uint64_t epoch;
    struct state f[PREDICTED];
    /* The walk's steps as the words they load, made when the walk is first a candidate
     * again (compiled; 0 after each new walk into this buffer). */
    bool compiled, never, bp_check, zero_check;
    int checks_n;
    uintptr_t bp, zero_slot;
    struct check checks[2 * PREDICTED];
};
/* The last RECENT walks of each kind, most recent first, each with its stack's id: a
 * stack that is one of them again, frame for frame, is that id without a walk, a hash or
 * a comparison (a program's allocations come from a few call sites in turn: sqlite3's
 * from at most 4 distinct stacks 99.9% of the time, its frees from 2; a loop over a few
 * depths or call sites, from a handful more: 16 a kind keep bench-record.c's 6 allocation
 * and 12 free stacks of its 10-15-deep workload, which 4 missed once per iteration). They
 * live in the thread's stack table (stacks.c: mmap'ed, touched as used, made anew after
 * fork), not in TLS, which would take 136 KiB from every thread's stack. */
#define RECENT 16
struct ms_unwind_walks {
    struct walk walks[2 * RECENT + 1];
    /* Each walk's first state (ip, sp; 0: none), side by side: the recent walks whose first
     * frame differs are passed over without touching their 4 KiB. */
    uintptr_t first_ip[2 * RECENT + 1], first_sp[2 * RECENT + 1];
    uint8_t order[2][RECENT]; /* indices into `walks`, most recent first */
    uint8_t spare;            /* the walk being written */
    bool ready;               /* order and spare set (the memory comes zeroed) */
    bool pending[2];          /* the most recent walk of kind k awaits its id */
};
static MS_TLS bool walking; /* never nested on a thread (the hooks' guard), but be sure */

size_t ms_unwind_walks_size(void) { return sizeof(struct ms_unwind_walks); }

/* The id of the stack of the walk ms_unwind_fast just made for this kind, if it made one. */
void ms_unwind_set_id(struct ms_unwind_walks *state, int kind, uint32_t id) {
    if (!state || !state->pending[kind]) return;
    state->walks[state->order[kind][0]].id = id;
    state->pending[kind] = false;
}

/* Whether the stack from state (ip, sp, bp) is walk `c`'s again, frame for frame, is
 * whether the words each of its steps loaded are still there (so each step, applying the
 * recorded rule to the recorded state, gives the recorded next state) and it ends where `c`
 * ended. Those steps as a list of (address, word) pairs, in the order the plain walk
 * loads them: each step's return address (at the next CFA - 8), and, for a frame whose CFA
 * is rbp-based, the saved rbp it uses, checked where it is used (by then every word below
 * it has checked out, so only an address the plain walk reads is read), or, when no frame
 * saved it since the first, the rbp the walk starts from (`bp`); `zero_slot`: the zero
 * return address the walk ended on. A walk no state can repeat (two rbps asked of the
 * start) is `never`. Checking a list of 15 frames costs a third of stepping through it. */
static void compile_checks(struct walk *c) {
    const struct state *f = c->f;
    int end = c->n, n = 0;
    c->never = c->bp_check = c->zero_check = false;
    c->checks_n = 0;
    c->compiled = true;
    if (end <= 0) { c->never = true; return; }
    uintptr_t source = 0; /* the slot frame k's rbp was loaded from; 0: the starting rbp */
    if (RULE_KIND(f[0].rule) == RULE_RBP) { c->bp_check = true; c->bp = f[0].bp; }
    for (int k = 0; k + 1 < end; k++) {
        uint64_t rule = f[k].rule;
        const struct state *next = &f[k + 1];
        if (RULE_RBP_SAVED(rule)) source = next->sp - 8 * RULE_RBP_K(rule);
        c->checks[n++] = (struct check){next->sp - 8, next->ip};
        if (RULE_KIND(next->rule) != RULE_RBP) continue;
        if (source) {
            c->checks[n++] = (struct check){source, next->bp};
        } else if (!c->bp_check) {
            c->bp_check = true;
            c->bp = next->bp;
        } else if (c->bp != next->bp) {
            c->never = true;
        }
    }
    c->checks_n = n;
    uint64_t rule = f[end - 1].rule;
    if (RULE_STOP(rule)) return;
    uintptr_t cfa = (RULE_KIND(rule) == RULE_RSP ? f[end - 1].sp : f[end - 1].bp) + RULE_OFF(rule);
    if (cfa <= f[end - 1].sp || cfa - f[end - 1].sp > MAX_FRAME_BYTES) return; /* again only when cut by `max` */
    c->zero_check = true;
    c->zero_slot = cfa - 8;
}

static inline bool is_walk_again(struct walk *c, int max, uintptr_t ip, uintptr_t sp, uintptr_t bp) {
    if (!c->compiled) compile_checks(c);
    int end = c->n;
    if (c->never || end > max || c->f[0].ip != ip || c->f[0].sp != sp || (c->bp_check && c->bp != bp)) return false;
    const struct check *k = c->checks, *last = k + c->checks_n;
    for (; k < last; k++)
        if (*(const uintptr_t *)k->address != k->value) return false;
    if (end >= max || !c->zero_check) return end >= max || RULE_STOP(c->f[end - 1].rule);
    return *(const uintptr_t *)c->zero_slot == 0;
}

/* rbp is kept only where the frame's CFA is rbp-based, the only frames whose rbp a later
 * walk compares, and where it is a frame pointer, an address in the stack. Elsewhere it may
 * hold anything the code keeps there, a heap address too, and the walks' memory is an
 * anonymous mapping that the exit scan reads as a root (a block held only by such a stale
 * word would be counted as still reachable). */
static inline void keep(struct walk *w, int n, uintptr_t ip, uintptr_t sp, uintptr_t bp, uint64_t rule) {
    if (n < PREDICTED) w->f[n] = (struct state){ip, sp, RULE_KIND(rule) == RULE_RBP ? bp : 0, rule};
}

/* Fills `ips` with the return addresses of the calling stack, innermost first, from the
 * first outside the recorder's own code. -1: a frame this unwinder does not handle.
 * `*same`: the stack is the last one of this kind, frame for frame, and `ips` was left
 * as it was (with `same` NULL, `ips` is always filled). */
__attribute__((noinline, optimize("no-omit-frame-pointer", "no-tree-loop-distribute-patterns")))
int ms_unwind_fast(uintptr_t *ips, int max, int kind_of_stack, uint32_t *same, struct ms_unwind_walks *state) {
    if (same) *same = 0;
    if (state) state->pending[kind_of_stack] = false;
    uint64_t *table = rule_table();
    if (!table || max <= 0) return -1;
    uintptr_t *frame = __builtin_frame_address(0);
    uintptr_t ip = (uintptr_t)__builtin_return_address(0);
    uintptr_t sp = (uintptr_t)(frame + 2);
    uintptr_t bp = frame[0];
    int n = 0;
    /* The recorder's own frames (left out of the stack by the caller) are walked by
     * their frame pointers, which all of its code keeps (-fno-omit-frame-pointer): the
     * rule their CFI gives too (CFA = rbp + 16, rbp saved at CFA - 16). */
    uintptr_t own_start = ms_own_start, own_end = ms_own_end;
    while (ip >= own_start && ip < own_end) {
        const uintptr_t *caller = (const uintptr_t *)bp;
        if ((uintptr_t)caller < sp || (uintptr_t)caller - sp > MAX_FRAME_BYTES || ((uintptr_t)caller & 7)) return -1;
        ip = caller[1];
        sp = (uintptr_t)(caller + 2);
        bp = caller[0];
    }

    if (__builtin_expect(walking || !state, 0)) {
        /* Plain walk, no prediction (and no later stack found the same as the last walk). */
        while (n < max) {
            ips[n++] = ip;
            uint64_t rule = rule_for(table, ip);
            unsigned kind = RULE_KIND(rule);
            if (kind == RULE_COMPLEX) return -1;
            if (RULE_STOP(rule)) break;
            uintptr_t cfa = (kind == RULE_RSP ? sp : bp) + RULE_OFF(rule);
            if (cfa <= sp || cfa - sp > MAX_FRAME_BYTES) return -1;
            if (RULE_RBP_SAVED(rule)) bp = *(const uintptr_t *)(cfa - 8 * RULE_RBP_K(rule));
            ip = *(const uintptr_t *)(cfa - 8);
            sp = cfa;
            if (!ip) break;
        }
        return n;
    }
    int result = -1;
    walking = true;
    uint64_t epoch = __atomic_load_n(&rules_epoch, __ATOMIC_ACQUIRE);
    struct walk *walks = state->walks;
    if (!state->ready) {
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < RECENT; i++) state->order[k][i] = (uint8_t)(k * RECENT + i);
        state->spare = 2 * RECENT;
        state->ready = true;
    }
    uint8_t *order = state->order[kind_of_stack];
    if (same) {
        const uintptr_t *first_ip = state->first_ip, *first_sp = state->first_sp;
        for (int i = 0; i < RECENT; i++) {
            if (first_sp[order[i]] != sp || first_ip[order[i]] != ip) continue;
            struct walk *c = &walks[order[i]];
            if (c->epoch != epoch || !c->id || !is_walk_again(c, max, ip, sp, bp)) continue;
            /* One of the recent stacks again; it becomes the most recent. Its walk stays as
             * it is (rbp may differ where it is not used). */
            uint8_t index = order[i];
            for (; i > 0; i--) order[i] = order[i - 1];
            order[0] = index;
            *same = c->id;
            result = c->n;
            goto out;
        }
    }
    const struct walk *last = &walks[order[0]];
    struct walk *w = &walks[state->spare];
    int last_n = last->epoch == epoch ? last->n : 0;
    int j = 0; /* the first frame of the last walk whose sp is not below this walk's */
    while (n < max) {
        /* The state of frame n is (ip, sp, bp). Known to the last walk? rbp counts only
         * where the frame's CFA is rbp-based: elsewhere code built without frame pointers
         * keeps data in it, which the walk never uses before a frame restores it. */
        while (j < last_n && last->f[j].sp < sp) j++;
        if (j < last_n && last->f[j].sp == sp && last->f[j].ip == ip &&
            (RULE_KIND(last->f[j].rule) != RULE_RBP || last->f[j].bp == bp)) {
            /* Frames j…k of the last walk are frames n… of this one; `bp` is frame k's
             * true rbp (the recorded one may differ where it is not used). */
            int end = last_n - j < max - n ? last_n : j + (max - n);
            int k = j;
            uint64_t rule = last->f[j].rule;
            bool diverged = false;
            uintptr_t next_ip = 0, next_sp = 0, next_bp = bp;
            while (k + 1 < end) {
                const struct state *next = &last->f[k + 1];
                next_sp = next->sp;
                next_bp = RULE_RBP_SAVED(rule) ? *(const uintptr_t *)(next_sp - 8 * RULE_RBP_K(rule)) : bp;
                next_ip = *(const uintptr_t *)(next_sp - 8);
                if (next_ip != next->ip) { diverged = true; break; }
                uint64_t next_rule = next->rule;
                if (RULE_KIND(next_rule) == RULE_RBP && next_bp != next->bp) { diverged = true; break; }
                bp = next_bp;
                rule = next_rule;
                k++;
            }
            bool ends = n + (k - j + 1) >= max || RULE_STOP(rule);
            for (int i = j; i <= k; i++) ips[n + i - j] = last->f[i].ip;
            if (n < PREDICTED) {
                int kept = k - j + 1 < PREDICTED - n ? k - j + 1 : PREDICTED - n;
                for (int i = 0; i < kept; i++) w->f[n + i] = last->f[j + i];
            }
            n += k - j + 1;
            if (ends) goto done;
            if (!diverged) {
                /* The prediction ends at frame k: its next state, as the plain walk takes it. */
                uintptr_t cfa = (RULE_KIND(rule) == RULE_RSP ? last->f[k].sp : bp) + RULE_OFF(rule);
                next_sp = cfa;
                next_bp = RULE_RBP_SAVED(rule) ? *(const uintptr_t *)(cfa - 8 * RULE_RBP_K(rule)) : bp;
                next_ip = *(const uintptr_t *)(cfa - 8);
            }
            ip = next_ip; sp = next_sp; bp = next_bp;
            j = k + 1;
            if (!ip) break;
            continue;
        }
        uint64_t rule = rule_for(table, ip);
        unsigned kind = RULE_KIND(rule);
        if (__builtin_expect(kind == RULE_COMPLEX, 0)) goto fail;
        ips[n] = ip;
        keep(w, n, ip, sp, bp, rule);
        n++;
        if (RULE_STOP(rule)) break;
        uintptr_t cfa = (kind == RULE_RSP ? sp : bp) + RULE_OFF(rule);
        if (__builtin_expect(cfa <= sp || cfa - sp > MAX_FRAME_BYTES, 0)) goto fail;
        if (RULE_RBP_SAVED(rule)) bp = *(const uintptr_t *)(cfa - 8 * RULE_RBP_K(rule));
        ip = *(const uintptr_t *)(cfa - 8);
        sp = cfa;
        if (!ip) break;
    }
done:
    /* This walk becomes the most recent of its kind; the least recent one's buffer is the
     * next walk's. */
    w->n = n < PREDICTED ? n : PREDICTED;
    w->id = 0;
    w->epoch = epoch;
    w->compiled = false;
    {
        uint8_t index = state->spare;
        state->first_ip[index] = w->n > 0 ? w->f[0].ip : 0;
        state->first_sp[index] = w->n > 0 ? w->f[0].sp : 0;
        state->spare = order[RECENT - 1];
        for (int i = RECENT - 1; i > 0; i--) order[i] = order[i - 1];
        order[0] = index;
    }
    state->pending[kind_of_stack] = true;
    result = n;
    goto out;
fail:
    /* This stack goes to libunwind (the recent walks stay: each has its own id). */
out:
    walking = false;
    return result;
}

/* After dlclose: rules of the unloaded module's addresses must not outlive it. */
MS_HIDDEN void ms_unwind_forget_rules(void) {
    __atomic_add_fetch(&rules_epoch, 1, __ATOMIC_ACQ_REL);
    uint64_t *t = __atomic_load_n(&rules, __ATOMIC_ACQUIRE);
    if (!t) return;
    /* Zero pages, atomically per page, whatever other threads read meanwhile. */
    if (madvise(t, TABLE_SIZE * sizeof(uint64_t), MADV_DONTNEED) != 0)
        for (size_t i = 0; i < TABLE_SIZE; i++) __atomic_store_n(&t[i], 0, __ATOMIC_RELAXED);
}

MS_EXPORT int dlclose(void *handle) {
    static int (*real)(void *);
    if (!real) real = (int (*)(void *))dlsym(RTLD_NEXT, "dlclose");
    int result = real(handle);
    ms_unwind_forget_rules();
    return result;
}
