// C++ timer service: timers (std::make_shared, one block: control block then Timer,
// each owning a long label) are strongly held only by a reserved
// std::vector<std::shared_ptr<Timer>> kept as a binary min-heap by deadline
// (std::push_heap / std::pop_heap). Callers keep cancellation handles: a reserved
// std::vector<std::weak_ptr<Timer>> (one per timer ever armed, never erased). Cancelling
// locks the handle and marks the timer; expiry pops timers off the heap (a cancelled
// one is skipped), which destroys the Timer and its label while its handle's weak count
// keeps the block's memory until the handles are cleared at the end. No scan.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

struct Timer {
    long deadline = 0;
    int id = 0;
    bool cancelled = false;
    std::string label;
};

static unsigned long rng = 99;
static unsigned rnd() {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static bool later(const std::shared_ptr<Timer> &a, const std::shared_ptr<Timer> &b) {
    if (a->deadline != b->deadline) return a->deadline > b->deadline;
    return a->id > b->id;
}

int main() {
    const int ntimers = 1500;
    std::vector<std::shared_ptr<Timer>> heap;
    heap.reserve(ntimers); // site: heap_buf
    std::vector<std::weak_ptr<Timer>> handles;
    handles.reserve(ntimers); // site: handles_buf
    long now = 0, fired = 0, skipped = 0, cancels = 0, stale = 0;
    unsigned long digest = 0;
    char buf[96];
    for (int id = 0; id < ntimers; id++) {
        auto t = std::make_shared<Timer>(); // site: timer
        t->id = id;
        t->deadline = now + 1 + (long)(rnd() % 400);
        std::snprintf(buf, sizeof buf, "retransmit timer %04d for connection %d, backoff step %d", id, id % 37, id % 6);
        t->label.assign(buf); // site: label
        handles.emplace_back(t);
        heap.push_back(std::move(t));
        std::push_heap(heap.begin(), heap.end(), later);
        unsigned r = rnd();
        if (r % 3 == 0) {
            if (auto victim = handles[(r >> 4) % handles.size()].lock()) {
                if (!victim->cancelled) victim->cancelled = true, cancels++;
            } else {
                stale++;
            }
        }
        now += 1;
        while (!heap.empty() && heap.front()->deadline <= now) {
            std::pop_heap(heap.begin(), heap.end(), later);
            if (heap.back()->cancelled)
                skipped++;
            else {
                fired++;
                digest = digest * 31 + heap.back()->label.size() + (unsigned long)heap.back()->id;
            }
            heap.pop_back();
        }
        if (id % 500 == 499) {
            long live = 0;
            for (auto &h : handles) live += !h.expired();
            std::printf("t=%ld: %zu pending, %ld fired, %ld skipped, %ld cancels, %ld stale handles, %ld live handles\n", now, heap.size(), fired, skipped, cancels, stale, live);
        }
    }
    std::printf("digest %lu\n", digest);
    heap.clear();
    handles.clear();
    return 0;
}
