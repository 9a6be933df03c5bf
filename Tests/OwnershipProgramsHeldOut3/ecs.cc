// An entity-component store in C++ (sparse-set ECS, as in EnTT): entities are plain ids
// with generations; each component type has a pool with a sparse vector (entity id ->
// index into the dense arrays), a dense vector of entity ids and a dense vector of the
// components themselves, all std::vector grown by push_back/resize. Handles between
// entities (a follower's target) are ids, not pointers. Sprite components own a pixel
// vector and tag components a long std::string label. Entities are destroyed mid-way
// (swap-and-pop removal from every pool) and their ids recycled; the world (new) is
// deleted at the end. No scan.
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

static const uint32_t INVALID = 0xffffffffu;

struct Position { float x, y; };
struct Velocity { float dx, dy; };
struct Sprite {
    std::vector<uint8_t> pixels;
    int layer;
};
struct Tag {
    std::string label;
};
struct Follow {
    uint32_t target;
    uint32_t target_generation;
};

template <typename T> struct Pool {
    std::vector<uint32_t> sparse;
    std::vector<uint32_t> entities;
    std::vector<T> dense;

    bool has(uint32_t e) const { return e < sparse.size() && sparse[e] != INVALID; }
    T &get(uint32_t e) { return dense[sparse[e]]; }
    void insert(uint32_t e, T value) {
        if (e >= sparse.size()) sparse.resize(e + 1 + e / 2, INVALID); // site: sparse
        sparse[e] = (uint32_t)dense.size();
        entities.push_back(e); // site: dense_entities
        dense.push_back(std::move(value)); // site: dense
    }
    void remove(uint32_t e) {
        if (!has(e)) return;
        uint32_t at = sparse[e];
        uint32_t last = entities.back();
        dense[at] = std::move(dense.back());
        entities[at] = last;
        sparse[last] = at;
        dense.pop_back();
        entities.pop_back();
        sparse[e] = INVALID;
    }
};

struct World {
    std::vector<uint32_t> generations;
    std::vector<uint32_t> free_ids;
    Pool<Position> positions;
    Pool<Velocity> velocities;
    Pool<Sprite> sprites;
    Pool<Tag> tags;
    Pool<Follow> follows;

    uint32_t create() {
        if (!free_ids.empty()) {
            uint32_t e = free_ids.back();
            free_ids.pop_back();
            return e;
        }
        generations.push_back(0); // site: generations
        return (uint32_t)generations.size() - 1;
    }
    void destroy(uint32_t e) {
        positions.remove(e);
        velocities.remove(e);
        sprites.remove(e);
        tags.remove(e);
        follows.remove(e);
        generations[e]++;
        free_ids.push_back(e); // site: free_ids
    }
    bool alive(uint32_t e, uint32_t generation) const { return generations[e] == generation; }
};

__attribute__((noinline)) static uint32_t spawn(World *w, unsigned r) {
    uint32_t e = w->create();
    w->positions.insert(e, Position{(float)(r % 640), (float)(r % 480)});
    if (r % 3 != 0) w->velocities.insert(e, Velocity{(float)(r % 7) - 3.0f, (float)(r % 5) - 2.0f});
    if (r % 2 == 0) {
        std::vector<uint8_t> pixels(64 + r % 192, (uint8_t)r); // site: pixels
        w->sprites.insert(e, Sprite{std::move(pixels), (int)(r % 4)});
    }
    if (r % 5 < 2) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "entity-%05u-of-kind-%u", e, r % 9);
        std::string label(buf); // site: label
        w->tags.insert(e, Tag{std::move(label)});
    }
    return e;
}

__attribute__((noinline)) static void step(World *w) {
    for (size_t i = 0; i < w->velocities.dense.size(); i++) {
        uint32_t e = w->velocities.entities[i];
        Position &p = w->positions.get(e);
        p.x += w->velocities.dense[i].dx;
        p.y += w->velocities.dense[i].dy;
    }
    for (size_t i = 0; i < w->follows.dense.size(); i++) {
        Follow &f = w->follows.dense[i];
        if (!w->alive(f.target, f.target_generation) || !w->positions.has(f.target)) continue;
        Position &me = w->positions.get(w->follows.entities[i]);
        Position &them = w->positions.get(f.target);
        me.x += (them.x - me.x) * 0.1f;
        me.y += (them.y - me.y) * 0.1f;
    }
}

int main() {
    World *w = new World; // site: world
    unsigned seed = 77;
    std::vector<uint32_t> live;
    for (int i = 0; i < 1200; i++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t e = spawn(w, seed >> 8);
        if (!live.empty() && i % 4 == 0) {
            uint32_t target = live[(seed >> 4) % live.size()];
            w->follows.insert(e, Follow{target, w->generations[target]});
        }
        live.push_back(e);
    }
    for (int round = 0; round < 20; round++) {
        step(w);
        for (int k = 0; k < 30; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % live.size();
            w->destroy(live[at]);
            live[at] = live.back();
            live.pop_back();
        }
        for (int k = 0; k < 25; k++) {
            seed = seed * 1103515245u + 12345u;
            live.push_back(spawn(w, seed >> 8));
        }
    }
    size_t pixels = 0;
    for (const Sprite &s : w->sprites.dense) pixels += s.pixels.size();
    size_t letters = 0;
    for (const Tag &t : w->tags.dense) letters += t.label.size();
    float sx = 0;
    for (const Position &p : w->positions.dense) sx += p.x;
    std::printf("%zu %zu %zu %zu %.0f\n", live.size(), w->sprites.dense.size(), pixels, letters, (double)sx);
    delete w;
    return 0;
}
