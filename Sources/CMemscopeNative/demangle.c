#include "memscope_native.h"

#include <libiberty/demangle.h>
#include <stddef.h>
#include <string.h>

/* From the Swift runtime (libswiftCore), which memscope links anyway. */
extern char *swift_demangle(const char *mangled, size_t length, char *buffer, size_t *size, uint32_t flags);

static int is_swift(const char *name) {
    return strncmp(name, "$s", 2) == 0 || strncmp(name, "_$s", 3) == 0 || strncmp(name, "$S", 2) == 0 ||
           strncmp(name, "_$S", 3) == 0 || strncmp(name, "_T0", 3) == 0 || strncmp(name, "$e", 2) == 0 ||
           strncmp(name, "_$e", 3) == 0;
}

char *ms_demangle(const char *name) {
    if (!name) return NULL;
    if (is_swift(name)) return swift_demangle(name, strlen(name), NULL, NULL, 0);
    if (strncmp(name, "_Z", 2) == 0 || strncmp(name, "_R", 2) == 0)
        return cplus_demangle(name, DMGL_PARAMS | DMGL_ANSI | DMGL_AUTO);
    return NULL;
}
