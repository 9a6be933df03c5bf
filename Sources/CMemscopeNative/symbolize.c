/* Symbolization for `memscope record`, with elfutils' libdwfl: each code
 * address becomes its module, build id, file offset and inline chain, named as
 * `eu-addr2line -i -f` names it. libdwfl finds the files (separate debug files
 * by build id and .gnu_debuglink, plus a local debuginfod cache here) and reads
 * the symbol tables; lookups go through indexes built once per module and per
 * compile unit (symtab.c, dwarf_index.c), since the recorder asks for every
 * distinct return address of a program.
 *
 * An ms_symbolizer is not thread-safe: use each one from one thread at a time. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strdup, O_CLOEXEC under -std=c11 */
#endif
#include "symbolize_internal.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Strings ---- */

/* Blocks of string bytes, never moved, so stored strings keep their address. */
typedef struct string_block {
    struct string_block *next;
    size_t used, size;
    char bytes[];
} string_block;

/* An open-addressing hash set of stored strings. */
struct ms_strings {
    const char **slots;
    size_t capacity, count;
    string_block *blocks;
};

static uint64_t hash_bytes(const char *text, size_t length) {
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < length; i++) h = (h ^ (unsigned char)text[i]) * 1099511628211u;
    return h;
}

static char *store_bytes(ms_strings *strings, const char *text, size_t length) {
    string_block *b = strings->blocks;
    if (!b || b->size - b->used < length + 1) {
        size_t size = length + 1 > 65536 ? length + 1 : 65536;
        b = malloc(sizeof *b + size);
        if (!b) return NULL;
        *b = (string_block){.next = strings->blocks, .size = size};
        strings->blocks = b;
    }
    char *copy = b->bytes + b->used;
    memcpy(copy, text, length);
    copy[length] = '\0';
    b->used += length + 1;
    return copy;
}

static bool grow_strings(ms_strings *strings) {
    size_t capacity = strings->capacity ? strings->capacity * 2 : 1024;
    const char **slots = calloc(capacity, sizeof *slots);
    if (!slots) return false;
    for (size_t i = 0; i < strings->capacity; i++) {
        const char *s = strings->slots[i];
        if (!s) continue;
        size_t j = hash_bytes(s, strlen(s)) & (capacity - 1);
        while (slots[j]) j = (j + 1) & (capacity - 1);
        slots[j] = s;
    }
    free(strings->slots);
    strings->slots = slots;
    strings->capacity = capacity;
    return true;
}

const char *ms_strings_intern(ms_strings *strings, const char *text, size_t length) {
    if (2 * (strings->count + 1) > strings->capacity && !grow_strings(strings)) return NULL;
    size_t mask = strings->capacity - 1;
    for (size_t i = hash_bytes(text, length) & mask;; i = (i + 1) & mask) {
        const char *s = strings->slots[i];
        if (!s) {
            s = store_bytes(strings, text, length);
            if (!s) return NULL;
            strings->slots[i] = s;
            strings->count++;
            return s;
        }
        if (strncmp(s, text, length) == 0 && s[length] == '\0') return s;
    }
}

const char *ms_strings_path(ms_strings *strings, const char *dir, const char *file) {
    if (!file || file[0] == '/' || !dir || !dir[0]) return file;
    char stack[512];
    size_t dir_length = strlen(dir), length = dir_length + 1 + strlen(file);
    char *joined = length < sizeof stack ? stack : malloc(length + 1);
    if (!joined) return file;
    memcpy(joined, dir, dir_length);
    joined[dir_length] = '/';
    strcpy(joined + dir_length + 1, file);
    const char *stored = ms_strings_intern(strings, joined, length);
    if (joined != stack) free(joined);
    return stored ? stored : file;
}

static void free_strings(ms_strings *strings) {
    for (string_block *b = strings->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(strings->slots);
}

/* ---- Finding debug files ---- */

void ms_to_hex(const unsigned char *bytes, size_t length, char *hex) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < length; i++) {
        hex[2 * i] = digits[bytes[i] >> 4];
        hex[2 * i + 1] = digits[bytes[i] & 15];
    }
    hex[2 * length] = '\0';
}

/* The build id (at most `capacity` bytes, its length in `*length`) of the dwz file that
 * `path`'s .gnu_debugaltlink names (its file name, a NUL, then the build id). */
