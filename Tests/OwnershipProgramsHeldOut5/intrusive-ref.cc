// A 2D canvas's retained display lists with intrusive reference counting (the
// boost::intrusive_ptr / WebKit RefPtr / Skia sk_sp pattern, hand-written): paths and
// paints derive from RefCounted, which keeps the count inside the object, and a Ref<T>
// smart pointer adds and drops counts; dropping the last one deletes the object. The
// canvas (new) owns its layers (std::vector<std::unique_ptr<Layer>>, reserved) and a path
// cache (std::vector<Ref<Path>>, reserved, oldest evicted when full). A layer owns its
// name and a display list, a std::vector<DrawCmd> grown by push_back, and holds its fill
// paint; each command holds its path and its paint. A path owns its point buffer and may
// hold the path it is clipped by. Each frame a layer's list is cleared and re-recorded
// from cached paths; fills are replaced, layers removed and added. So a path is freed by
// the cache's eviction, by a display list being cleared or destroyed, or by the last
// path clipped by it; a paint by its layer or by a display list. One scan, after the
// third frame.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>
#include "scan.h"

struct RefCounted {
    int refs = 0;
    virtual ~RefCounted() = default;
};

template <class T> class Ref {
  public:
    Ref() = default;
    explicit Ref(T *p) : p_(p) { retain(); }
    Ref(const Ref &o) : p_(o.p_) { retain(); }
    Ref(Ref &&o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    Ref &operator=(Ref o) noexcept {
        std::swap(p_, o.p_);
        return *this;
    }
    ~Ref() { release(); }
    T *operator->() const { return p_; }
    T *get() const { return p_; }
    explicit operator bool() const { return p_ != nullptr; }

  private:
    void retain() {
        if (p_) p_->refs++;
    }
    void release() {
        if (p_ && --p_->refs == 0) delete p_;
        p_ = nullptr;
    }
    T *p_ = nullptr;
};

struct Point {
    float x, y;
};

struct Path : RefCounted {
    int id = 0;
    std::vector<Point> points;
    Ref<Path> clip;
};

struct Paint : RefCounted {
    std::uint32_t color = 0;
    float width = 1.0f;
};

struct DrawCmd {
    Ref<Path> path;
    Ref<Paint> paint;
    float dx = 0, dy = 0;
};

struct Layer {
    int z = 0;
    std::string name;
    Ref<Paint> fill;
    std::vector<DrawCmd> cmds;
};

struct Canvas {
    std::vector<std::unique_ptr<Layer>> layers;
    std::vector<Ref<Path>> path_cache;
    long created = 0, evicted = 0;
};

__attribute__((noinline)) static Ref<Paint> make_paint(std::uint32_t color, float width) {
    Ref<Paint> paint(new Paint); // site: paint
    paint->color = color;
    paint->width = width;
    return paint;
}

__attribute__((noinline)) static Ref<Path> cached_path(Canvas *canvas, int id) {
    for (const auto &p : canvas->path_cache)
        if (p->id == id) return p;
    Ref<Path> path(new Path); // site: path
    path->id = id;
    size_t n = 8 + (size_t)(id % 9) * 6;
    path->points.reserve(n); // site: points
    for (size_t i = 0; i < n; i++) path->points.push_back(Point{(float)(i * 3 % 17), (float)(id % 23)});
    if (id % 5 == 0 && !canvas->path_cache.empty()) path->clip = canvas->path_cache.back();
    if (canvas->path_cache.size() == canvas->path_cache.capacity()) {
        canvas->path_cache.erase(canvas->path_cache.begin());
        canvas->evicted++;
    }
    canvas->path_cache.push_back(path);
    canvas->created++;
    return path;
}

__attribute__((noinline)) static void add_layer(Canvas *canvas, int z) {
    auto layer = std::make_unique<Layer>(); // site: layer
    layer->z = z;
    layer->name.reserve(48); // site: layer_name
    layer->name.append("layer/").append(std::to_string(z)).append("/content-with-a-long-name");
    layer->fill = make_paint(0xff000000u | (std::uint32_t)z * 2654435761u, 1.0f);
    canvas->layers.push_back(std::move(layer));
}

__attribute__((noinline)) static void record(Canvas *canvas, Layer *layer, unsigned &seed, int count) {
    layer->cmds.clear();
    for (int i = 0; i < count; i++) {
        seed = seed * 1103515245u + 12345u;
        DrawCmd cmd;
        cmd.path = cached_path(canvas, (int)((seed >> 8) % 90));
        cmd.paint = (seed >> 20) % 3 == 0 ? make_paint(seed, 2.0f) : layer->fill;
        cmd.dx = (float)(i % 7);
        layer->cmds.push_back(std::move(cmd)); // site: cmds
    }
}

static double render(const Canvas *canvas) {
    double sum = 0;
    for (const auto &layer : canvas->layers)
        for (const auto &cmd : layer->cmds) {
            sum += cmd.path->points.back().x + cmd.dx + (double)(cmd.paint->color % 97) * cmd.paint->width;
            if (cmd.path->clip) sum += (double)cmd.path->clip->points.size();
        }
    return sum;
}

int main() {
    Canvas *canvas = new Canvas; // site: canvas
    canvas->layers.reserve(16); // site: layers
    canvas->path_cache.reserve(48); // site: path_cache
    for (int z = 0; z < 6; z++) add_layer(canvas, z);
    unsigned seed = 1;
    int next_z = 6;
    double total = 0;
    for (int frame = 0; frame < 12; frame++) {
        for (auto &layer : canvas->layers) record(canvas, layer.get(), seed, 20 + (int)((seed >> 9) % 40));
        total += render(canvas);
        if (frame == 2) scan_now();
        seed = seed * 1103515245u + 12345u;
        Layer *victim = canvas->layers[(seed >> 10) % canvas->layers.size()].get();
        victim->fill = make_paint(seed, 1.5f);
        if (frame % 3 == 1) canvas->layers.erase(canvas->layers.begin() + (long)((seed >> 14) % canvas->layers.size()));
        if (frame % 4 == 3 && canvas->layers.size() < canvas->layers.capacity()) add_layer(canvas, next_z++);
    }
    size_t cmds = 0;
    for (const auto &layer : canvas->layers) cmds += layer->cmds.size();
    std::printf("%.1f %zu %zu %ld %ld\n", total, canvas->layers.size(), cmds, canvas->created, canvas->evicted);
    delete canvas;
    return 0;
}
