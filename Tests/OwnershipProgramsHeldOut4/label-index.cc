// An issue tracker's board in C++: a tracker (new) files every issue under one label in a
// std::map<std::string, std::vector<std::unique_ptr<Issue>>> (labels are long strings,
// built before and moved into the map; each label's vector is allocated and grown anew by
// push_back). An issue owns its title (a long string, reserved and built before the
// issue and moved into it) and may point at another open issue it duplicates. A triage
// queue (a reserved std::vector<Issue*> member of the tracker) refers to untriaged issues.
// Mid-way issues are relabelled (the unique_ptr moves to another label's vector), closed
// (erased, which deletes them; duplicate pointers to them are cleared first) and labels
// left empty are removed from the map. At the end the tracker is deleted. No scan.
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct Issue {
    int id;
    std::string title;
    Issue *duplicate_of = nullptr;
    int priority = 0;
    bool triaged = false;
};

struct Tracker {
    std::map<std::string, std::vector<std::unique_ptr<Issue>>> by_label;
    std::vector<Issue *> triage;
    int next_id = 1;
};

static const char *const components[] = {"renderer", "network", "storage", "scheduler", "ui-toolkit", "telemetry"};
static const char *const kinds[] = {"bug", "feature", "regression", "performance"};

__attribute__((noinline)) static std::string label_name(unsigned n) {
    std::string label;
    label.reserve(40); // site: label
    label.append("component/").append(components[n % 6]).append("/kind-").append(kinds[n / 6 % 4]);
    return label;
}

__attribute__((noinline)) static std::vector<std::unique_ptr<Issue>> &issues_for(Tracker *t, unsigned label) {
    return t->by_label[label_name(label)]; // site: label_node
}

__attribute__((noinline)) static Issue *file_issue(Tracker *t, unsigned label, Issue *dup) {
    std::string title;
    title.reserve(64); // site: title
    title.append("Crash when reopening the workspace, case #").append(std::to_string(t->next_id));
    auto issue = std::make_unique<Issue>(); // site: issue
    issue->id = t->next_id++;
    issue->title = std::move(title);
    issue->duplicate_of = dup;
    issue->priority = issue->id % 5;
    Issue *raw = issue.get();
    auto &list = issues_for(t, label);
    list.push_back(std::move(issue)); // site: issues
    if (raw->priority >= 3 && t->triage.size() < t->triage.capacity()) t->triage.push_back(raw);
    return raw;
}

__attribute__((noinline)) static void forget(Tracker *t, Issue *gone) {
    t->triage.erase(std::remove(t->triage.begin(), t->triage.end(), gone), t->triage.end());
    for (auto &entry : t->by_label)
        for (auto &issue : entry.second)
            if (issue->duplicate_of == gone) issue->duplicate_of = nullptr;
}

__attribute__((noinline)) static void relabel(Tracker *t, const std::string &from, unsigned to) {
    auto found = t->by_label.find(from);
    if (found == t->by_label.end() || found->second.empty()) return;
    std::unique_ptr<Issue> issue = std::move(found->second.back());
    found->second.pop_back();
    auto &list = issues_for(t, to);
    list.push_back(std::move(issue)); // site: issues_moved
}

__attribute__((noinline)) static size_t close_some(Tracker *t, unsigned seed) {
    size_t closed = 0;
    for (auto &entry : t->by_label) {
        auto &list = entry.second;
        for (size_t i = 0; i < list.size();) {
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 11) % 4 == 0) {
                forget(t, list[i].get());
                list.erase(list.begin() + (long)i);
                closed++;
            } else {
                i++;
            }
        }
    }
    for (auto it = t->by_label.begin(); it != t->by_label.end();)
        it = it->second.empty() ? t->by_label.erase(it) : std::next(it);
    return closed;
}

int main() {
    Tracker *t = new Tracker; // site: tracker
    t->triage.reserve(256); // site: triage
    unsigned seed = 5;
    Issue *recent[8] = {};
    size_t closed = 0;
    for (int round = 0; round < 6; round++) {
        for (int k = 0; k < 200; k++) {
            seed = seed * 1103515245u + 12345u;
            Issue *dup = (seed >> 7) % 5 == 0 ? recent[(seed >> 3) % 8] : nullptr;
            Issue *issue = file_issue(t, (seed >> 9) % (8 + (unsigned)round * 3), dup);
            recent[k % 8] = issue;
        }
        for (int k = 0; k < 40; k++) {
            seed = seed * 1103515245u + 12345u;
            relabel(t, label_name((seed >> 9) % 30), (seed >> 15) % 30);
        }
        for (Issue *&r : recent) r = nullptr;
        for (Issue *issue : t->triage) issue->triaged = issue->priority > 3;
        t->triage.erase(std::remove_if(t->triage.begin(), t->triage.end(), [](Issue *i) { return i->triaged; }), t->triage.end());
        closed += close_some(t, seed);
    }
    size_t open = 0, dups = 0, title_chars = 0;
    for (auto &entry : t->by_label)
        for (auto &issue : entry.second) {
            open++;
            dups += issue->duplicate_of != nullptr;
            title_chars += issue->title.size();
        }
    std::printf("%zu %zu %zu %zu %zu %zu\n", t->by_label.size(), open, closed, dups, title_chars, t->triage.size());
    delete t;
    return 0;
}
