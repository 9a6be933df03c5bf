// A video capture pipeline in C++ with two lock-free single-producer single-consumer
// rings (atomic head and tail indices over a fixed array of std::unique_ptr slots): the
// main thread captures frames (std::make_unique<Frame>, a pixel std::vector and a
// metadata block by std::make_unique) and moves them into the frame ring; an encoder
// thread moves each frame out, computes a thumbnail (std::make_unique<Thumb> with its own
// pixel vector) and frees the frame piece by piece (metadata, pixels, frame, each on its
// own line), then moves the thumbnail into the thumbnail ring; main moves thumbnails out
// and frees them (pixels, then the thumbnail). So frames, their pixels and metadata are
// allocated on main and freed on the encoder, thumbnails and their pixels the other way
// round. A popped slot is left empty (a moved-from unique_ptr). The rings' object (new)
// owns both slot arrays (std::make_unique<std::unique_ptr<T>[]>). No scan.
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

struct Meta {
    long seq;
    int exposure_us;
    char camera[16];
};

struct Frame {
    long seq = 0;
    int width = 0, height = 0;
    std::vector<std::uint8_t> pixels;
    std::unique_ptr<Meta> meta;
};

struct Thumb {
    long seq = 0;
    std::uint32_t mean = 0;
    std::vector<std::uint8_t> px;
};

template <class T> struct SpscRing {
    std::unique_ptr<std::unique_ptr<T>[]> slots;
    size_t cap = 0;
    std::atomic<size_t> head{0}, tail{0};

    bool push(std::unique_ptr<T> &item) {
        size_t t = tail.load(std::memory_order_relaxed);
        if (t - head.load(std::memory_order_acquire) == cap) return false;
        slots[t % cap] = std::move(item);
        tail.store(t + 1, std::memory_order_release);
        return true;
    }
    std::unique_ptr<T> pop() {
        size_t h = head.load(std::memory_order_relaxed);
        if (h == tail.load(std::memory_order_acquire)) return nullptr;
        std::unique_ptr<T> item = std::move(slots[h % cap]);
        head.store(h + 1, std::memory_order_release);
        return item;
    }
};

struct Rings {
    SpscRing<Frame> frames;
    SpscRing<Thumb> thumbs;
    std::atomic<bool> capture_done{false}, encoder_done{false};
};

constexpr int W = 64, H = 48, FRAMES = 600;

__attribute__((noinline)) static std::unique_ptr<Frame> capture(long seq) {
    auto f = std::make_unique<Frame>(); // site: frame
    f->seq = seq;
    f->width = W;
    f->height = H;
    f->pixels.resize((size_t)W * H); // site: pixels
    for (size_t i = 0; i < f->pixels.size(); i++) f->pixels[i] = (std::uint8_t)((size_t)seq * 7 + i * 13);
    f->meta = std::make_unique<Meta>(); // site: meta
    f->meta->seq = seq;
    f->meta->exposure_us = 1000 + (int)(seq % 50);
    std::snprintf(f->meta->camera, sizeof f->meta->camera, "cam%ld", seq % 4);
    return f;
}

__attribute__((noinline)) static void encode(Rings *rings) {
    for (;;) {
        std::unique_ptr<Frame> frame = rings->frames.pop();
        if (!frame) {
            if (rings->capture_done.load(std::memory_order_acquire) && !(frame = rings->frames.pop())) break;
            if (!frame) {
                std::this_thread::yield();
                continue;
            }
        }
        auto thumb = std::make_unique<Thumb>(); // site: thumb
        thumb->seq = frame->seq;
        thumb->px.resize((size_t)(W / 8) * (H / 8)); // site: thumb_px
        std::uint32_t sum = 0;
        for (int y = 0; y < H / 8; y++)
            for (int x = 0; x < W / 8; x++) {
                std::uint8_t v = frame->pixels[(size_t)(y * 8) * W + (size_t)x * 8];
                thumb->px[(size_t)y * (W / 8) + (size_t)x] = v;
                sum += v;
            }
        thumb->mean = sum / (std::uint32_t)thumb->px.size() + (std::uint32_t)frame->meta->exposure_us % 3;
        frame->meta.reset(); // site: meta_freed
        std::vector<std::uint8_t>().swap(frame->pixels); // site: pixels_freed
        frame.reset(); // site: frame_freed
        while (!rings->thumbs.push(thumb)) std::this_thread::yield();
    }
    rings->encoder_done.store(true, std::memory_order_release);
}

static long drain(Rings *rings, long &count) {
    long sum = 0;
    while (std::unique_ptr<Thumb> t = rings->thumbs.pop()) {
        sum += (long)t->mean + t->px[t->px.size() / 2] + t->seq % 3;
        count++;
        std::vector<std::uint8_t>().swap(t->px); // site: thumb_px_freed
        t.reset(); // site: thumb_freed
    }
    return sum;
}

int main() {
    Rings *rings = new Rings; // site: rings
    rings->frames.cap = 8;
    rings->frames.slots = std::make_unique<std::unique_ptr<Frame>[]>(rings->frames.cap); // site: frame_slots
    rings->thumbs.cap = 8;
    rings->thumbs.slots = std::make_unique<std::unique_ptr<Thumb>[]>(rings->thumbs.cap); // site: thumb_slots
    std::thread encoder(encode, rings);
    long total = 0, count = 0;
    for (long seq = 0; seq < FRAMES; seq++) {
        std::unique_ptr<Frame> f = capture(seq);
        while (!rings->frames.push(f)) {
            total += drain(rings, count);
            std::this_thread::yield();
        }
        total += drain(rings, count);
    }
    rings->capture_done.store(true, std::memory_order_release);
    while (!rings->encoder_done.load(std::memory_order_acquire)) {
        total += drain(rings, count);
        std::this_thread::yield();
    }
    encoder.join();
    total += drain(rings, count);
    std::printf("%ld %ld\n", count, total);
    delete rings;
    return 0;
}
