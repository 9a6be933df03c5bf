// Texture streaming cache: a make_unique'd Cache owns a reserved vector of
// unique_ptr<Texture>; each texture owns a long name (reserved) and a
// make_unique<Mip[]> array of mip levels (a new[] array with a count cookie, since Mip
// has a destructor), each level owning a reserved pixel vector. A reserved residency
// vector of const Mip* points at the levels currently uploaded (into the middle of the
// mip arrays: non-owning). Streaming passes change the resident levels; a texture is
// evicted after its residency entries are removed. No scan.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

struct Mip {
    int level = 0, w = 0, h = 0;
    std::vector<std::uint8_t> pixels;
};

struct Texture {
    std::string name;
    int levels = 0;
    std::unique_ptr<Mip[]> mips;
};

struct Cache {
    std::vector<std::unique_ptr<Texture>> textures;
    std::vector<const Mip *> resident;
};

static void load(Cache &c, const char *name, int size) {
    auto t = std::make_unique<Texture>(); // site: texture
    t->name.reserve(48); // site: tex_name
    t->name = std::string("textures/") + name + ".ktx2";
    int levels = 0;
    for (int s = size; s >= 4; s /= 2) levels++;
    t->levels = levels;
    t->mips = std::make_unique<Mip[]>(static_cast<size_t>(levels)); // site: mips
    for (int l = 0, s = size; l < levels; l++, s /= 2) {
        Mip &m = t->mips[static_cast<size_t>(l)];
        m.level = l;
        m.w = m.h = s;
        m.pixels.reserve(static_cast<size_t>(s * s)); // site: pixels
        for (int i = 0; i < s * s; i++) m.pixels.push_back(static_cast<std::uint8_t>((i * 7 + l * 13 + size) & 0xff));
    }
    c.textures.push_back(std::move(t));
}

// Keep the finest level whose size fits the per-texture budget, and all coarser ones.
static void stream(Cache &c, int budget) {
    c.resident.clear();
    for (auto &t : c.textures)
        for (int l = 0; l < t->levels; l++)
            if (t->mips[static_cast<size_t>(l)].w <= budget) c.resident.push_back(&t->mips[static_cast<size_t>(l)]);
}

static unsigned long resident_bytes(const Cache &c) {
    unsigned long b = 0;
    for (const Mip *m : c.resident) b += m->pixels.size();
    return b;
}

int main() {
    auto cache = std::make_unique<Cache>(); // site: cache
    cache->textures.reserve(8); // site: textures_buf
    cache->resident.reserve(32); // site: resident_buf
    const char *names[] = {"brick_wall_albedo", "brick_wall_normal", "grass_field_albedo", "sky_dome_gradient",
                           "metal_panel_roughness"};
    int sizes[] = {64, 64, 32, 16, 32};
    for (int i = 0; i < 5; i++) load(*cache, names[i], sizes[i]);
    for (int budget : {8, 32, 64, 16}) {
        stream(*cache, budget);
        std::printf("budget %2d: %zu levels resident, %lu bytes\n", budget, cache->resident.size(),
                    resident_bytes(*cache));
    }
    // evict the third texture: drop its residency entries first
    Texture *victim = cache->textures[2].get();
    auto *first = &victim->mips[0];
    auto *last = first + victim->levels;
    cache->resident.erase(std::remove_if(cache->resident.begin(), cache->resident.end(),
                                         [&](const Mip *m) { return m >= first && m < last; }),
                          cache->resident.end());
    std::printf("evicting %s, %zu levels remain resident\n", victim->name.c_str(), cache->resident.size());
    cache->textures.erase(cache->textures.begin() + 2);
    stream(*cache, 64);
    std::printf("after eviction: %zu textures, %zu levels, %lu bytes\n", cache->textures.size(),
                cache->resident.size(), resident_bytes(*cache));
    return 0;
}
