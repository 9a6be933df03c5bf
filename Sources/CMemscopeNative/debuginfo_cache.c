/* A disk cache of debug files with their DWARF sections inflated.
 *
 * Distributions ship debug files with compressed sections (SHF_COMPRESSED, e.g.
 * Debian's libc6-dbg), and libdw inflates a section whole the first time it reads
 * it: about 35-45 ms of CPU for Debian's libc, paid by every recording whose stacks
 * pass through libc, however short the program. The first recording that needs such
 * a file writes an inflated copy (same ELF, same build id, sections uncompressed;
 * 10 MB for that libc) to `<cache>/debuginfo/<build id>.debug`; later recordings read
 * that copy, which the page cache usually holds, before any other place is searched
 * (the first one still inflates the original: libdwfl's own search has already opened
 * it by then). Copies are written to a temporary
 * name and renamed, so a reader never sees half a file, and checked before use (an
 * ELF file with the module's build id and no compressed section), so a damaged or
 * foreign copy is ignored, never trusted.
 *
 * <cache> is $MEMSCOPE_CACHE_DIR, else $XDG_CACHE_HOME/memscope, else
 * ~/.cache/memscope. MEMSCOPE_CACHE_DIR=off (or empty) turns the cache off. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "symbolize_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

/* The cache's debuginfo directory into `path`; false when the cache is off. */
static bool cache_directory(char *path, size_t size) {
    const char *own = getenv("MEMSCOPE_CACHE_DIR");
    int n;
    if (own) {
        if (!own[0] || strcmp(own, "off") == 0) return false;
        n = snprintf(path, size, "%s/debuginfo", own);
    } else if (getenv("XDG_CACHE_HOME") && getenv("XDG_CACHE_HOME")[0]) {
        n = snprintf(path, size, "%s/memscope/debuginfo", getenv("XDG_CACHE_HOME"));
    } else if (getenv("HOME") && getenv("HOME")[0]) {
        n = snprintf(path, size, "%s/.cache/memscope/debuginfo", getenv("HOME"));
    } else {
        return false;
    }
    return n > 0 && (size_t)n < size;
}

/* mkdir -p, the directories it makes private to the user. */
static bool make_directories(char *path) {
    for (char *slash = strchr(path + 1, '/');; slash = strchr(slash + 1, '/')) {
        if (slash) *slash = '\0';
        bool made = mkdir(path, 0700) == 0 || errno == EEXIST;
        if (slash) *slash = '/';
        if (!made) return false;
        if (!slash) return true;
    }
}

/* Whether the ELF file `elf` has a compressed section whose name starts with .debug_. */
static bool has_compressed_debug_sections(Elf *elf) {
    size_t names;
    if (elf_getshdrstrndx(elf, &names) != 0) return false;
    for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));) {
        GElf_Shdr header;
        const char *name;
        if (gelf_getshdr(scn, &header) && (header.sh_flags & SHF_COMPRESSED) &&
            (name = elf_strptr(elf, names, header.sh_name)) && strncmp(name, ".debug_", 7) == 0)
            return true;
    }
    return false;
}

/* Whether `fd` is a whole ELF file with build id `bits`, a .debug_info section and no
 * compressed debug section: its section header table and every section's bytes lie
 * within the file (a copy cut short, say by a full disk, is refused). */
