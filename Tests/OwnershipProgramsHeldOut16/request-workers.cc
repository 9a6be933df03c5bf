// Threaded C++: main produces requests for two std::thread workers through a bounded
// channel (a make_unique'd struct with a mutex, two condition variables and an inline
// 8-slot ring of Request*). Requests are created with `new` and own a long body string
// (reserved). Each worker takes requests out of the ring, checksums them, frees the
// body by a swap with an empty string and deletes the request. Requests and bodies go
// from main to the workers. No scan.
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct Request {
    int id = 0;
    std::string body;
};

struct Channel {
    std::mutex mu;
    std::condition_variable not_empty, not_full;
    Request *ring[8] = {};
    unsigned head = 0, tail = 0;
    bool closed = false;
    unsigned long sums[2] = {0, 0};
    int handled[2] = {0, 0};
};

static void worker(Channel *ch, int id) {
    for (;;) {
        Request *r;
        {
            std::unique_lock<std::mutex> lk(ch->mu);
            ch->not_empty.wait(lk, [ch] { return ch->head != ch->tail || ch->closed; });
            if (ch->head == ch->tail) return;
            r = ch->ring[ch->head % 8];
            ch->ring[ch->head % 8] = nullptr;
            ch->head++;
            ch->not_full.notify_one();
        }
        unsigned long h = static_cast<unsigned long>(r->id);
        for (char c : r->body) h = (h * 131 + static_cast<unsigned char>(c)) % 4294967291ul;
        std::string().swap(r->body); // site: req_body_freed
        delete r; // site: req_freed
        std::lock_guard<std::mutex> lk(ch->mu);
        ch->sums[id] += h;
        ch->handled[id]++;
    }
}

int main() {
    auto ch = std::make_unique<Channel>(); // site: channel
    std::thread t0(worker, ch.get(), 0);
    std::thread t1(worker, ch.get(), 1);
    for (int i = 0; i < 60; i++) {
        Request *r = new Request; // site: req
        r->id = i;
        r->body.reserve(80); // site: req_body
        r->body.append("GET /api/v1/items/");
        r->body.append(std::to_string(i * 37));
        r->body.append(" HTTP/1.1 host: example.test accept: */*");
        std::unique_lock<std::mutex> lk(ch->mu);
        ch->not_full.wait(lk, [&ch] { return ch->tail - ch->head < 8; });
        ch->ring[ch->tail % 8] = r;
        ch->tail++;
        ch->not_empty.notify_one();
    }
    {
        std::lock_guard<std::mutex> lk(ch->mu);
        ch->closed = true;
    }
    ch->not_empty.notify_all();
    t0.join();
    t1.join();
    std::printf("handled %d checksum %lu\n", ch->handled[0] + ch->handled[1], (ch->sums[0] + ch->sums[1]) % 4294967291ul);
    return 0;
}