static bool altlink_build_id(const char *path, unsigned char *id, size_t capacity, int *length) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool found = false;
    Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
    size_t names;
    if (elf && elf_getshdrstrndx(elf, &names) == 0) {
        for (Elf_Scn *scn = NULL; !found && (scn = elf_nextscn(elf, scn));) {
            GElf_Shdr header;
            const char *name;
            Elf_Data *data;
            if (!gelf_getshdr(scn, &header) || !(name = elf_strptr(elf, names, header.sh_name)) ||
                strcmp(name, ".gnu_debugaltlink") != 0 || !(data = elf_getdata(scn, NULL)))
                continue;
            const unsigned char *bytes = data->d_buf;
            const unsigned char *end = memchr(bytes, '\0', data->d_size);
            size_t id_length = end ? data->d_size - (size_t)(end + 1 - bytes) : 0;
            if (id_length > 0 && id_length <= capacity) {
                memcpy(id, end + 1, id_length);
                *length = (int)id_length;
                found = true;
            }
        }
    }
    elf_end(elf);
    close(fd);
    return found;
}

/* Opens `<cache>/<build id>/debuginfo` in the first local debuginfod client
 * cache that has it: $DEBUGINFOD_CACHE_PATH, $XDG_CACHE_HOME/debuginfod_client,
 * ~/.cache/debuginfod_client. No server is asked. The client caches failed
 * downloads as empty files; those are skipped. */
static int open_cached_debuginfo(const char *hex, char **file_name) {
    const char *env[3][2] = {
        {getenv("DEBUGINFOD_CACHE_PATH"), ""},
        {getenv("XDG_CACHE_HOME"), "/debuginfod_client"},
        {getenv("HOME"), "/.cache/debuginfod_client"},
    };
    for (int i = 0; i < 3; i++) {
        if (!env[i][0] || !env[i][0][0]) continue;
        char path[4096];
        int n = snprintf(path, sizeof path, "%s%s/%s/debuginfo", env[i][0], env[i][1], hex);
        if (n < 0 || (size_t)n >= sizeof path) continue;
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
            *file_name = strdup(path);
            return fd;
        }
        close(fd);
    }
    return -1;
}

/* Where a module's debug file is looked for, in order: memscope's cache of inflated
 * debug files (debuginfo_cache.c), /usr/lib/debug/.build-id (libdwfl's build-id
 * search), the `.gnu_debuglink` name in the usual directories (debuglink.c), then the
 * local debuginfod caches. libdwfl's standard search would end by loading
 * libdebuginfod to ask a server, which memscope never does. libdwfl calls this for a
 * module's debug file, and again, with the .gnu_debugaltlink name and no CRC, for the
 * dwz file that debug file refers to. */
static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, GElf_Addr base,
                          const char *file_name, const char *debuglink_file, GElf_Word debuglink_crc,
                          char **debuginfo_file_name) {
    bool dwz_file = debuglink_file && debuglink_crc == 0;
    int fd = dwz_file ? -1 : ms_cached_debuginfo(mod, debuginfo_file_name);
    if (fd >= 0) return fd;
    errno = 0;
    fd = dwfl_build_id_find_debuginfo(mod, userdata, modname, base, file_name, debuglink_file,
                                      debuglink_crc, debuginfo_file_name);
    /* The build id (of the module, or for a dwz file the one its link names). */
    unsigned char id[64];
    int length = 0;
    if (dwz_file) {
        /* The dwz file: `file_name` is the file whose DWARF names it. */
        if (!file_name || !altlink_build_id(file_name, id, sizeof id, &length)) length = 0;
    } else {
        const unsigned char *bits;
        GElf_Addr vaddr;
        length = dwfl_module_build_id(mod, &bits, &vaddr);
        if (length > 0 && length <= 64) memcpy(id, bits, (size_t)length);
        else length = 0;
    }
    char hex[2 * 64 + 1];
    ms_to_hex(id, (size_t)length, hex);
    if (fd < 0) {
        fd = ms_find_by_debuglink(file_name, debuglink_file, dwz_file ? 0 : debuglink_crc, id, length,
                                  debuginfo_file_name);
    }
    if (fd >= 0 && !dwz_file) ms_cache_debuginfo(mod, fd);
    if (fd < 0 && length > 0) fd = open_cached_debuginfo(hex, debuginfo_file_name);
    if (fd < 0) errno = ENOENT;
    return fd;
}

static char *debuginfo_path = NULL; /* NULL: libdwfl's default, ":.debug:/usr/lib/debug" */

static const Dwfl_Callbacks callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = &debuginfo_path,
};

