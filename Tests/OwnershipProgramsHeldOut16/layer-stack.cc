// Image editor layer stack: a make_unique'd Document owns a reserved vector of
// unique_ptr<Layer>; each layer owns a make_unique'd pixel array and may point at a
// group layer as its parent (non-owning raw pointer). The current selection is a
// reserved vector of Layer* (non-owning). Layer names are short (in the string's
// inline buffer: no heap block). Some leaf layers are deleted (selection cleared
// first), the rest are composited. No scan.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

struct Layer {
    std::string name;
    bool group = false;
    Layer *parent = nullptr;
    int w = 0, h = 0;
    std::unique_ptr<uint32_t[]> pixels;
};

struct Document {
    std::vector<std::unique_ptr<Layer>> layers;
    std::vector<Layer *> selection;
};

int main() {
    auto doc = std::make_unique<Document>(); // site: doc
    doc->layers.reserve(32); // site: layers_buf
    doc->selection.reserve(32); // site: selection_buf
    Layer *groups[3] = {nullptr, nullptr, nullptr};
    for (int i = 0; i < 20; i++) {
        auto layer = std::make_unique<Layer>(); // site: layer
        layer->name = "L" + std::to_string(i);
        layer->group = i % 7 == 0;
        layer->w = 16 + i % 4 * 8;
        layer->h = 12;
        layer->pixels = std::make_unique<uint32_t[]>(static_cast<size_t>(layer->w) * layer->h); // site: pixels
        for (int p = 0; p < layer->w * layer->h; p++) layer->pixels[p] = static_cast<uint32_t>(i * 2654435761u + p);
        if (layer->group) groups[i / 7] = layer.get();
        else layer->parent = groups[i / 7];
        doc->layers.push_back(std::move(layer));
    }
    for (auto &l : doc->layers)
        if (!l->group && l->w == 24) doc->selection.push_back(l.get());
    unsigned long sel_area = 0;
    for (Layer *l : doc->selection) sel_area += static_cast<unsigned long>(l->w) * l->h;
    std::printf("layers %zu selected %zu area %lu\n", doc->layers.size(), doc->selection.size(), sel_area);
    doc->selection.clear();
    for (size_t i = doc->layers.size(); i-- > 0;)
        if (!doc->layers[i]->group && i % 3 == 2) doc->layers.erase(doc->layers.begin() + static_cast<long>(i));
    unsigned long sum = 0;
    int nested = 0;
    for (auto &l : doc->layers) {
        if (l->parent) nested++;
        for (int p = 0; p < l->w * l->h; p++) sum = (sum * 31 + l->pixels[p]) % 1000000007ul;
    }
    std::printf("after delete %zu nested %d composite %lu last %s\n", doc->layers.size(), nested, sum,
                doc->layers.back()->name.c_str());
    return 0;
}
