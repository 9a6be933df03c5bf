// A print spooler in C++ whose jobs (std::make_unique; each owns a reserved title string
// and a document buffer) are std::unique_ptrs moved from container to container: an
// incoming vector, a ready vector kept as a binary heap by priority (push_heap/pop_heap),
// a std::map of held jobs by id, a printer's `current` slot (printers sit inline in a
// vector and own their long names), and a bounded history vector of finished jobs whose
// oldest entry is erased when it is full. Every vector is reserved once and never grows
// (the spooler admits new jobs only while fewer than 300 are in it). Cancelling a job on
// a printer resets the printer's pointer; purging a held job erases its map node;
// admitting clears the incoming vector of moved-from pointers. The spooler (new) owns all
// of them; at the end it is deleted with whatever it still holds. No scan.
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

struct Job {
    long id = 0;
    int prio = 0;
    int pages = 0;
    std::string title;
    std::vector<char> data;
};

struct Printer {
    std::string name;
    std::unique_ptr<Job> current;
    int ticks_left = 0;
    long printed = 0;
};

struct ByPrio {
    bool operator()(const std::unique_ptr<Job> &a, const std::unique_ptr<Job> &b) const {
        return a->prio != b->prio ? a->prio < b->prio : a->id > b->id;
    }
};

struct Spooler {
    std::vector<std::unique_ptr<Job>> incoming, ready, done;
    std::map<long, std::unique_ptr<Job>> held;
    std::vector<Printer> printers;
    long in_system = 0, finished = 0, cancelled = 0, purged = 0;
    unsigned long bytes = 0;
};

static unsigned long rng = 6174;
static unsigned long next_rand() {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return rng >> 33;
}

__attribute__((noinline)) static std::unique_ptr<Job> make_job(long id, unsigned long r) {
    auto job = std::make_unique<Job>(); // site: job
    job->id = id;
    job->prio = (int)(r % 5);
    job->pages = 1 + (int)((r >> 3) % 6);
    job->title.reserve(48); // site: job_title
    job->title.append("quarterly-report-draft-");
    job->title.append(std::to_string(id));
    job->data.resize(256 + (r >> 8) % 2048); // site: job_data
    for (size_t i = 0; i < job->data.size(); i += 64) job->data[i] = (char)('a' + (id + (long)i) % 26);
    return job;
}

__attribute__((noinline)) static void admit(Spooler *s) {
    for (auto &job : s->incoming) {
        s->ready.push_back(std::move(job));
        std::push_heap(s->ready.begin(), s->ready.end(), ByPrio());
    }
    s->incoming.clear();
}

__attribute__((noinline)) static std::unique_ptr<Job> pop_ready(Spooler *s) {
    std::pop_heap(s->ready.begin(), s->ready.end(), ByPrio());
    std::unique_ptr<Job> job = std::move(s->ready.back());
    s->ready.pop_back();
    return job;
}

__attribute__((noinline)) static void hold_one(Spooler *s) {
    std::unique_ptr<Job> job = pop_ready(s);
    long id = job->id;
    s->held.emplace(id, std::move(job)); // site: held_node
}

__attribute__((noinline)) static void release_one(Spooler *s, unsigned long r) {
    auto it = s->held.begin();
    std::advance(it, (long)(r % s->held.size()));
    s->ready.push_back(std::move(it->second));
    std::push_heap(s->ready.begin(), s->ready.end(), ByPrio());
    s->held.erase(it);
}

__attribute__((noinline)) static void tick(Spooler *s) {
    for (Printer &p : s->printers) {
        if (p.current && --p.ticks_left == 0) {
            s->bytes += p.current->data.size() + p.current->title.size();
            p.printed++;
            s->finished++;
            s->in_system--;
            if (s->done.size() == s->done.capacity()) s->done.erase(s->done.begin());
            s->done.push_back(std::move(p.current));
        }
        if (!p.current && !s->ready.empty()) {
            p.current = pop_ready(s);
            p.ticks_left = p.current->pages;
        }
    }
}

int main() {
    Spooler *s = new Spooler; // site: spooler
    s->incoming.reserve(64); // site: incoming
    s->ready.reserve(320); // site: ready
    s->done.reserve(32); // site: done
    s->printers.reserve(4); // site: printers
    for (int i = 0; i < 4; i++) {
        s->printers.emplace_back();
        s->printers.back().name.reserve(40); // site: printer_name
        char name[40];
        std::snprintf(name, sizeof name, "floor-%d-laserjet-duplex-tray", i + 1);
        s->printers.back().name.append(name);
    }
    long next_id = 0;
    for (int step = 0; step < 12000; step++) {
        unsigned long r = next_rand();
        unsigned op = (unsigned)(r % 16);
        if (op < 6) {
            if (s->in_system < 300 && s->incoming.size() < s->incoming.capacity()) {
                s->incoming.push_back(make_job(next_id++, r >> 4));
                s->in_system++;
            }
        } else if (op < 8) {
            admit(s);
        } else if (op < 9) {
            if (!s->ready.empty()) hold_one(s);
        } else if (op < 10) {
            if (!s->held.empty()) release_one(s, r >> 4);
        } else if (op < 11) {
            Printer &p = s->printers[(r >> 4) % 4];
            if (p.current && (r >> 8) % 3 == 0) {
                p.current.reset();
                s->cancelled++;
                s->in_system--;
            }
        } else if (op < 12) {
            if (s->held.size() > 20) {
                s->held.erase(s->held.begin());
                s->purged++;
                s->in_system--;
            }
        } else {
            tick(s);
        }
    }
    long printed = 0;
    for (const Printer &p : s->printers) printed += p.printed * (long)p.name.size();
    std::printf("%ld %ld %ld %ld %ld %zu %zu %zu %ld %lu\n", next_id, s->finished, s->cancelled, s->purged, s->in_system, s->ready.size(),
                s->held.size(), s->done.size(), printed, s->bytes);
    delete s;
    return 0;
}
