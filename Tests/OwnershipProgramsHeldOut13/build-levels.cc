// Threaded build graph: main creates 5 levels of 24 targets (make_unique, in a reserved
// vector); a target of level L > 0 depends on 1 to 3 targets of level L - 1 (raw
// pointers in a reserved deps vector). Each level is built by three std::threads
// (target i of the level goes to worker i % 3); a worker makes an Artifact (make_unique)
// with a long path, a reserved blob of bytes and a reserved vector of pointers to its
// inputs' artifacts, and stores it in the target's unique_ptr. Main joins after each
// level and frees everything at the end: artifacts and their buffers go from the
// workers to main. No scan.
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

struct Artifact {
    std::string path;
    std::vector<unsigned char> blob;
    std::vector<const Artifact *> inputs;
};

struct Target {
    int id = 0, level = 0;
    std::vector<Target *> deps;
    std::unique_ptr<Artifact> out;
};

static void build(Target *t) {
    auto a = std::make_unique<Artifact>(); // site: artifact
    a->path.reserve(64); // site: path
    a->path += "out/level";
    a->path += std::to_string(t->level);
    a->path += "/target-";
    a->path += std::to_string(t->id);
    a->path += ".o";
    if (!t->deps.empty()) a->inputs.reserve(t->deps.size()); // site: inputs
    unsigned h = unsigned(t->id) * 2654435761u;
    for (Target *d : t->deps) {
        a->inputs.push_back(d->out.get());
        for (unsigned char c : d->out->blob) h = (h ^ c) * 16777619u;
    }
    a->blob.reserve(200); // site: blob
    for (int i = 0; i < 200; i++) {
        h = h * 1103515245u + 12345u;
        a->blob.push_back((unsigned char)(h >> 16));
    }
    t->out = std::move(a);
}

int main() {
    const int levels = 5, width = 24;
    std::vector<std::unique_ptr<Target>> targets;
    targets.reserve(levels * width); // site: targets_buf
    unsigned long seed = 1999;
    for (int l = 0; l < levels; l++)
        for (int i = 0; i < width; i++) {
            auto t = std::make_unique<Target>(); // site: target
            t->id = l * width + i;
            t->level = l;
            if (l > 0) {
                t->deps.reserve(3); // site: deps
                int n = 1 + int(seed % 3);
                for (int k = 0; k < n; k++) {
                    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
                    t->deps.push_back(targets[size_t((l - 1) * width + int((seed >> 33) % width))].get());
                }
            }
            targets.push_back(std::move(t));
        }
    for (int l = 0; l < levels; l++) {
        std::vector<std::thread> workers;
        for (int w = 0; w < 3; w++)
            workers.emplace_back([&targets, l, w] {
                for (int i = w; i < 24; i += 3) build(targets[size_t(l * 24 + i)].get());
            });
        for (auto &th : workers) th.join();
    }
    unsigned long sum = 0;
    size_t inputs = 0;
    for (auto &t : targets) {
        inputs += t->out->inputs.size();
        if (t->level == levels - 1)
            for (unsigned char c : t->out->blob) sum = sum * 31 + c;
    }
    std::printf("%zu targets, %zu inputs, last path %s, checksum %lu\n", targets.size(), inputs, targets.back()->out->path.c_str(), sum);
    for (auto &t : targets) {
        std::vector<const Artifact *>().swap(t->out->inputs); // site: inputs_freed
        std::vector<unsigned char>().swap(t->out->blob); // site: blob_freed
        std::string().swap(t->out->path); // site: path_freed
        t->out.reset(); // site: artifact_freed
    }
    return 0;
}
