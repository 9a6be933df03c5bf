// Threaded C++ shard-and-merge: three worker threads each build a local
// std::vector<std::unique_ptr<Rec>> (reserved to its final size), records owning long
// name strings, and move the vector into their slot of a shared std::vector of shards
// (sized once on main) under a mutex: the buffer itself changes hands, nothing is
// copied. After joining, main moves every record into one merged vector (reserved for
// all), frees the emptied shard buffers, sorts the merged records by key and frees each
// name and record explicitly. Records, names and shard buffers are allocated on the
// workers and freed on main. No scan.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

constexpr int WORKERS = 3;
constexpr int PER = 700;

struct Rec {
    int key = 0;
    int shard = 0;
    std::string name;
};

using Shard = std::vector<std::unique_ptr<Rec>>;

static void work(int id, std::vector<Shard> *shards, std::mutex *m) {
    Shard local;
    local.reserve(PER); // site: shard_buf
    unsigned long x = 1000 + (unsigned long)id;
    for (int i = 0; i < PER; i++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        auto r = std::make_unique<Rec>(); // site: rec
        r->key = (int)((x >> 33) % 100000);
        r->shard = id;
        char buf[64];
        std::snprintf(buf, sizeof buf, "record %d from shard %d with key %06d", i, id, r->key);
        r->name.assign(buf); // site: rec_name
        local.push_back(std::move(r));
    }
    std::lock_guard<std::mutex> lk(*m);
    (*shards)[(size_t)id] = std::move(local);
}

int main() {
    std::vector<Shard> shards(WORKERS); // site: shards
    std::mutex m;
    std::vector<std::thread> threads;
    threads.reserve(WORKERS); // site: threads_buf
    for (int i = 0; i < WORKERS; i++) threads.emplace_back(work, i, &shards, &m);
    for (auto &t : threads) t.join();
    std::vector<std::unique_ptr<Rec>> merged;
    merged.reserve(WORKERS * PER); // site: merged
    for (auto &s : shards) {
        for (auto &r : s) merged.push_back(std::move(r));
        Shard().swap(s); // site: shard_buf_freed
    }
    std::sort(merged.begin(), merged.end(), [](const auto &a, const auto &b) {
        return a->key != b->key ? a->key < b->key : a->shard < b->shard;
    });
    long check = 0;
    for (size_t i = 0; i < merged.size(); i++) {
        auto &r = merged[i];
        if (i < 2 || i + 1 == merged.size()) std::printf("%s\n", r->name.c_str());
        check += (long)r->name.size() * (long)(i % 7) + r->key;
        std::string().swap(r->name); // site: rec_name_freed
        r.reset(); // site: rec_freed
    }
    std::printf("merged %zu records, check %ld\n", merged.size(), check);
    return 0;
}
