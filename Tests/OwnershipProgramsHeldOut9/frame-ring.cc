// C++ bounded ring of frames between a producer thread and main. The ring
// (make_unique; mutex, two condition variables and eight std::unique_ptr<Frame> slots
// inline) owns the frames in it; the producer makes 3000 frames, each owning a pixel
// vector reserved to its size, and blocks while the ring is full; main pops frames,
// sums them and destroys the pixels and the frame explicitly. Every frame and pixel
// buffer is allocated on the producer and freed on main. No scan.
#include <array>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

constexpr int FRAMES = 3000;
constexpr size_t SLOTS = 8;

struct Frame {
    int seq = 0;
    std::vector<int> pixels;
};

struct Ring {
    std::mutex m;
    std::condition_variable not_empty, not_full;
    std::array<std::unique_ptr<Frame>, SLOTS> slots;
    size_t head = 0, count = 0;
};

static void produce(Ring *r) {
    for (int i = 0; i < FRAMES; i++) {
        auto f = std::make_unique<Frame>(); // site: frame
        f->seq = i;
        size_t n = 16 + (size_t)(i % 48);
        f->pixels.reserve(n); // site: pixels
        for (size_t k = 0; k < n; k++) f->pixels.push_back((int)((k * 7 + (size_t)i) % 256));
        std::unique_lock<std::mutex> lk(r->m);
        r->not_full.wait(lk, [r] { return r->count < SLOTS; });
        r->slots[(r->head + r->count) % SLOTS] = std::move(f);
        r->count++;
        r->not_empty.notify_one();
    }
}

int main() {
    auto ring = std::make_unique<Ring>(); // site: ring
    std::thread producer(produce, ring.get());
    long sum = 0, last = -1, in_order = 0;
    for (int got = 0; got < FRAMES; got++) {
        std::unique_ptr<Frame> f;
        {
            std::unique_lock<std::mutex> lk(ring->m);
            ring->not_empty.wait(lk, [&] { return ring->count > 0; });
            f = std::move(ring->slots[ring->head]);
            ring->head = (ring->head + 1) % SLOTS;
            ring->count--;
            ring->not_full.notify_one();
        }
        for (int p : f->pixels) sum += p;
        in_order += f->seq == last + 1;
        last = f->seq;
        std::vector<int>().swap(f->pixels); // site: pixels_freed
        f.reset(); // site: frame_freed
    }
    producer.join();
    std::printf("frames %d, in order %ld, pixel sum %ld\n", FRAMES, in_order, sum);
    return 0;
}
