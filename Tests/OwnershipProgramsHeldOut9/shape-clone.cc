// C++ polymorphic shapes deep-copied through a virtual clone(). A random scene is a
// tree of Groups (each owning a reserved std::vector<std::unique_ptr<Shape>> of kids)
// with Circle and Poly leaves (a Poly owning a reserved vector of points). The scene is
// cloned whole (clones allocated at their own lines), the copy is patched (every third
// kid of its root replaced by a new Circle, destroying the replaced subtree), both are
// measured, and both are destroyed at the end. No scan.
#include <cstdio>
#include <memory>
#include <vector>

struct Pt {
    int x, y;
};

struct Shape {
    virtual ~Shape() = default;
    virtual std::unique_ptr<Shape> clone() const = 0;
    virtual long measure() const = 0;
};

static unsigned long rng = 1234567;
static unsigned rnd() {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

struct Circle : Shape {
    int r = 0;
    std::unique_ptr<Shape> clone() const override {
        auto c = std::make_unique<Circle>(); // site: circle_copy
        c->r = r;
        return c;
    }
    long measure() const override { return 3L * r * r; }
};

struct Poly : Shape {
    std::vector<Pt> pts;
    std::unique_ptr<Shape> clone() const override {
        auto p = std::make_unique<Poly>(); // site: poly_copy
        p->pts.reserve(pts.size()); // site: poly_pts_copy
        for (const Pt &q : pts) p->pts.push_back(q);
        return p;
    }
    long measure() const override {
        long s = 0;
        for (size_t i = 0; i < pts.size(); i++) {
            const Pt &a = pts[i], &b = pts[(i + 1) % pts.size()];
            s += (long)a.x * b.y - (long)b.x * a.y;
        }
        return s < 0 ? -s : s;
    }
};

struct Group : Shape {
    std::vector<std::unique_ptr<Shape>> kids;
    std::unique_ptr<Shape> clone() const override {
        auto g = std::make_unique<Group>(); // site: group_copy
        g->kids.reserve(kids.size()); // site: group_kids_copy
        for (const auto &k : kids) g->kids.push_back(k->clone());
        return g;
    }
    long measure() const override {
        long s = 1;
        for (const auto &k : kids) s += k->measure();
        return s;
    }
};

static std::unique_ptr<Shape> build(int depth) {
    unsigned pick = rnd() % 4;
    if (depth > 0 && pick < 2) {
        auto g = std::make_unique<Group>(); // site: group
        size_t n = 2 + rnd() % 5;
        g->kids.reserve(n); // site: group_kids
        for (size_t i = 0; i < n; i++) g->kids.push_back(build(depth - 1));
        return g;
    }
    if (pick == 2) {
        auto p = std::make_unique<Poly>(); // site: poly
        size_t n = 3 + rnd() % 9;
        p->pts.reserve(n); // site: poly_pts
        for (size_t i = 0; i < n; i++) p->pts.push_back(Pt{(int)(rnd() % 100), (int)(rnd() % 100)});
        return p;
    }
    auto c = std::make_unique<Circle>(); // site: circle
    c->r = 1 + (int)(rnd() % 50);
    return c;
}

int main() {
    long before = 0, after = 0, copies = 0;
    for (int round = 0; round < 40; round++) {
        auto root = std::make_unique<Group>(); // site: root
        root->kids.reserve(12); // site: root_kids
        for (int i = 0; i < 12; i++) root->kids.push_back(build(4));
        std::unique_ptr<Shape> copy = root->clone();
        auto *g = static_cast<Group *>(copy.get());
        for (size_t i = 0; i < g->kids.size(); i += 3) {
            auto c = std::make_unique<Circle>(); // site: patch
            c->r = (int)i + 1;
            g->kids[i] = std::move(c);
        }
        before += root->measure();
        after += copy->measure();
        copies++;
    }
    std::printf("rounds %ld, original measure %ld, patched copy measure %ld\n", copies, before, after);
    return 0;
}