/* ---- Modules ---- */

/* The lookup indexes of one module file (its ELF symbols and DWARF), made on the
 * first lookup. A file with a build id gets one index for the whole process, in a
 * Dwfl session of its own, shared by every symbolizer: the processes of one
 * recording (a compiler driver and its children, a script's commands) load the
 * same libraries, and a module's DWARF costs most at its first lookup (libdw
 * inflates compressed debug sections: about 35 ms for Debian's libc, which each
 * process paid again). A shared index is used under its own lock, so symbolizers
 * on different threads may share it. A file without a build id is indexed per
 * symbolizer, in the symbolizer's session. */
typedef struct module_index {
    struct module_index *next;
    char *build_id;       /* shared indexes: the key, owned */
    Dwfl *session;        /* shared indexes: their own session; NULL for a local one */
    Dwfl_Module *mod;     /* where lookups go */
    GElf_Addr elf_bias;   /* Dwfl address - file address, in that session */
    bool dwarf_loaded, symtab_loaded;
    Dwarf_Addr dwarf_bias;
    ms_dwarf_index *dwarf; /* NULL without DWARF */
    ms_symtab *symtab;     /* NULL without symbols */
    ms_strings *strings;   /* where the indexes store the strings they make */
    ms_strings own_strings;
    pthread_mutex_t lock;
} module_index;

static pthread_mutex_t shared_indexes_lock = PTHREAD_MUTEX_INITIALIZER;
static module_index *shared_indexes; /* kept until the process ends */

/* The process's index of the file at `path` with build id `hex`, made (without
 * its DWARF or symbols yet) on first use; NULL when the file cannot be reported
 * again or is no longer the file with that build id. */
static module_index *shared_index(const char *path, const char *hex) {
    pthread_mutex_lock(&shared_indexes_lock);
    module_index *found = shared_indexes;
    while (found && strcmp(found->build_id, hex) != 0) found = found->next;
    if (found) {
        pthread_mutex_unlock(&shared_indexes_lock);
        return found;
    }
    module_index *index = calloc(1, sizeof *index);
    Dwfl *session = index ? dwfl_begin(&callbacks) : NULL;
    Dwfl_Module *mod = NULL;
    if (session) {
        dwfl_report_begin(session);
        mod = dwfl_report_elf(session, path, path, -1, 0, true);
        dwfl_report_end(session, NULL, NULL);
    }
    const unsigned char *bits;
    GElf_Addr vaddr;
    char again[2 * 64 + 1] = "";
    int length = mod ? dwfl_module_build_id(mod, &bits, &vaddr) : 0;
    if (length > 0 && length <= 64) ms_to_hex(bits, (size_t)length, again);
    Dwarf_Addr bias = 0;
    if (!mod || strcmp(again, hex) != 0 || !dwfl_module_getelf(mod, &bias) || !(index->build_id = strdup(hex))) {
        if (session) dwfl_end(session);
        free(index);
        pthread_mutex_unlock(&shared_indexes_lock);
        return NULL;
    }
    index->session = session;
    index->mod = mod;
    index->elf_bias = bias;
    index->strings = &index->own_strings;
    pthread_mutex_init(&index->lock, NULL);
    index->next = shared_indexes;
    shared_indexes = index;
    pthread_mutex_unlock(&shared_indexes_lock);
    return index;
}

/* What a symbolizer keeps per module of its process, made on the module's first
 * lookup and hung on its Dwfl userdata. */
typedef struct ms_module {
    struct ms_module *next;
    const char *path;
    const char *build_id;
    GElf_Addr elf_bias;    /* Dwfl address - file address, in the symbolizer's session */
    module_index *index;   /* shared, or `local` */
    module_index local;
} ms_module;

struct ms_symbolizer {
    Dwfl *dwfl;
    ms_module *modules;
    ms_strings strings;
};

ms_symbolizer *ms_symbolizer_create(void) {
    ms_symbolizer *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->dwfl = dwfl_begin(&callbacks);
    if (!s->dwfl) {
        free(s);
        return NULL;
    }
    dwfl_report_begin(s->dwfl);
    return s;
}

int ms_symbolizer_add_module(ms_symbolizer *s, const char *path, uint64_t bias) {
    /* add_p_vaddr: the module starts at bias + its first PT_LOAD address. */
    Dwfl_Module *m = dwfl_report_elf(s->dwfl, path, path, -1, (GElf_Addr)bias, true);
    return m ? 0 : -1;
}

