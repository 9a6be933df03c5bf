// C++ widgets behind the pimpl idiom. A window (make_unique) owns a reserved vector of
// std::unique_ptr<Widget>; each Widget holds only a std::unique_ptr<Impl>, and the Impl
// owns the widget's title (a heap std::string) and a reserved vector of raw pointers to
// the widgets listening to it. Clicks propagate one hop to listeners; a closed widget
// is first removed from every listener vector, then erased from the window (its Impl,
// title and listener vector destroyed with it). Widgets are opened and closed for a
// while; the window is destroyed at the end. No scan.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

static unsigned long rng = 24680;
static unsigned rnd() {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

class Widget {
public:
    explicit Widget(int id);
    ~Widget();
    int id() const;
    bool listen_to(Widget *source);
    void forget(Widget *w);
    void click(long amount);
    long clicks() const;
    size_t title_len() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl;
};

struct Widget::Impl {
    int id = 0;
    long clicks = 0;
    std::string title;
    std::vector<Widget *> listeners;
};

Widget::Widget(int id) {
    impl = std::make_unique<Impl>(); // site: impl
    impl->id = id;
    char buf[64];
    std::snprintf(buf, sizeof buf, "widget number %d of the main window", id);
    impl->title.assign(buf); // site: title
    impl->listeners.reserve(8); // site: listeners
}

Widget::~Widget() = default;
int Widget::id() const { return impl->id; }
long Widget::clicks() const { return impl->clicks; }
size_t Widget::title_len() const { return impl->title.size(); }

bool Widget::listen_to(Widget *source) {
    auto &ls = source->impl->listeners;
    if (source == this || ls.size() == ls.capacity()) return false;
    if (std::find(ls.begin(), ls.end(), this) != ls.end()) return false;
    ls.push_back(this);
    return true;
}

void Widget::forget(Widget *w) {
    auto &ls = impl->listeners;
    ls.erase(std::remove(ls.begin(), ls.end(), w), ls.end());
}

void Widget::click(long amount) {
    impl->clicks += amount;
    for (Widget *l : impl->listeners) l->impl->clicks += amount / 2;
}

struct Window {
    std::vector<std::unique_ptr<Widget>> widgets;
};

int main() {
    auto win = std::make_unique<Window>(); // site: window
    win->widgets.reserve(64); // site: widgets_buf
    int next = 0;
    long closed_clicks = 0, links = 0;
    for (int step = 0; step < 4000; step++) {
        unsigned op = rnd() % 10;
        auto &ws = win->widgets;
        if (ws.size() < 4 || (op < 3 && ws.size() < 64)) {
            ws.push_back(std::make_unique<Widget>(next++)); // site: widget
        } else if (op < 6) {
            Widget *a = ws[rnd() % ws.size()].get(), *b = ws[rnd() % ws.size()].get();
            links += a->listen_to(b);
        } else if (op < 9) {
            ws[rnd() % ws.size()]->click(1 + rnd() % 9);
        } else {
            size_t i = rnd() % ws.size();
            Widget *doomed = ws[i].get();
            for (auto &w : ws) w->forget(doomed);
            closed_clicks += doomed->clicks() + (long)doomed->title_len();
            ws.erase(ws.begin() + (long)i);
        }
        if (step % 1000 == 999) {
            long live = 0;
            for (auto &w : ws) live += w->clicks();
            std::printf("step %d: %zu widgets, links %ld, live clicks %ld, closed %ld\n",
                        step + 1, ws.size(), links, live, closed_clicks);
        }
    }
    win.reset();
    std::printf("widgets made %d\n", next);
    return 0;
}
