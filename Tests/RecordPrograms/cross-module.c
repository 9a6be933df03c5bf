/* FFI-style hand-offs between the program and libhandoff.so (built by the tests):
 *   - a 32-byte block allocated by the library, freed by the program;
 *   - a 48-byte block allocated by the program, freed by the library;
 *   - a 24-byte block allocated by the library and reallocated to 40 bytes by the
 *     program, then leaked;
 *   - a 16-byte block allocated by the library whose only pointer is in a 64-byte
 *     block the program allocated; both leak (the holder is definitely lost, the
 *     library's block indirectly lost).
 * No stdio, so memcheck's figures are not disturbed by the C library's buffers. */
#include <stdlib.h>

void *lib_make(size_t size);
void lib_release(void *p);

void *volatile kept;

int main(void) {
    char *from_library = lib_make(32);
    free(from_library);
    char *from_program = malloc(48);
    lib_release(from_program);
    kept = realloc(lib_make(24), 40);
    void **holder = malloc(64);
    holder[0] = lib_make(16);
    holder = NULL;
    return 0;
}
