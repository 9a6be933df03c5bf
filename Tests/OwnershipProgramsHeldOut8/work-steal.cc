// Work stealing between two worker threads in C++. Each worker (new) holds a mutex and a
// std::list<std::unique_ptr<Task>> queue (the list's sentinel node inline in the worker).
// Main makes every task (std::make_unique; each owns a data vector reserved once) and
// pushes it at the back of a worker's queue (mostly worker 0's), in bursts. A worker
// takes tasks from the front of its own queue (moving the unique_ptr out, then
// pop_front); when its queue is empty it steals the back half of the other worker's
// queue with std::list::splice (the list nodes move from one worker's list to the other,
// nothing is allocated). A worker runs a task, then frees its data (swapped with an empty
// vector) and the task itself on their own lines. So every task, data buffer and list
// node is allocated on main and freed on a worker thread. Output depends only on the
// tasks. No scan.
#include <atomic>
#include <cstdio>
#include <iterator>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

struct Task {
    int id = 0;
    long cost = 0;
    std::vector<long> data;
};

struct Worker {
    std::mutex m;
    std::list<std::unique_ptr<Task>> q;
    long result = 0;
    long ran = 0;
    long stolen = 0;
};

static const int TASKS = 1500;
static std::atomic<bool> producing{true};

__attribute__((noinline)) static std::unique_ptr<Task> make_task(int id) {
    auto t = std::make_unique<Task>(); // site: task
    t->id = id;
    t->cost = 5 + id % 23;
    t->data.reserve((size_t)(8 + id % 24)); // site: task_data
    for (int i = 0; i < 8 + id % 24; i++) t->data.push_back((long)id * 31 + i);
    return t;
}

__attribute__((noinline)) static void enqueue(Worker *w, std::unique_ptr<Task> t) {
    std::lock_guard<std::mutex> g(w->m);
    w->q.push_back(std::move(t)); // site: lnode
}

__attribute__((noinline)) static std::unique_ptr<Task> take_own(Worker *w) {
    std::lock_guard<std::mutex> g(w->m);
    if (w->q.empty()) return nullptr;
    std::unique_ptr<Task> t = std::move(w->q.front());
    w->q.pop_front(); // site: lnode_freed
    return t;
}

__attribute__((noinline)) static long steal_half(Worker *self, Worker *victim) {
    std::scoped_lock g(self->m, victim->m);
    if (!self->q.empty()) return 0; // main pushed in the meantime: no steal, but work to do
    size_t n = victim->q.size();
    if (n == 0) return 0;
    size_t half = (n + 1) / 2;
    auto from = victim->q.end();
    std::advance(from, -(long)half);
    self->q.splice(self->q.end(), victim->q, from, victim->q.end());
    return (long)half;
}

__attribute__((noinline)) static long run(Task *t) {
    long acc = 0;
    for (long r = 0; r < t->cost; r++)
        for (long v : t->data) acc = (acc * 131 + v + r) % 1000003;
    return acc;
}

__attribute__((noinline)) static void finish(std::unique_ptr<Task> t) {
    std::vector<long>().swap(t->data); // site: task_data_freed
    t.reset(); // site: task_freed
}

static void work(Worker *self, Worker *other) {
    for (;;) {
        std::unique_ptr<Task> t = take_own(self);
        if (!t) {
            bool last_chance = !producing.load(std::memory_order_acquire);
            long got = steal_half(self, other);
            self->stolen += got;
            if (got == 0) {
                bool idle;
                {
                    std::lock_guard<std::mutex> g(self->m);
                    idle = self->q.empty();
                }
                if (last_chance && idle) return;
                std::this_thread::yield();
            }
            continue;
        }
        self->result = (self->result + run(t.get()) * (t->id % 7 + 1)) % 1000000007;
        self->ran++;
        finish(std::move(t));
    }
}

int main() {
    Worker *ws[2];
    for (Worker *&w : ws) w = new Worker; // site: worker
    Worker *w0 = ws[0], *w1 = ws[1];
    std::thread a(work, w0, w1);
    std::thread b(work, w1, w0);
    unsigned long rng = 2024;
    for (int id = 0; id < TASKS; id++) {
        rng = rng * 6364136223846793005UL + 1442695040888963407UL;
        std::unique_ptr<Task> t = make_task(id);
        enqueue((rng >> 40) % 8 == 0 ? w1 : w0, std::move(t));
        if (id % 50 == 49) std::this_thread::yield();
    }
    producing.store(false, std::memory_order_release);
    a.join();
    b.join();
    long total = (w0->result + w1->result) % 1000000007;
    std::printf("tasks=%d ran=%ld total=%ld\n", TASKS, w0->ran + w1->ran, total);
    delete w1;
    delete w0;
    return 0;
}
