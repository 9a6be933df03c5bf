// Threaded C++ result slots: a make_unique'd Hub holds a make_unique'd array of 96
// std::atomic<Result*> slots. Four std::thread workers each compute every fourth result
// (a make_unique'd Result with a long label reserved for 40 and a histogram vector
// reserved for 16) and publish it by storing the released pointer into its slot
// (release). Main takes the results in slot order as they appear (exchange with
// nullptr, acquire; yielding while a slot is empty), folds them into a checksum and
// frees the label, the histogram and the result. Results, labels and histograms go
// from the workers to main. No scan.
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

constexpr int NSLOT = 96;
constexpr int NWORK = 4;

struct Result {
    int index = 0;
    int worker = 0;
    std::string label;
    std::vector<int> hist;
};

struct Hub {
    std::unique_ptr<std::atomic<Result *>[]> slots;
};

static void work(Hub *hub, int id) {
    for (int i = id; i < NSLOT; i += NWORK) {
        auto r = std::make_unique<Result>(); // site: result
        r->index = i;
        r->worker = id;
        r->label.reserve(40); // site: label
        char buf[64];
        std::snprintf(buf, sizeof buf, "histogram of block %02d by worker %d", i, id);
        r->label.assign(buf);
        r->hist.reserve(16); // site: hist
        for (int b = 0; b < 16; b++) r->hist.push_back((i * 7 + b * b * 3) % 23);
        hub->slots[i].store(r.release(), std::memory_order_release);
    }
}

int main() {
    auto hub = std::make_unique<Hub>(); // site: hub
    hub->slots = std::make_unique<std::atomic<Result *>[]>(NSLOT); // site: slots
    for (int i = 0; i < NSLOT; i++) hub->slots[i].store(nullptr);
    std::vector<std::thread> workers;
    workers.reserve(NWORK);
    for (int w = 0; w < NWORK; w++) workers.emplace_back(work, hub.get(), w);
    unsigned long sum = 0;
    size_t label_chars = 0;
    for (int i = 0; i < NSLOT; i++) {
        Result *p;
        while ((p = hub->slots[i].exchange(nullptr, std::memory_order_acquire)) == nullptr) std::this_thread::yield();
        std::unique_ptr<Result> r(p);
        for (int v : r->hist) sum = sum * 5 + static_cast<unsigned long>(v);
        sum = sum * 3 + static_cast<unsigned long>(r->worker + r->index);
        label_chars += r->label.size();
        std::string().swap(r->label); // site: label_freed
        std::vector<int>().swap(r->hist); // site: hist_freed
        r.reset(); // site: result_freed
    }
    for (auto &t : workers) t.join();
    std::printf("results %d label chars %zu checksum %lu\n", NSLOT, label_chars, sum % 1000000007ul);
    return 0;
}
