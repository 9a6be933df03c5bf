// A C++ plugin registry: the registry (allocated with new) owns its plugins through a
// std::vector<std::unique_ptr<Plugin>> (reserved up front, never grown) and keeps a
// std::map<std::string, Plugin*> index by name beside it (names are short: no string
// allocation). A plugin owns a std::vector<double> of weights and points back at its
// registry. Mid-way some plugins are unloaded (erased from the index, then from the
// vector, which deletes them). At the end the registry is deleted: its members go in
// reverse order, the index first, then the vector of plugins. No scan.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct Registry;

struct Plugin {
    std::string name;
    std::vector<double> weights;
    Registry *owner;
    long calls = 0;
    Plugin(const std::string &n, size_t count, Registry *r)
        : name(n), weights(count, 0.25), owner(r) {} // site: weights
};

struct Registry {
    std::vector<std::unique_ptr<Plugin>> plugins;
    std::map<std::string, Plugin *> by_name;
    long version = 0;
};

__attribute__((noinline)) static void load(Registry *reg, int i) {
    char name[16];
    std::snprintf(name, sizeof name, "plug-%04d", i);
    Plugin *p = new Plugin(name, 16 + (size_t)(i % 48), reg); // site: plugin
    reg->plugins.emplace_back(p);
    reg->by_name.emplace(p->name, p); // site: index_node
    reg->version++;
}

__attribute__((noinline)) static void unload(Registry *reg, const std::string &name) {
    auto found = reg->by_name.find(name);
    if (found == reg->by_name.end()) return;
    Plugin *p = found->second;
    reg->by_name.erase(found);
    for (auto it = reg->plugins.begin(); it != reg->plugins.end(); ++it) {
        if (it->get() == p) {
            reg->plugins.erase(it);
            break;
        }
    }
    reg->version++;
}

__attribute__((noinline)) static double call(Registry *reg, const std::string &name) {
    auto found = reg->by_name.find(name);
    if (found == reg->by_name.end()) return 0;
    Plugin *p = found->second;
    p->calls++;
    double sum = 0;
    for (double w : p->weights) sum += w;
    return sum + (double)p->owner->version;
}

int main() {
    Registry *reg = new Registry; // site: registry
    reg->plugins.reserve(700); // site: plugins
    std::srand(8);
    for (int i = 0; i < 700; i++) load(reg, (i * 7919) % 10000);
    double total = 0;
    char name[16];
    for (int k = 0; k < 3000; k++) {
        std::snprintf(name, sizeof name, "plug-%04d", (std::rand() % 700 * 7919) % 10000);
        total += call(reg, name);
        if (k % 20 == 0) {
            std::snprintf(name, sizeof name, "plug-%04d", (std::rand() % 700 * 7919) % 10000);
            unload(reg, name);
        }
    }
    std::printf("%.1f %zu %zu\n", total, reg->plugins.size(), reg->by_name.size());
    delete reg;
    return 0;
}
