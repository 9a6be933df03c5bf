// A renderer's scene and material cache in C++: the scene (new) owns its meshes through a
// std::vector<std::unique_ptr<Mesh>> (reserved up front) and its material cache through
// a std::unique_ptr. The cache maps material names (long std::strings, built before and
// moved into the map) to std::shared_ptr<Material> (std::make_shared); every mesh using a
// material holds a shared_ptr too. A material owns its two textures (std::unique_ptr),
// each owning a path string and a texel vector; a mesh owns its vertex and index vectors.
// Mid-way meshes are unloaded (some materials then only live in the cache), the cache is
// trimmed of materials no mesh uses (use_count() == 1), and some materials are hot-
// reloaded (the cache's entry replaced by a new material; meshes keep the old one), so a
// material is freed either by the cache or by its last mesh. At the end the scene is
// deleted: its members in reverse order, the meshes, then the cache. No scan.
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct Texture {
    std::string path;
    std::vector<std::uint32_t> texels;
};

struct Material {
    int id = 0;
    std::unique_ptr<Texture> albedo;
    std::unique_ptr<Texture> normal;
    float roughness = 0.5f;
};

struct Mesh {
    std::vector<float> vertices;
    std::vector<std::uint32_t> indices;
    std::shared_ptr<Material> material;
};

struct MaterialCache {
    std::map<std::string, std::shared_ptr<Material>> entries;
    long loads = 0;
};

struct Scene {
    std::unique_ptr<MaterialCache> cache;
    std::vector<std::unique_ptr<Mesh>> meshes;
};

__attribute__((noinline)) static std::unique_ptr<Texture> load_texture(const std::string &material, const char *kind, int size) {
    auto tex = std::make_unique<Texture>(); // site: texture
    tex->path.reserve(64); // site: tex_path
    tex->path.append("textures/").append(material).append("/").append(kind).append(".png");
    tex->texels.assign((size_t)size * (size_t)size, 0xff808080u); // site: texels
    return tex;
}

__attribute__((noinline)) static std::shared_ptr<Material> make_material(const std::string &key, int id, int version) {
    auto mat = std::make_shared<Material>(); // site: material
    mat->id = id;
    mat->albedo = load_texture(key, "albedo", 8 + (id + version) % 5 * 4);
    mat->normal = load_texture(key, "normal", 8);
    mat->roughness = (float)((id + version) % 10) / 10.0f;
    return mat;
}

__attribute__((noinline)) static size_t reload(MaterialCache *cache, int version) {
    size_t reloaded = 0;
    for (auto &entry : cache->entries) {
        if (entry.second->id % 4 != version % 4) continue;
        entry.second = make_material(entry.first, entry.second->id, version);
        reloaded++;
    }
    return reloaded;
}

__attribute__((noinline)) static std::shared_ptr<Material> acquire(MaterialCache *cache, int id) {
    std::string key;
    key.reserve(40); // site: mat_key
    key.append("materials/standard/surface-").append(std::to_string(id));
    auto found = cache->entries.find(key);
    if (found != cache->entries.end()) return found->second;
    auto mat = make_material(key, id, 0);
    cache->loads++;
    cache->entries.emplace(std::move(key), mat); // site: cache_node
    return mat;
}

__attribute__((noinline)) static void add_mesh(Scene *scene, int id, int material) {
    auto mesh = std::make_unique<Mesh>(); // site: mesh
    size_t n = 30 + (size_t)(id % 17) * 12;
    mesh->vertices.resize(n * 3); // site: vertices
    mesh->indices.reserve(n * 2); // site: indices
    for (size_t i = 0; i < n * 3; i++) mesh->vertices[i] = (float)(i % 11) * 0.5f;
    for (size_t i = 0; i < n * 2; i++) mesh->indices.push_back((std::uint32_t)((i * 7) % n));
    mesh->material = acquire(scene->cache.get(), material);
    scene->meshes.push_back(std::move(mesh));
}

__attribute__((noinline)) static size_t trim(MaterialCache *cache) {
    size_t dropped = 0;
    for (auto it = cache->entries.begin(); it != cache->entries.end();) {
        if (it->second.use_count() == 1) {
            it = cache->entries.erase(it);
            dropped++;
        } else {
            ++it;
        }
    }
    return dropped;
}

static double draw(const Scene *scene) {
    double sum = 0;
    for (const auto &mesh : scene->meshes)
        sum += mesh->vertices[mesh->indices[mesh->indices.size() / 2] % mesh->vertices.size()] +
               mesh->material->roughness + (double)mesh->material->albedo->texels.size() / 64.0 +
               (double)mesh->material->normal->path.size();
    return sum;
}

int main() {
    Scene *scene = new Scene; // site: scene
    scene->cache = std::make_unique<MaterialCache>(); // site: cache
    scene->meshes.reserve(800); // site: meshes
    unsigned seed = 77;
    int next_mesh = 0;
    double total = 0;
    size_t trimmed = 0, reloaded = 0;
    for (int frame = 0; frame < 8; frame++) {
        for (int k = 0; k < 90; k++) {
            seed = seed * 1103515245u + 12345u;
            add_mesh(scene, next_mesh++, (int)((seed >> 10) % (20 + (unsigned)frame * 10)));
        }
        total += draw(scene);
        for (size_t i = 0; i < scene->meshes.size();) {
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 12) % 3 == 0) scene->meshes.erase(scene->meshes.begin() + (long)i);
            else i++;
        }
        if (frame % 2 == 1) trimmed += trim(scene->cache.get());
        if (frame % 3 == 2) reloaded += reload(scene->cache.get(), frame);
    }
    std::printf("%.2f %zu %zu %zu %zu %ld\n", total, scene->meshes.size(), scene->cache->entries.size(), trimmed, reloaded, scene->cache->loads);
    delete scene;
    return 0;
}
