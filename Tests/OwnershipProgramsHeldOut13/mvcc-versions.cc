// A multi-version key-value store: a boxed Store holds a sorted flat map, a
// std::vector<std::pair<int, std::unique_ptr<Version>>> (no reserve: its buffer is
// replaced as it grows), whose entries own the newest version of each key; each version
// owns its value (long, reserved) and the next older version. Reads at a snapshot walk
// the chain; garbage collection cuts every chain below the oldest live snapshot and
// erases keys whose newest version is an old tombstone. No scan.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

struct Version {
    long txn = 0;
    bool tombstone = false;
    std::string value;
    std::unique_ptr<Version> older;
};

using Row = std::pair<int, std::unique_ptr<Version>>;

struct Store {
    std::vector<Row> rows;
    long txn = 0;
};

static unsigned long seed = 8086;
static unsigned rnd() {
    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
    return unsigned(seed >> 33);
}

static std::vector<Row>::iterator find_row(Store &s, int key) {
    return std::lower_bound(s.rows.begin(), s.rows.end(), key, [](const Row &r, int k) { return r.first < k; });
}

static void put(Store &s, int key, bool tombstone) {
    auto v = std::make_unique<Version>(); // site: version
    v->txn = ++s.txn;
    v->tombstone = tombstone;
    if (!tombstone) {
        v->value.reserve(64); // site: value
        v->value += "customer #";
        v->value += std::to_string(key);
        v->value += " balance ";
        v->value += std::to_string(rnd() % 100000);
        v->value += " at txn ";
        v->value += std::to_string(s.txn);
    }
    auto it = find_row(s, key);
    if (it != s.rows.end() && it->first == key) {
        v->older = std::move(it->second);
        it->second = std::move(v);
    } else {
        s.rows.insert(it, Row(key, std::move(v))); // site: rows_buf
    }
}

static const Version *read(Store &s, int key, long snap) {
    auto it = find_row(s, key);
    if (it == s.rows.end() || it->first != key) return nullptr;
    const Version *v = it->second.get();
    while (v && v->txn > snap) v = v->older.get();
    return v && !v->tombstone ? v : nullptr;
}

static long collect(Store &s, long horizon) {
    long cut = 0;
    for (auto &r : s.rows) {
        Version *v = r.second.get();
        while (v && v->txn > horizon) v = v->older.get();
        if (v && v->older) {
            for (Version *o = v->older.get(); o; o = o->older.get()) cut++;
            v->older.reset();
        }
    }
    auto dead = std::remove_if(s.rows.begin(), s.rows.end(), [&](const Row &r) { return r.second->tombstone && r.second->txn <= horizon && !r.second->older; });
    cut += long(s.rows.end() - dead);
    s.rows.erase(dead, s.rows.end());
    return cut;
}

int main() {
    auto store = std::make_unique<Store>(); // site: store
    std::vector<long> snaps;
    long found = 0, bytes = 0, cut = 0;
    for (int step = 0; step < 4000; step++) {
        int key = int(rnd() % 400);
        unsigned op = rnd() % 10;
        if (op < 6) put(*store, key, false);
        else if (op < 7) put(*store, key, true);
        else {
            long snap = snaps.empty() ? store->txn : snaps[rnd() % snaps.size()];
            if (const Version *v = read(*store, key, snap)) { found++; bytes += long(v->value.size()); }
        }
        if (step % 250 == 249) {
            snaps.push_back(store->txn);
            if (snaps.size() > 3) snaps.erase(snaps.begin());
            cut += collect(*store, snaps.front());
        }
    }
    long versions = 0;
    for (auto &r : store->rows)
        for (const Version *v = r.second.get(); v; v = v->older.get()) versions++;
    std::printf("keys %zu, versions %ld, collected %ld, reads %ld (%ld bytes)\n", store->rows.size(), versions, cut, found, bytes);
    return 0;
}