void ms_symbolizer_end_modules(ms_symbolizer *s) { dwfl_report_end(s->dwfl, NULL, NULL); }

int ms_symbolizer_add_module_later(ms_symbolizer *s, const char *path, uint64_t bias) {
    /* Modules reported before keep their data (and the indexes hung on it). */
    dwfl_report_begin_add(s->dwfl);
    Dwfl_Module *m = dwfl_report_elf(s->dwfl, path, path, -1, (GElf_Addr)bias, true);
    dwfl_report_end(s->dwfl, NULL, NULL);
    return m ? 0 : -1;
}

static ms_module *module_data(ms_symbolizer *s, Dwfl_Module *mod) {
    void **userdata;
    const char *path = dwfl_module_info(mod, &userdata, NULL, NULL, NULL, NULL, NULL, NULL);
    if (*userdata) return *userdata;
    ms_module *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->path = path;
    const unsigned char *bits;
    GElf_Addr vaddr;
    int length = dwfl_module_build_id(mod, &bits, &vaddr);
    char hex[2 * 64 + 1];
    if (length > 0 && length <= 64) {
        ms_to_hex(bits, (size_t)length, hex);
        m->build_id = ms_strings_intern(&s->strings, hex, 2 * (size_t)length);
    }
    Dwarf_Addr bias = 0;
    if (dwfl_module_getelf(mod, &bias)) m->elf_bias = bias;
    m->index = m->build_id && path ? shared_index(path, m->build_id) : NULL;
    if (!m->index) {
        m->local = (module_index){.mod = mod, .elf_bias = m->elf_bias, .strings = &s->strings};
        m->index = &m->local;
    }
    m->next = s->modules;
    s->modules = m;
    *userdata = m;
    return m;
}

static ms_dwarf_index *module_dwarf(module_index *m) {
    if (!m->dwarf_loaded) {
        m->dwarf_loaded = true;
        Dwarf *dwarf = dwfl_module_getdwarf(m->mod, &m->dwarf_bias);
        if (dwarf) m->dwarf = ms_dwarf_index_create(dwarf);
    }
    return m->dwarf;
}

static const char *symbol_name(module_index *m, Dwarf_Addr address) {
    if (!m->symtab_loaded) {
        m->symtab_loaded = true;
        m->symtab = ms_symtab_create(m->mod, m->strings);
    }
    return ms_symtab_find(m->symtab, address);
}

/* The inline chain at `address` (an address of the index's own session). */
static void locate_in(module_index *m, Dwarf_Addr address, ms_location *out) {
    ms_dwarf_index *dwarf = module_dwarf(m);
    if (dwarf && ms_dwarf_locate(dwarf, address - m->dwarf_bias, m->strings, out)) {
        out->has_debug_info = 1;
    } else {
        /* Without DWARF there is no trustworthy line: dwfl_module_getsrc would
         * give the line of whatever CU precedes the address. */
        out->count = 1;
        out->frames[0] = (ms_inline_frame){0};
    }
    /* Code without a function DIE (assembly, CRT, or no DWARF at all) takes its
     * name from the ELF symbols. */
    ms_inline_frame *outermost = &out->frames[out->count - 1];
    if (!outermost->function) outermost->function = symbol_name(m, address);
    if (out->count == 1 && !outermost->function && !outermost->file) out->count = 0;
}

void ms_symbolizer_locate(ms_symbolizer *s, uint64_t address, ms_location *out) {
    memset(out, 0, sizeof *out);
    Dwfl_Module *mod = dwfl_addrmodule(s->dwfl, (Dwarf_Addr)address);
    ms_module *m = mod ? module_data(s, mod) : NULL;
    if (!m) return;
    out->module = m->path;
    out->build_id = m->build_id;
    out->module_offset = address - m->elf_bias;
    module_index *index = m->index;
    if (index->session) pthread_mutex_lock(&index->lock);
    locate_in(index, out->module_offset + index->elf_bias, out);
    if (index->session) pthread_mutex_unlock(&index->lock);
}

void ms_symbolizer_destroy(ms_symbolizer *s) {
    if (!s) return;
    for (ms_module *m = s->modules, *next; m; m = next) {
        next = m->next;
        ms_dwarf_index_destroy(m->local.dwarf);
        ms_symtab_destroy(m->local.symtab);
        free(m);
    }
    dwfl_end(s->dwfl);
    free_strings(&s->strings);
    free(s);
}
