// A build scheduler in C++ (make-like): targets are owned by a
// std::unordered_map<int, std::unique_ptr<Target>> keyed by id (buckets reserved up front,
// so the table never rehashes); each target lists the targets that depend on it in a
// std::vector<Target*>. A topological build runs off a std::vector<Target*> work list of
// ready targets (reserved up front, used as a stack): building a target releases its
// dependents. After the build, leaf outputs nobody depends on are pruned (erased from the
// map, which deletes them); the rest go when the graph is deleted. No scan.
#include <cstdio>
#include <memory>
#include <unordered_map>
#include <vector>

struct Target {
    int id;
    int pending = 0;
    int built_order = -1;
    unsigned long stamp = 0;
    std::vector<Target *> dependents;
    explicit Target(int i) : id(i) {}
};

struct Graph {
    std::unordered_map<int, std::unique_ptr<Target>> targets;
    std::vector<Target *> ready;
    int built = 0;
};

__attribute__((noinline)) static Target *add_target(Graph *g, int id) {
    auto t = std::make_unique<Target>(id); // site: target
    Target *raw = t.get();
    g->targets.emplace(id, std::move(t)); // site: map_node
    return raw;
}

__attribute__((noinline)) static void add_dependency(Target *t, Target *dep) {
    dep->dependents.push_back(t); // site: dependents
    t->pending++;
}

__attribute__((noinline)) static void build(Graph *g) {
    for (auto &entry : g->targets)
        if (entry.second->pending == 0) g->ready.push_back(entry.second.get());
    while (!g->ready.empty()) {
        Target *t = g->ready.back();
        g->ready.pop_back();
        t->built_order = g->built++;
        t->stamp = (unsigned long)t->id * 2654435761ul;
        for (Target *d : t->dependents) {
            d->stamp ^= t->stamp;
            if (--d->pending == 0) g->ready.push_back(d);
        }
    }
}

int main() {
    Graph *g = new Graph; // site: graph
    const int n = 1500;
    g->targets.reserve(2000); // site: buckets
    g->ready.reserve(2000); // site: worklist
    unsigned seed = 41;
    for (int id = 0; id < n; id++) {
        Target *t = add_target(g, id * 3 + 1);
        int deps = id < 10 ? 0 : 1 + (int)(seed % 4);
        for (int k = 0; k < deps; k++) {
            seed = seed * 1103515245u + 12345u;
            int other = (int)((seed >> 8) % (unsigned)id);
            add_dependency(t, g->targets.at(other * 3 + 1).get());
        }
    }
    build(g);
    std::vector<int> leaves;
    for (auto &entry : g->targets)
        if (entry.second->dependents.empty()) leaves.push_back(entry.first);
    for (size_t i = 0; i < leaves.size(); i += 2) g->targets.erase(leaves[i]);
    unsigned long stamps = 0;
    for (auto &entry : g->targets) stamps += entry.second->stamp % 1000;
    std::printf("%d %zu %zu %lu\n", g->built, leaves.size(), g->targets.size(), stamps);
    delete g;
    return 0;
}
