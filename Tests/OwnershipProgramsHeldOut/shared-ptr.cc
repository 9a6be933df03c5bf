// C++ std::shared_ptr sharing: textures (each owning a std::vector of pixels) are made
// with std::make_shared (object and control block in one allocation) or with
// shared_ptr(new ...) (two allocations: the object, then the control block). Sprites (new)
// hold a shared_ptr to a texture; several sprites share each texture. Sprites are held by
// a std::vector<std::unique_ptr<Sprite>> reserved up front. A scan runs while they live;
// then sprites are destroyed in a shuffled order, the last one of a texture destroying it.
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>
extern "C" {
#include "scan.h"
}

struct Texture {
    std::vector<uint8_t> pixels;
    explicit Texture(size_t n) : pixels(n, 7) {} // site: pixels
};

struct Sprite {
    std::shared_ptr<Texture> texture;
    int x, y;
};

__attribute__((noinline)) static std::shared_ptr<Texture> made(size_t n) {
    return std::make_shared<Texture>(n); // site: made_texture
}

__attribute__((noinline)) static std::shared_ptr<Texture> wrapped(size_t n) {
    Texture *raw = new Texture(n); // site: wrapped_texture
    return std::shared_ptr<Texture>(raw); // site: control
}

__attribute__((noinline)) static Sprite *sprite_new(const std::shared_ptr<Texture> &t, int i) {
    return new Sprite{t, i, -i}; // site: sprite
}

int main() {
    std::vector<std::unique_ptr<Sprite>> sprites;
    sprites.reserve(300); // site: sprites
    for (int i = 0; i < 60; i++) {
        std::shared_ptr<Texture> t = i % 2 ? made(64 + i) : wrapped(64 + i);
        for (int j = 0; j < 5; j++) sprites.emplace_back(sprite_new(t, i * 5 + j));
    }
    scan_now();
    srand(13);
    for (size_t i = sprites.size() - 1; i > 0; i--) std::swap(sprites[i], sprites[rand() % (i + 1)]);
    long sum = 0;
    while (!sprites.empty()) {
        sum += (long)sprites.back()->texture->pixels.size();
        sprites.pop_back();
    }
    std::printf("%ld\n", sum);
    return 0;
}
