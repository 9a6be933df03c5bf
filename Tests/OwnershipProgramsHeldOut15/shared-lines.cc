// Editor document with copy-on-write snapshots: a make_unique'd Doc holds a reserved
// vector of std::shared_ptr<Line> (make_shared; each Line owns a long text reserved for
// 64). Every few edits the document takes a snapshot: a make_unique'd Snapshot whose
// vector is a copy of the document's (sharing all lines). An edit replaces a line with
// a new make_shared Line (a second site), so older snapshots keep the old line alive.
// The history (reserved for 6) drops its oldest snapshot when full. No scan.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

struct Line {
    std::string text;
    int rev = 0;
};

struct Snapshot {
    int version = 0;
    std::vector<std::shared_ptr<Line>> lines;
};

struct Doc {
    std::vector<std::shared_ptr<Line>> lines;
    std::vector<std::unique_ptr<Snapshot>> history;
    int version = 0;
};

int main() {
    constexpr int NLINES = 30;
    auto doc = std::make_unique<Doc>(); // site: doc
    doc->lines.reserve(NLINES); // site: lines_buf
    doc->history.reserve(6); // site: history_buf
    char buf[64];
    for (int i = 0; i < NLINES; i++) {
        auto l = std::make_shared<Line>(); // site: line
        l->text.reserve(64); // site: text
        std::snprintf(buf, sizeof buf, "line %02d: the quick brown fox jumps over", i);
        l->text.assign(buf);
        doc->lines.push_back(std::move(l));
    }
    unsigned long sum = 0;
    long most_uses = 0;
    for (int edit = 0; edit < 120; edit++) {
        int i = (edit * 11 + edit / 7) % NLINES;
        auto l = std::make_shared<Line>(); // site: line_new
        l->text.reserve(64); // site: text_new
        std::snprintf(buf, sizeof buf, "line %02d rev %d: edited by session %d", i, edit, edit % 5);
        l->text.assign(buf);
        l->rev = doc->lines[i]->rev + 1;
        doc->lines[i] = std::move(l);
        doc->version++;
        if (edit % 8 == 7) {
            if (doc->history.size() == 6) doc->history.erase(doc->history.begin());
            auto s = std::make_unique<Snapshot>(); // site: snap
            s->version = doc->version;
            s->lines = doc->lines; // site: snap_lines
            doc->history.push_back(std::move(s));
        }
        for (auto &p : doc->lines) if (p.use_count() > most_uses) most_uses = p.use_count();
    }
    for (auto &s : doc->history) {
        for (auto &p : s->lines) sum = sum * 7 + p->text.size() + static_cast<unsigned long>(p->rev);
        sum = sum * 13 + static_cast<unsigned long>(s->version);
    }
    std::printf("version %d snapshots %zu most holders %ld checksum %lu first %s\n", doc->version, doc->history.size(), most_uses, sum % 1000000007ul, doc->lines[0]->text.c_str());
    return 0;
}
