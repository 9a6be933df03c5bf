// A C++ document object model: elements (std::make_shared: counts and Element in one
// block) hold their children as std::vector<std::shared_ptr<Element>> and their parent as
// a std::weak_ptr; each element owns a long text string. The document (new) holds the
// root and a selection (a reserved std::vector<std::shared_ptr<Element>>). Edits remove a
// child by swapping it with the last child and pop_back (std::swap), move subtrees to
// another parent (the shared_ptr moved between children vectors, the weak parent reset),
// and clear the selection from time to time; a removed element still selected lives on
// until the selection lets go. Since parents are weak, a parent block may outlive its
// Element (destroyed when the last strong holder lets go) until the last child's weak
// reference goes. No scan.
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

struct Element {
    int id = 0;
    std::string text;
    std::weak_ptr<Element> parent;
    std::vector<std::shared_ptr<Element>> children;
};

struct Document {
    std::shared_ptr<Element> root;
    std::vector<std::shared_ptr<Element>> selection;
};

static unsigned long rng = 555;
static unsigned rnd() {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

__attribute__((noinline)) static std::shared_ptr<Element> make_element(int id) {
    auto e = std::make_shared<Element>(); // site: element
    e->id = id;
    char buf[80];
    std::snprintf(buf, sizeof buf, "<div class=\"item-%05d\">content of a document node</div>", id);
    e->text.assign(buf); // site: elem_text
    return e;
}

__attribute__((noinline)) static void append_child(const std::shared_ptr<Element> &parent, std::shared_ptr<Element> child) {
    child->parent = parent;
    parent->children.push_back(std::move(child)); // site: children
}

// Walks down from the root choosing children at random; returns a node at depth <= maxd.
static std::shared_ptr<Element> pick(Document &doc, int maxd) {
    std::shared_ptr<Element> e = doc.root;
    for (int d = 0; d < maxd && !e->children.empty(); d++) {
        if (rnd() % 4 == 0) break;
        e = e->children[rnd() % e->children.size()];
    }
    return e;
}

static bool is_ancestor(const Element *a, std::shared_ptr<Element> e) {
    while (e) {
        if (e.get() == a) return true;
        e = e->parent.lock();
    }
    return false;
}

static long weigh(const Element &e) {
    long s = (long)e.text.size() + e.id % 7;
    for (const auto &c : e.children) s += weigh(*c);
    return s;
}

int main() {
    Document *doc = new Document; // site: doc
    doc->selection.reserve(64); // site: selection
    doc->root = make_element(0);
    int next_id = 1;
    long sum = 0;
    int removed = 0, moved = 0;
    for (int step = 0; step < 3000; step++) {
        unsigned op = rnd() % 20;
        if (op < 9) {
            std::shared_ptr<Element> p = pick(*doc, 4);
            append_child(p, make_element(next_id++));
        } else if (op < 12) {
            std::shared_ptr<Element> p = pick(*doc, 3);
            if (p->children.empty()) continue;
            size_t i = rnd() % p->children.size();
            std::swap(p->children[i], p->children.back());
            p->children.back()->parent.reset();
            p->children.pop_back();
            removed++;
        } else if (op < 14) {
            std::shared_ptr<Element> from = pick(*doc, 3);
            std::shared_ptr<Element> to = pick(*doc, 4);
            if (from->children.empty()) continue;
            size_t i = rnd() % from->children.size();
            if (is_ancestor(from->children[i].get(), to)) continue;
            std::shared_ptr<Element> c = std::move(from->children[i]);
            from->children.erase(from->children.begin() + (long)i);
            append_child(to, std::move(c));
            moved++;
        } else if (op < 19) {
            if (doc->selection.size() < doc->selection.capacity()) doc->selection.push_back(pick(*doc, 5));
        } else {
            for (const auto &e : doc->selection) sum += e->id + (e->parent.expired() ? 1000 : 0);
            doc->selection.clear();
        }
        if (step % 300 == 0) sum += weigh(*doc->root);
    }
    sum += weigh(*doc->root);
    std::printf("elements=%d removed=%d moved=%d selected=%zu sum=%ld\n", next_id, removed, moved, doc->selection.size(), sum);
    delete doc;
    return 0;
}
