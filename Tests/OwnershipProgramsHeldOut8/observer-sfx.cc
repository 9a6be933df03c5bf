// Observer pattern in C++ with std::shared_ptr and std::enable_shared_from_this.
// Subjects and observers are made by std::make_shared (counts and object in one block)
// and each owns a long name string. An observer watches a subject by registering
// weak_from_this() in the subject's std::vector<std::weak_ptr<Observer>> and keeping a
// std::shared_ptr<Subject> in its own `watching` vector, so a subject lives as long as
// the hub or any watcher holds it. The hub (new) holds subjects and observers in vectors
// of shared_ptrs, plus a `muted` vector (reserved for 64, never grown) that shares some
// observers and is cleared every 50 steps. Removing an observer detaches it first (every
// weak entry pointing at it is erased from its subjects, and its `watching` vector
// cleared), then drops the hub's pointer (swap with the last, pop_back); a muted observer
// lives on until the muted vector is cleared. Removing a subject from the hub leaves it
// to its watchers; unwatching erases both sides. Notification locks each weak entry. No
// weak entry ever outlives the observer it names. No scan.
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

struct Subject;

struct Observer : std::enable_shared_from_this<Observer> {
    int id = 0;
    long seen = 0;
    std::string name;
    std::vector<std::shared_ptr<Subject>> watching;
    bool watches(const Subject *s) const;
    void watch(const std::shared_ptr<Subject> &s);
    void unwatch(size_t k);
    void detach_all();
};

struct Subject {
    int id = 0;
    long value = 0;
    std::string topic;
    std::vector<std::weak_ptr<Observer>> observers;
    void forget(const Observer *o);
    void notify();
};

struct Hub {
    std::vector<std::shared_ptr<Subject>> subjects;
    std::vector<std::shared_ptr<Observer>> observers;
    std::vector<std::shared_ptr<Observer>> muted;
};

static unsigned long rng = 8675309;
static unsigned rnd() {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

bool Observer::watches(const Subject *s) const {
    for (const auto &w : watching)
        if (w.get() == s) return true;
    return false;
}

__attribute__((noinline)) void Observer::watch(const std::shared_ptr<Subject> &s) {
    s->observers.push_back(weak_from_this()); // site: subj_obs
    watching.push_back(s); // site: watching
}

void Subject::forget(const Observer *o) {
    for (size_t i = 0; i < observers.size();) {
        std::shared_ptr<Observer> p = observers[i].lock();
        if (p.get() == o) {
            observers[i] = std::move(observers.back());
            observers.pop_back();
        } else {
            i++;
        }
    }
}

void Observer::unwatch(size_t k) {
    watching[k]->forget(this);
    watching[k] = std::move(watching.back());
    watching.pop_back();
}

void Observer::detach_all() {
    for (auto &s : watching) s->forget(this);
    watching.clear();
}

void Subject::notify() {
    for (auto &w : observers)
        if (std::shared_ptr<Observer> o = w.lock()) o->seen = (o->seen * 31 + value + id) % 1000003;
}

__attribute__((noinline)) static std::shared_ptr<Subject> make_subject(int id) {
    auto s = std::make_shared<Subject>(); // site: subject
    s->id = id;
    char buf[80];
    std::snprintf(buf, sizeof buf, "sensors/building-%02d/floor-%02d/temperature", id % 7, id % 13);
    s->topic.assign(buf); // site: topic
    return s;
}

__attribute__((noinline)) static std::shared_ptr<Observer> make_observer(int id) {
    auto o = std::make_shared<Observer>(); // site: observer
    o->id = id;
    char buf[80];
    std::snprintf(buf, sizeof buf, "dashboard-panel-%04d-with-a-long-name", id);
    o->name.assign(buf); // site: obs_name
    return o;
}

__attribute__((noinline)) static void add_subject(Hub &h, int id) {
    h.subjects.push_back(make_subject(id)); // site: hub_subjects
}

__attribute__((noinline)) static void add_observer(Hub &h, int id) {
    h.observers.push_back(make_observer(id)); // site: hub_obs
}

int main() {
    Hub *h = new Hub; // site: hub
    h->muted.reserve(64); // site: muted
    int next_subject = 0, next_observer = 0;
    for (int i = 0; i < 12; i++) add_subject(*h, next_subject++);
    for (int i = 0; i < 20; i++) add_observer(*h, next_observer++);
    long removed_obs = 0, removed_subj = 0;
    for (int step = 0; step < 3000; step++) {
        unsigned r = rnd();
        size_t ns = h->subjects.size(), no = h->observers.size();
        switch (r % 8) {
        case 0:
            if (ns < 24) add_subject(*h, next_subject++);
            break;
        case 1:
            if (ns > 6) {
                size_t k = (r >> 8) % ns;
                std::swap(h->subjects[k], h->subjects.back());
                h->subjects.pop_back();
                removed_subj++;
            }
            break;
        case 2:
            if (no < 40) add_observer(*h, next_observer++);
            break;
        case 3:
            if (no > 8) {
                size_t k = (r >> 8) % no;
                h->observers[k]->detach_all();
                std::swap(h->observers[k], h->observers.back());
                h->observers.pop_back();
                removed_obs++;
            }
            break;
        case 4:
        case 5: {
            Observer &o = *h->observers[(r >> 8) % no];
            const std::shared_ptr<Subject> &s = h->subjects[(r >> 16) % ns];
            if (!o.watches(s.get())) o.watch(s);
            break;
        }
        case 6: {
            Observer &o = *h->observers[(r >> 8) % no];
            if (!o.watching.empty()) o.unwatch((r >> 16) % o.watching.size());
            break;
        }
        default:
            if (h->muted.size() < 64) h->muted.push_back(h->observers[(r >> 8) % no]);
            break;
        }
        Subject &s = *h->subjects[(r >> 20) % h->subjects.size()];
        s.value += 1 + r % 5;
        s.notify();
        if (step % 50 == 49) h->muted.clear();
    }
    long total = 0;
    for (auto &o : h->observers) total = (total + o->seen) % 1000003;
    std::printf("subjects=%d observers=%d removed_subjects=%ld removed_observers=%ld total=%ld\n", next_subject,
                next_observer, removed_subj, removed_obs, total);
    h->muted.clear();
    for (auto &o : h->observers) o->detach_all();
    delete h;
    return 0;
}
