/* A host that loads four plugins one after another and keeps them loaded, as CPython loads
 * its extension modules: each plugin allocates when it is loaded, and again after the
 * later plugins were loaded (from an address the recorder sees only then).
 * Built twice from this file: the host, and with -shared -fPIC -DPLUGIN=N the plugins
 * libplugin-N.so (N = 1…4), whose functions are named after N. The host waits 100 ms after
 * each call, so that `memscope record` writes the dump's frames while the libraries load. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef PLUGIN
#define JOIN(a, b) a##b
#define NAMED(a, b) JOIN(a, b)
__attribute__((noinline)) void *NAMED(plugin_early, PLUGIN)(void) { return malloc(100 + PLUGIN); }
__attribute__((noinline)) void *NAMED(plugin_late, PLUGIN)(void) { return calloc(1, 200 + PLUGIN); }
#else
int main(int argc, char **argv) {
    void *libraries[8];
    int count = argc - 1 < 8 ? argc - 1 : 8;
    for (int i = 0; i < count; i++) {
        libraries[i] = dlopen(argv[i + 1], RTLD_NOW);
        if (!libraries[i]) { fprintf(stderr, "%s\n", dlerror()); return 1; }
        char name[32];
        snprintf(name, sizeof name, "plugin_early%d", i + 1);
        void *(*early)(void) = (void *(*)(void))dlsym(libraries[i], name);
        if (!early) { fprintf(stderr, "no %s\n", name); return 1; }
        free(early());
        usleep(100000);
    }
    for (int i = 0; i < count; i++) {
        char name[32];
        snprintf(name, sizeof name, "plugin_late%d", i + 1);
        void *(*late)(void) = (void *(*)(void))dlsym(libraries[i], name);
        if (!late) { fprintf(stderr, "no %s\n", name); return 1; }
        free(late());
        usleep(100000);
    }
    for (int i = 0; i < count; i++) dlclose(libraries[i]);
    return 0;
}
#endif
