// A C++ texture atlas: pages (std::make_shared: counts and Page in one block) own a
// pixel buffer (std::make_unique<std::uint8_t[]>); sprites (std::make_unique) are packed
// into the atlas's open page row by row, each holding a std::shared_ptr to its page and a
// raw pointer to its first pixel inside the page's buffer (an interior pointer), and
// owning a long name string. The atlas (new) holds the open page (a full page is
// replaced by a fresh one and lives on while sprites use it) and two vectors of
// std::unique_ptr<Sprite>: the live sprites (grown by push_back) and the sprites retiring
// this frame (reserved once). Sprites retire by being moved from the live vector to the
// retiring one (swap with the last live sprite, pop_back); the retiring vector is cleared
// at the end of each frame, deleting them. No scan.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

constexpr int PAGE_W = 96, PAGE_H = 96;

struct Page {
    int id = 0;
    int cursor_x = 0, cursor_y = 0, row_h = 0;
    std::unique_ptr<std::uint8_t[]> px;
};

struct Sprite {
    std::shared_ptr<Page> page;
    std::uint8_t *pixels = nullptr;
    int w = 0, h = 0;
    std::string name;
};

struct Atlas {
    std::shared_ptr<Page> open;
    std::vector<std::unique_ptr<Sprite>> live;
    std::vector<std::unique_ptr<Sprite>> retiring;
    int pages = 0;
};

static unsigned long rng = 8080;
static unsigned rnd() {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

__attribute__((noinline)) static std::shared_ptr<Page> new_page(int id) {
    auto p = std::make_shared<Page>(); // site: page
    p->id = id;
    p->px = std::make_unique<std::uint8_t[]>((size_t)PAGE_W * PAGE_H); // site: page_px
    return p;
}

// Reserves a w x h rectangle in the open page (a new page when it does not fit).
static std::uint8_t *place(Atlas &a, int w, int h) {
    Page *p = a.open.get();
    if (p->cursor_x + w > PAGE_W) {
        p->cursor_x = 0;
        p->cursor_y += p->row_h;
        p->row_h = 0;
    }
    if (p->cursor_y + h > PAGE_H) {
        a.open = new_page(++a.pages);
        p = a.open.get();
    }
    std::uint8_t *at = p->px.get() + (size_t)p->cursor_y * PAGE_W + (size_t)p->cursor_x;
    p->cursor_x += w;
    if (h > p->row_h) p->row_h = h;
    return at;
}

__attribute__((noinline)) static void add_sprite(Atlas &a, int n) {
    auto s = std::make_unique<Sprite>(); // site: sprite
    s->w = 8 + (int)(rnd() % 17);
    s->h = 8 + (int)(rnd() % 17);
    s->pixels = place(a, s->w, s->h);
    s->page = a.open;
    for (int y = 0; y < s->h; y++)
        for (int x = 0; x < s->w; x++) s->pixels[(size_t)y * PAGE_W + (size_t)x] = (std::uint8_t)(n + x * y);
    char buf[64];
    std::snprintf(buf, sizeof buf, "ui/icons/toolbar/button-%05d@2x.png", n);
    s->name.assign(buf); // site: sprite_name
    a.live.push_back(std::move(s)); // site: live_buf
}

static long draw(const Atlas &a) {
    long sum = 0;
    for (const auto &s : a.live) sum += s->pixels[(size_t)(s->h / 2) * PAGE_W + (size_t)(s->w / 2)] + s->page->id + (long)s->name.size();
    return sum;
}

int main() {
    Atlas *a = new Atlas; // site: atlas
    a->retiring.reserve(64); // site: retiring
    a->open = new_page(0);
    long sum = 0;
    int made = 0, retired = 0;
    for (int frame = 0; frame < 300; frame++) {
        int adds = 2 + (int)(rnd() % 5);
        for (int i = 0; i < adds; i++) add_sprite(*a, made++);
        int kills = (int)(rnd() % 6);
        for (int i = 0; i < kills && !a->live.empty() && a->retiring.size() < a->retiring.capacity(); i++) {
            size_t k = rnd() % a->live.size();
            std::swap(a->live[k], a->live.back());
            a->retiring.push_back(std::move(a->live.back()));
            a->live.pop_back();
        }
        sum += draw(*a);
        retired += (int)a->retiring.size();
        a->retiring.clear();
    }
    std::printf("sprites=%d retired=%d live=%zu pages=%d sum=%ld\n", made, retired, a->live.size(), a->pages + 1, sum);
    delete a;
    return 0;
}
