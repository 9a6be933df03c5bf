// Threaded reorder buffer: three std::thread workers compress numbered chunks out of
// order (chunk i by worker i % 3) and, under a mutex, emplace each make_unique'd Chunk
// (a reserved sample vector and a long note) into a std::map keyed by sequence number,
// inside a make_unique'd Shared record (mutex, condition variable, map). Main waits for
// the next sequence number, moves the Chunk out of its map node, erases the node,
// consumes the chunk and frees its samples, its note and the chunk: chunks, samples,
// notes and map nodes go from the workers to main. Backpressure: a worker waits while
// its chunk is more than 12 ahead of the next one main wants. No scan.
#include <condition_variable>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

constexpr int NCHUNK = 240;
constexpr int NWORK = 3;

struct Chunk {
    int seq = 0;
    std::vector<int> samples;
    std::string note;
};

struct Shared {
    std::mutex m;
    std::condition_variable cv;
    std::map<int, std::unique_ptr<Chunk>> done;
    int next = 0;
};

static void work(Shared *s, int id) {
    for (int seq = id; seq < NCHUNK; seq += NWORK) {
        auto c = std::make_unique<Chunk>(); // site: chunk
        c->seq = seq;
        c->samples.reserve(64); // site: samples
        for (int i = 0; i < 64; i++) c->samples.push_back((seq * 131 + i * i * 7) % 1009);
        c->note.reserve(48); // site: note
        char buf[48];
        std::snprintf(buf, sizeof buf, "chunk %03d compressed by worker %d", seq, id);
        c->note.assign(buf);
        std::unique_lock<std::mutex> lk(s->m);
        s->cv.wait(lk, [&] { return seq - s->next <= 12; });
        s->done.emplace(seq, std::move(c)); // site: map_node
        s->cv.notify_all();
    }
}

int main() {
    auto s = std::make_unique<Shared>(); // site: shared
    std::vector<std::thread> workers;
    for (int i = 0; i < NWORK; i++) workers.emplace_back(work, s.get(), i);
    long checksum = 0;
    size_t note_chars = 0;
    size_t most_pending = 0;
    for (int want = 0; want < NCHUNK; want++) {
        std::unique_ptr<Chunk> c;
        {
            std::unique_lock<std::mutex> lk(s->m);
            s->cv.wait(lk, [&] { return s->done.count(want) != 0; });
            if (s->done.size() > most_pending) most_pending = s->done.size();
            auto it = s->done.find(want);
            c = std::move(it->second);
            s->done.erase(it); // site: map_node_freed
            s->next = want + 1;
            s->cv.notify_all();
        }
        for (int v : c->samples) checksum = (checksum * 31 + v) % 1000000007;
        note_chars += c->note.size();
        std::vector<int>().swap(c->samples); // site: samples_freed
        std::string().swap(c->note); // site: note_freed
        c.reset(); // site: chunk_freed
    }
    for (auto &t : workers) t.join();
    std::printf("%d chunks in order, %zu note characters, checksum %ld, pending <= 13: %d\n", NCHUNK, note_chars, checksum, (int)(most_pending <= 13));
    return 0;
}