static bool is_inflated_copy(int fd, const unsigned char *bits, int length) {
    struct stat info;
    if (fstat(fd, &info) != 0) return false;
    uint64_t size = (uint64_t)info.st_size;
    Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
    if (!elf) return false;
    GElf_Ehdr ehdr;
    size_t names, count;
    bool good = elf_kind(elf) == ELF_K_ELF && ms_elf_has_build_id(elf, bits, length) &&
                gelf_getehdr(elf, &ehdr) && elf_getshdrnum(elf, &count) == 0 && elf_getshdrstrndx(elf, &names) == 0 &&
                ehdr.e_shoff + (uint64_t)count * ehdr.e_shentsize <= size;
    bool has_info = false;
    for (Elf_Scn *scn = NULL; good && (scn = elf_nextscn(elf, scn));) {
        GElf_Shdr header;
        const char *name;
        good = gelf_getshdr(scn, &header) && (name = elf_strptr(elf, names, header.sh_name)) &&
               (header.sh_type == SHT_NOBITS || header.sh_offset + header.sh_size <= size);
        if (!good) break;
        bool debug = strncmp(name, ".debug_", 7) == 0;
        if (debug && (header.sh_flags & SHF_COMPRESSED)) good = false;
        if (strcmp(name, ".debug_info") == 0 && header.sh_type == SHT_PROGBITS) has_info = true;
    }
    elf_end(elf);
    return good && has_info;
}

/* Writes to `copy` the file open at `fd` with every compressed section inflated. */
static bool write_inflated_copy(int fd, const char *copy) {
    struct stat info;
    if (fstat(fd, &info) != 0) return false;
    int out = open(copy, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) return false;
    bool done = true;
    for (off_t offset = 0; done && offset < info.st_size;) {
        ssize_t n = sendfile(out, fd, &offset, (size_t)(info.st_size - offset));
        done = n > 0;
    }
    Elf *elf = done ? elf_begin(out, ELF_C_RDWR, NULL) : NULL;
    done = elf != NULL;
    for (Elf_Scn *scn = NULL; done && (scn = elf_nextscn(elf, scn));) {
        GElf_Shdr header;
        if (gelf_getshdr(scn, &header) && (header.sh_flags & SHF_COMPRESSED)) done = elf_compress(scn, 0, 0) >= 0;
    }
    done = done && elf_update(elf, ELF_C_WRITE) >= 0;
    if (elf) elf_end(elf);
    done = close(out) == 0 && done;
    if (!done) unlink(copy);
    return done;
}

/* The module's build id (`*bits`, `*length` bytes) and the path of its copy in the cache
 * into `path`; false without a build id or with the cache off. */
static bool copy_path(Dwfl_Module *mod, char *directory, size_t directory_size, char *path, size_t path_size,
                      const unsigned char **bits, int *length) {
    GElf_Addr vaddr;
    *length = dwfl_module_build_id(mod, bits, &vaddr);
    if (*length <= 0 || *length > 64 || !cache_directory(directory, directory_size)) return false;
    char hex[2 * 64 + 1];
    ms_to_hex(*bits, (size_t)*length, hex);
    int n = snprintf(path, path_size, "%s/%s.debug", directory, hex);
    return n > 0 && (size_t)n < path_size;
}

int ms_cached_debuginfo(Dwfl_Module *mod, char **file_name) {
    char directory[4096], path[4096 + 160];
    const unsigned char *bits;
    int length;
    if (!copy_path(mod, directory, sizeof directory, path, sizeof path, &bits, &length)) return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char *name = strdup(path);
    if (!name || !is_inflated_copy(fd, bits, length)) {
        free(name);
        close(fd);
        return -1;
    }
    *file_name = name;
    return fd;
}

void ms_cache_debuginfo(Dwfl_Module *mod, int fd) {
    char directory[4096], path[4096 + 160], temporary[4096 + 240];
    const unsigned char *bits;
    int length;
    if (!copy_path(mod, directory, sizeof directory, path, sizeof path, &bits, &length)) return;
    Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
    bool compressed = elf && has_compressed_debug_sections(elf);
    if (elf) elf_end(elf);
    /* Reached when the cache had no usable copy: a missing one, or one that failed the
     * check (damaged, foreign), which the new copy replaces. */
    if (!compressed || !make_directories(directory)) return;
    int n = snprintf(temporary, sizeof temporary, "%s.%d.%ld.tmp", path, (int)getpid(), (long)gettid());
    if (n <= 0 || (size_t)n >= sizeof temporary || !write_inflated_copy(fd, temporary)) return;
    if (rename(temporary, path) != 0) unlink(temporary);
}
