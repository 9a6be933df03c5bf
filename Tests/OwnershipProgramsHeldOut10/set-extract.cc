// C++ warehouse shelves as two std::set<std::unique_ptr<Item>, ByKey> (an active set
// and an archive) held inline in a make_unique'd Store. Items (make_unique) own a long
// name string. Items are added to the active set, moved to the archive and back with
// extract()/insert(node_handle) (the red-black tree node, holding the unique_ptr, moves
// between the sets: no allocation, no free), and erased from the archive (node and
// item freed). The store is destroyed at the end. No scan.
#include <cstdio>
#include <iterator>
#include <memory>
#include <set>
#include <string>

struct Item {
    int key = 0;
    int qty = 0;
    std::string name;
};

struct ByKey {
    bool operator()(const std::unique_ptr<Item> &a, const std::unique_ptr<Item> &b) const { return a->key < b->key; }
};

using Shelf = std::set<std::unique_ptr<Item>, ByKey>;

struct Store {
    Shelf active, archive;
    int next_key = 0;
};

static unsigned long rng = 1234567;
static unsigned rnd() {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static void add(Store &s) {
    auto it = std::make_unique<Item>(); // site: item
    it->key = s.next_key++ * 7 % 10007;
    it->qty = (int)(rnd() % 100);
    char buf[64];
    std::snprintf(buf, sizeof buf, "pallet %05d of assorted hardware", it->key);
    it->name.assign(buf); // site: name
    s.active.insert(std::move(it)); // site: set_node
}

static void move_one(Shelf &from, Shelf &to) {
    auto pos = std::next(from.begin(), (long)(rnd() % from.size()));
    auto nh = from.extract(pos);
    nh.value()->qty += 1;
    to.insert(std::move(nh));
}

int main() {
    auto store = std::make_unique<Store>(); // site: store
    long sum = 0;
    int erased = 0;
    for (int step = 0; step < 6000; step++) {
        unsigned r = rnd() % 10;
        if (r < 4 || store->active.size() < 10)
            add(*store);
        else if (r < 7)
            move_one(store->active, store->archive);
        else if (r < 8 && !store->archive.empty())
            move_one(store->archive, store->active);
        else if (!store->archive.empty()) {
            auto pos = std::next(store->archive.begin(), (long)(rnd() % store->archive.size()));
            sum += (*pos)->qty + (long)(*pos)->name.size();
            store->archive.erase(pos);
            erased++;
        }
        if (step % 1500 == 1499) {
            long q = 0;
            for (const auto &p : store->active) q += p->qty;
            std::printf("step %d: %zu active (qty %ld), %zu archived, %d erased, sum %ld\n", step + 1,
                        store->active.size(), q, store->archive.size(), erased, sum);
        }
    }
    store.reset();
    return 0;
}
