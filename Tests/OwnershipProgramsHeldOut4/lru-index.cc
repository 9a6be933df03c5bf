// A C++ LRU cache in the usual idiom: a std::list<Entry> in recency order (most recent at
// the front) and a std::unordered_map from key to the entry's list iterator (buckets
// reserved up front, so the table never rehashes). A hit splices the entry to the front; a
// miss loads the object (a path string reserved beyond the small-string buffer and a blob
// vector, both built before the entry and moved into it) and, when the cache is full,
// evicts the entry at the back (erasing its index node first). A "hot set" report collects
// pointers to the most recent entries into a local, reserved std::vector. Some keys are
// invalidated mid-way. The cache is allocated with new and deleted at the end (its members
// in reverse order: the index, then the list). No scan.
#include <cstdint>
#include <cstdio>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

struct Entry {
    std::uint64_t key;
    std::string path;
    std::vector<unsigned char> blob;
    long hits = 0;
};

class LruCache {
  public:
    explicit LruCache(size_t capacity) : capacity_(capacity) {
        index_.reserve(capacity * 2); // site: buckets
    }

    const Entry *get(std::uint64_t key) {
        auto found = index_.find(key);
        if (found == index_.end()) {
            misses_++;
            return load(key);
        }
        order_.splice(order_.begin(), order_, found->second);
        found->second->hits++;
        return &*found->second;
    }

    bool invalidate(std::uint64_t key) {
        auto found = index_.find(key);
        if (found == index_.end()) return false;
        auto it = found->second;
        index_.erase(found);
        order_.erase(it);
        return true;
    }

    size_t hot_report() {
        std::vector<const Entry *> hot;
        hot.reserve(16); // site: hot
        for (auto it = order_.begin(); it != order_.end() && hot.size() < 16; ++it) hot.push_back(&*it);
        size_t sum = 0;
        for (const Entry *e : hot) sum += e->path.size() + (size_t)e->hits;
        return sum;
    }

    size_t size() const { return order_.size(); }
    long misses() const { return misses_; }

  private:
    __attribute__((noinline)) static std::string make_path(std::uint64_t key) {
        std::string path;
        path.reserve(48); // site: path
        path += "/var/cache/objects/";
        path += std::to_string(key % 97);
        path += "/object-";
        path += std::to_string(key);
        return path;
    }

    __attribute__((noinline)) static std::vector<unsigned char> make_blob(std::uint64_t key) {
        std::vector<unsigned char> blob(64 + key % 192); // site: blob
        for (size_t i = 0; i < blob.size(); i++) blob[i] = (unsigned char)(key + i);
        return blob;
    }

    const Entry *load(std::uint64_t key) {
        if (order_.size() == capacity_) {
            index_.erase(order_.back().key);
            order_.pop_back();
        }
        std::string path = make_path(key);
        std::vector<unsigned char> blob = make_blob(key);
        order_.push_front(Entry{key, std::move(path), std::move(blob)}); // site: list_node
        index_.emplace(key, order_.begin()); // site: map_node
        return &order_.front();
    }

    size_t capacity_;
    std::list<Entry> order_;
    std::unordered_map<std::uint64_t, std::list<Entry>::iterator> index_;
    long misses_ = 0;
};

int main() {
    LruCache *cache = new LruCache(300); // site: cache
    std::uint64_t seed = 99;
    unsigned long sum = 0;
    size_t hot = 0, dropped = 0;
    for (int i = 0; i < 20000; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        std::uint64_t r = seed >> 33;
        std::uint64_t key = r % 4 ? r % 400 : 400 + r % 2000;
        const Entry *e = cache->get(key);
        sum += e->blob[key % e->blob.size()] + e->path.size();
        if (i % 500 == 0) hot += cache->hot_report();
        if (i % 7 == 0 && cache->invalidate((r >> 3) % 400)) dropped++;
    }
    std::printf("%lu %zu %zu %ld %zu\n", sum, hot, dropped, cache->misses(), cache->size());
    delete cache;
    return 0;
}
