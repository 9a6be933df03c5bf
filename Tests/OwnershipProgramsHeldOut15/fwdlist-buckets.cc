// Include-file cache as a chained hash table of std::forward_list buckets: a
// make_unique'd Table holds a std::vector of 32 forward_lists (reserved, resized once,
// never reallocated); each list node holds an Entry inline (a long path string reserved
// for 48 and a long include-guard string reserved for 40). New entries go to the front
// of their bucket (emplace_front); stale entries are removed with remove_if and
// erase_after. A reserved std::vector<Entry*> of recently used entries points into the
// list nodes; it is cleared before every removal pass. No scan.
#include <cstdio>
#include <forward_list>
#include <memory>
#include <string>
#include <vector>

struct Entry {
    std::string path;
    std::string guard;
    int hits = 0;
    int gen = 0;
};

struct Table {
    std::vector<std::forward_list<Entry>> buckets;
    std::vector<Entry *> recent;
    int size = 0;
};

static unsigned hash_str(const std::string &s) {
    unsigned h = 2166136261u;
    for (unsigned char c : s) h = (h ^ c) * 16777619u;
    return h;
}

static Entry *lookup(Table &t, const std::string &path, int gen) {
    auto &b = t.buckets[hash_str(path) % t.buckets.size()];
    for (auto &e : b)
        if (e.path == path) { e.hits++; e.gen = gen; return &e; }
    Entry &e = b.emplace_front(); // site: fnode
    e.path.reserve(48); // site: path
    e.path.assign(path);
    e.guard.reserve(40); // site: guard
    char buf[40];
    std::snprintf(buf, sizeof buf, "INCLUDE_GUARD_%08X_H", hash_str(path));
    e.guard.assign(buf);
    e.gen = gen;
    t.size++;
    return &e;
}

int main() {
    auto t = std::make_unique<Table>(); // site: table
    t->buckets.reserve(32); // site: buckets
    t->buckets.resize(32);
    t->recent.reserve(16); // site: recent
    unsigned long sum = 0;
    int removed = 0;
    char path[64];
    for (int gen = 1; gen <= 12; gen++) {
        for (int i = 0; i < 40; i++) {
            int f = (i * 7 + gen * 13) % 90;
            std::snprintf(path, sizeof path, "/usr/include/project/module%02d/header%03d.h", f % 11, f);
            Entry *e = lookup(*t, path, gen);
            if (t->recent.size() == 16) t->recent.erase(t->recent.begin());
            t->recent.push_back(e);
        }
        for (Entry *e : t->recent) sum = sum * 3 + e->path.size() + static_cast<unsigned long>(e->hits);
        if (gen % 3 == 0) {
            t->recent.clear();
            for (auto &b : t->buckets) {
                if (!b.empty() && b.front().gen < gen - 1 && b.front().hits % 2 == 0) {
                    b.pop_front();
                    removed++;
                    t->size--;
                }
                auto prev = b.before_begin();
                for (auto it = b.begin(); it != b.end();) {
                    if (it->gen < gen - 2) { it = b.erase_after(prev); removed++; t->size--; }
                    else { prev = it; ++it; }
                }
            }
        }
    }
    unsigned long g = 0;
    for (auto &b : t->buckets)
        for (auto &e : b) g = g * 31 + hash_str(e.guard) % 1000;
    std::printf("entries %d removed %d checksum %lu guards %lu\n", t->size, removed, sum % 1000000007ul, g % 1000003);
    return 0;
}
