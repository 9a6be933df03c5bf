/* The module map: every loaded ELF object with its address range, load bias
 * and build id, so that memscope can symbolize the raw addresses afterwards.
 * Written at start, after fork and exec, and after each dlopen (a module that
 * dlclose unmapped stays in the map until another one is reported at its address). */
#include "recorder.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <string.h>
#include <unistd.h>

static char exe_path[4096];

static size_t build_id(const struct dl_phdr_info *info, const uint8_t **out) {
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE) continue;
        const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr);
        const uint8_t *end = p + ph->p_memsz;
        while (p + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
            const uint8_t *name = p + sizeof *n;
            const uint8_t *desc = name + ((n->n_namesz + 3) & ~3u);
            if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(name, "GNU", 4) == 0) {
                *out = desc;
                return n->n_descsz;
            }
            p = desc + ((n->n_descsz + 3) & ~3u);
        }
    }
    return 0;
}

static int record_module(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    (void)data;
    const char *path = info->dlpi_name;
    if (!path || !path[0]) path = exe_path;
    if (!path[0] || strncmp(path, "linux-vdso", 10) == 0) return 0;
    uintptr_t start = UINTPTR_MAX, end = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD) continue;
        uintptr_t s = info->dlpi_addr + ph->p_vaddr;
        if (s < start) start = s;
        if (s + ph->p_memsz > end) end = s + ph->p_memsz;
    }
    if (start >= end) return 0;
    const uint8_t *id = NULL;
    size_t id_len = build_id(info, &id);
    if (id_len > 64) id_len = 0;
    size_t path_len = strnlen(path, MS_MAX_STRING);
    uint8_t *e = ms_event_begin(80 + path_len + id_len);
    if (!e) return 0;
    *e++ = MS_EV_MODULE;
    e = ms_put(e, ms_now());
    e = ms_put(e, ms_generation);
    e = ms_put(e, start);
    e = ms_put(e, end);
    e = ms_put(e, info->dlpi_addr);
    e = ms_put_string(e, path, path_len);
    e = ms_put_string(e, (const char *)id, id_len);
    ms_event_end(e);
    return 0;
}

void ms_record_modules(void) {
    if (!exe_path[0]) {
        ssize_t n = readlink("/proc/self/exe", exe_path, sizeof exe_path - 1);
        exe_path[n > 0 ? n : 0] = 0;
    }
    dl_iterate_phdr(record_module, NULL);
}

/* A program image starts: the first one, or a new one after execve. */
void ms_record_image(void) {
    exe_path[0] = 0;
    ms_record_modules();
    size_t len = strnlen(exe_path, MS_MAX_STRING);
    /* The image's command line, as the header holds it (written just before): after an
     * exec the dump names the new program from here on (memscope's `exec` record). At
     * most MS_IMAGE_ARGV_BYTES of it; a longer one is cut and flagged. */
    const uint8_t *area = (const uint8_t *)ms_spool_header() + MS_ARGV_OFFSET;
    uint32_t argv_len, truncated;
    memcpy(&argv_len, area, 4);
    memcpy(&truncated, area + 4, 4);
    if (argv_len > MS_IMAGE_ARGV_BYTES) {
        argv_len = MS_IMAGE_ARGV_BYTES;
        truncated = 1;
    }
    uint8_t *e = ms_event_begin(64 + len + argv_len);
    if (!e) return;
    *e++ = MS_EV_IMAGE;
    e = ms_put(e, ms_now());
    e = ms_put(e, ms_generation);
    e = ms_put_string(e, exe_path, len);
    e = ms_put(e, argv_len);
    memcpy(e, area + 8, argv_len);
    e += argv_len;
    e = ms_put(e, truncated != 0);
    ms_event_end(e);
}

MS_EXPORT void *dlopen(const char *file, int mode) {
    static void *(*real)(const char *, int);
    if (!real) real = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
    void *handle = real(file, mode);
    if (handle && ms_state == MS_ACTIVE && !ms_busy) {
        ms_busy = 1;
        ms_record_modules();
        ms_busy = 0;
    }
    return handle;
}
