// Threaded C++ actors with mailboxes: main owns a reserved std::vector of
// std::unique_ptr<Actor> (make_unique); each actor holds a mutex, a condition variable,
// a std::list<std::unique_ptr<Msg>> inbox and its std::thread. Main posts messages
// (make_unique, each owning a long text assigned after construction) round robin: a
// list node allocated by push_back under the actor's lock. The actor splices its whole
// inbox into a local list, then takes each message out, pops the list node, and frees
// the text (swap with an empty string) and the message. Every 40th message yields a
// Reply (make_unique, owning a long note) pushed under a lock into main's reserved reply
// vector; after joining, main sorts the replies and frees notes and replies. Messages,
// texts and list nodes are allocated on main and freed on the actors; replies and notes
// the other way round. No scan.
#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct Msg {
    int id = 0;
    std::string text;
};

struct Reply {
    int id = 0;
    unsigned long digest = 0;
    std::string note;
};

struct Replies {
    std::mutex m;
    std::vector<std::unique_ptr<Reply>> items;
};

struct Actor {
    int index = 0;
    std::mutex m;
    std::condition_variable cv;
    std::list<std::unique_ptr<Msg>> inbox;
    bool closed = false;
    long processed = 0;
    std::thread th;
};

static void run(Actor *a, Replies *out) {
    std::list<std::unique_ptr<Msg>> local;
    for (;;) {
        {
            std::unique_lock<std::mutex> lk(a->m);
            a->cv.wait(lk, [a] { return !a->inbox.empty() || a->closed; });
            if (a->inbox.empty()) break;
            local.splice(local.end(), a->inbox);
        }
        while (!local.empty()) {
            std::unique_ptr<Msg> m = std::move(local.front());
            local.pop_front(); // site: mail_node_freed
            unsigned long digest = 0;
            for (char c : m->text) digest = digest * 131 + static_cast<unsigned char>(c);
            a->processed++;
            if (m->id % 40 == 0) {
                auto r = std::make_unique<Reply>(); // site: reply
                char buf[96];
                std::snprintf(buf, sizeof buf, "actor %d answered message %d with digest %lu", a->index, m->id, digest % 100000);
                r->note.assign(buf); // site: reply_note
                r->id = m->id;
                r->digest = digest;
                std::lock_guard<std::mutex> lk(out->m);
                out->items.push_back(std::move(r));
            }
            std::string().swap(m->text); // site: msg_text_freed
            m.reset(); // site: msg_freed
        }
    }
}

int main() {
    const int nactors = 3, nmsgs = 3000;
    Replies replies;
    replies.items.reserve(nmsgs / 40 + 1); // site: replies_buf
    std::vector<std::unique_ptr<Actor>> actors;
    actors.reserve(nactors); // site: actors_buf
    for (int i = 0; i < nactors; i++) {
        actors.push_back(std::make_unique<Actor>()); // site: actor
        actors.back()->index = i;
    }
    for (auto &a : actors) a->th = std::thread(run, a.get(), &replies);
    char buf[96];
    for (int id = 0; id < nmsgs; id++) {
        auto m = std::make_unique<Msg>(); // site: msg
        m->id = id;
        std::snprintf(buf, sizeof buf, "order %05d: ship %d crates to dock %d, priority %d", id, id % 17 + 1, id % 5, id % 3);
        m->text.assign(buf); // site: msg_text
        Actor *a = actors[id % nactors].get();
        {
            std::lock_guard<std::mutex> lk(a->m);
            a->inbox.push_back(std::move(m)); // site: mail_node
        }
        a->cv.notify_one();
    }
    for (auto &a : actors) {
        {
            std::lock_guard<std::mutex> lk(a->m);
            a->closed = true;
        }
        a->cv.notify_one();
    }
    long processed = 0;
    for (auto &a : actors) {
        a->th.join();
        processed += a->processed;
    }
    std::sort(replies.items.begin(), replies.items.end(),
              [](const std::unique_ptr<Reply> &x, const std::unique_ptr<Reply> &y) { return x->id < y->id; });
    unsigned long total = 0;
    for (auto &r : replies.items) total += r->digest % 1000;
    std::printf("%ld messages processed, %zu replies, digest total %lu\n", processed, replies.items.size(), total);
    std::printf("first: %s\nlast: %s\n", replies.items.front()->note.c_str(), replies.items.back()->note.c_str());
    for (auto &r : replies.items) {
        std::string().swap(r->note); // site: reply_note_freed
        r.reset(); // site: reply_freed
    }
    return 0;
}
