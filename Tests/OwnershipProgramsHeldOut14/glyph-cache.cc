// Text layout over a glyph cache: a reserved vector of make_unique'd Fonts, each owning
// a long family name and a reserved vector of make_unique'd Glyphs (each owning a
// make_unique<unsigned char[]> bitmap). Layout produces a reserved vector of Runs whose
// reserved glyph vectors hold raw pointers into the fonts' glyphs. Each paragraph's runs
// are destroyed (clear) before the next; a font is unloaded mid-way (reset and erased
// from the font vector) after the runs pointing into it are gone. No scan.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

struct Glyph {
    int code = 0;
    int width = 0;
    std::unique_ptr<unsigned char[]> bitmap;
};

struct Font {
    std::string family;
    std::vector<std::unique_ptr<Glyph>> glyphs;
};

struct Run {
    const Font *font = nullptr;
    std::vector<const Glyph *> glyphs;
};

static std::unique_ptr<Font> load_font(const char *family, int weight) {
    auto f = std::make_unique<Font>(); // site: font
    f->family.reserve(48); // site: family
    f->family.assign(family);
    f->glyphs.reserve(95); // site: glyphs_buf
    for (int c = 32; c < 127; c++) {
        auto g = std::make_unique<Glyph>(); // site: glyph
        g->code = c;
        g->width = 4 + (c * weight) % 7;
        g->bitmap = std::make_unique<unsigned char[]>(g->width * 12); // site: bitmap
        for (int i = 0; i < g->width * 12; i++) g->bitmap[i] = (unsigned char)((c * 13 + i * weight) & 0xff);
        f->glyphs.push_back(std::move(g));
    }
    return f;
}

static long layout(const std::vector<std::unique_ptr<Font>> &fonts, const char *text, std::vector<Run> &runs) {
    long ink = 0;
    size_t n = 0;
    for (const char *p = text; *p; p += n) {
        const Font *f = fonts[(p - text) / 9 % fonts.size()].get();
        runs.emplace_back();
        Run &r = runs.back();
        r.font = f;
        r.glyphs.reserve(9); // site: run_glyphs
        for (n = 0; n < 9 && p[n]; n++) {
            const Glyph *g = f->glyphs[(unsigned char)p[n] - 32].get();
            r.glyphs.push_back(g);
            ink += g->bitmap[g->width * 6] + g->width;
        }
    }
    return ink;
}

int main() {
    std::vector<std::unique_ptr<Font>> fonts;
    fonts.reserve(3); // site: fonts_buf
    fonts.push_back(load_font("DejaVu Sans Condensed, regular weight", 3));
    fonts.push_back(load_font("Liberation Serif, bold weight, hinted", 5));
    fonts.push_back(load_font("Noto Sans Mono, light weight, unhinted", 2));
    std::vector<Run> runs;
    runs.reserve(12); // site: runs_buf
    static const char *paras[] = {
        "The quick brown fox jumps over the lazy dog; 0123456789.",
        "Pack my box with five dozen liquor jugs, said the typesetter.",
        "Sphinx of black quartz, judge my vow! (again and again)",
        "How vexingly quick daft zebras jump over the quiet fence.",
    };
    long ink = 0;
    size_t most = 0;
    for (int i = 0; i < 4; i++) {
        ink += layout(fonts, paras[i], runs);
        if (runs.size() > most) most = runs.size();
        runs.clear();
        if (i == 1) {
            fonts[1].reset();
            fonts.erase(fonts.begin() + 1);
        }
    }
    std::printf("%zu fonts left (%s), at most %zu runs, ink %ld\n", fonts.size(), fonts[1]->family.c_str(), most, ink);
    return 0;
}
