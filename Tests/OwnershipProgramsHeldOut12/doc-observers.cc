// C++ editor workspace: a make_unique'd Workspace holds a std::unordered_map<int,
// std::unique_ptr<Doc>> (buckets reserved once for 64 documents, never rehashed) and a
// reserved std::vector<std::shared_ptr<Viewer>> of all viewers (make_shared, each owning
// a long display name and pointing at the document it focuses on). A Doc (make_unique)
// owns a long title and a reserved std::vector<std::shared_ptr<Viewer>> of observers
// (shared with the workspace). Documents are opened and closed (erase frees the node,
// the Doc, its title and its observer buffer after every viewer focused on it is
// moved away); viewers are detached from documents and re-attached. No scan.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

struct Doc;

struct Viewer {
    int id = 0;
    std::string name;
    Doc *focus = nullptr;
    long notified = 0;
};

struct Doc {
    int id = 0;
    std::string title;
    std::vector<std::shared_ptr<Viewer>> observers;
    long edits = 0;
};

struct Workspace {
    std::unordered_map<int, std::unique_ptr<Doc>> docs;
    std::vector<std::shared_ptr<Viewer>> viewers;
};

static unsigned long rng = 112358;
static unsigned rnd() {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static void detach(Viewer &v) {
    if (!v.focus) return;
    auto &obs = v.focus->observers;
    obs.erase(std::remove_if(obs.begin(), obs.end(), [&v](const std::shared_ptr<Viewer> &p) { return p.get() == &v; }), obs.end());
    v.focus = nullptr;
}

int main() {
    auto ws = std::make_unique<Workspace>(); // site: workspace
    ws->docs.reserve(64); // site: buckets
    ws->viewers.reserve(24); // site: viewers_buf
    char buf[96];
    for (int i = 0; i < 24; i++) {
        auto v = std::make_shared<Viewer>(); // site: viewer
        v->id = i;
        std::snprintf(buf, sizeof buf, "viewer pane %02d (split %s, read-only %s)", i, i % 2 ? "right" : "left", i % 3 ? "no" : "yes");
        v->name.assign(buf); // site: viewer_name
        ws->viewers.push_back(std::move(v));
    }
    int next_doc = 0;
    long opened = 0, closed = 0, notes = 0;
    for (int step = 0; step < 6000; step++) {
        unsigned r = rnd();
        if (r % 7 == 0 && ws->docs.size() < 60) {
            auto d = std::make_unique<Doc>(); // site: doc
            d->id = next_doc++;
            std::snprintf(buf, sizeof buf, "Untitled document %04d - chapter %d draft", d->id, d->id % 9);
            d->title.assign(buf); // site: title
            d->observers.reserve(24); // site: observers
            int id = d->id;
            ws->docs.emplace(id, std::move(d)); // site: map_node
            opened++;
        } else if (r % 7 == 1 && !ws->docs.empty()) {
            auto it = ws->docs.begin();
            std::advance(it, (long)((r >> 8) % ws->docs.size()));
            for (auto &v : ws->viewers)
                if (v->focus == it->second.get()) detach(*v);
            ws->docs.erase(it);
            closed++;
        } else if (!ws->docs.empty()) {
            auto &v = ws->viewers[(r >> 4) % ws->viewers.size()];
            auto it = ws->docs.begin();
            std::advance(it, (long)((r >> 12) % ws->docs.size()));
            if (v->focus != it->second.get()) {
                detach(*v);
                v->focus = it->second.get();
                it->second->observers.push_back(v);
            }
            it->second->edits++;
            for (auto &o : it->second->observers) o->notified++, notes++;
        }
        if (step % 2000 == 1999) {
            long watching = 0;
            for (auto &v : ws->viewers) watching += v->focus != nullptr;
            std::printf("step %d: %zu open, %ld opened, %ld closed, %ld viewers focused, %ld notifications\n", step + 1, ws->docs.size(), opened, closed, watching, notes);
        }
    }
    std::printf("bucket count %zu\n", ws->docs.bucket_count());
    for (auto &v : ws->viewers) detach(*v);
    ws.reset();
    return 0;
}
