// Signals and slots with std::function callbacks (the pattern of many C++ GUI and game
// toolkits): a document (new) has two signals, each a std::vector of slots (an id and a
// std::function, grown by push_back). Widgets are created with std::make_shared and kept
// by the application in a std::vector<std::shared_ptr<Widget>> (reserved). Connecting a
// widget builds a lambda that captures a copy of the widget's shared_ptr and of a long
// tag string (copied on the lambda's line) and moves it into a std::function: a capture
// of that size is not stored inside the std::function, so the function allocates a block
// for the lambda, which then holds the widget and owns the tag. Widgets are closed
// mid-way (the application drops its shared_ptr while slots still hold the widget) and
// slots disconnected (erase destroys the std::function and its block, dropping the
// capture), so a widget is freed by the application or by its last slot. A widget owns
// its event log. At the end the application's widgets, then the document are released.
// No scan.
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

struct Event {
    int kind;
    long value;
};

struct Widget {
    int id = 0;
    long seen = 0;
    std::vector<long> log;
    void on_event(const Event &e, const std::string &tag) {
        seen += e.value + (long)tag.size();
        if (log.size() < log.capacity()) log.push_back(e.value * 10 + e.kind);
    }
};

class Signal {
  public:
    int connect(std::function<void(const Event &)> fn) {
        int id = next_id_++;
        slots_.push_back(Slot{id, std::move(fn)}); // site: slots
        return id;
    }
    void disconnect(int id) {
        for (auto it = slots_.begin(); it != slots_.end(); ++it)
            if (it->id == id) {
                slots_.erase(it);
                return;
            }
    }
    void emit(const Event &e) const {
        for (const auto &slot : slots_) slot.fn(e);
    }
    size_t size() const { return slots_.size(); }

  private:
    struct Slot {
        int id;
        std::function<void(const Event &)> fn;
    };
    std::vector<Slot> slots_;
    int next_id_ = 1;
};

struct Document {
    Signal changed;
    Signal saved;
    long version = 0;
};

struct Connection {
    int widget;
    bool on_saved;
    int id;
};

__attribute__((noinline)) static std::shared_ptr<Widget> make_widget(int id) {
    auto w = std::make_shared<Widget>(); // site: widget
    w->id = id;
    w->log.reserve(32); // site: widget_log
    return w;
}

__attribute__((noinline)) static int subscribe(Document *doc, const std::shared_ptr<Widget> &w, bool on_saved) {
    std::string tag;
    tag.reserve(40);
    tag.append("widget-").append(std::to_string(w->id)).append(on_saved ? "/on-saved-handler" : "/on-changed-handler");
    auto cb = [w, tag](const Event &e) { w->on_event(e, tag); }; // site: tag_copy
    Signal &signal = on_saved ? doc->saved : doc->changed;
    return signal.connect(std::move(cb)); // site: functor
}

int main() {
    Document *doc = new Document; // site: doc
    std::vector<std::shared_ptr<Widget>> widgets;
    widgets.reserve(64); // site: app_widgets
    std::vector<Connection> conns;
    conns.reserve(512); // site: conns
    unsigned seed = 12;
    int next_widget = 0;
    long total = 0;
    for (int step = 0; step < 900; step++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 8;
        switch (r % 8) {
        case 0:
            if (widgets.size() < widgets.capacity()) widgets.push_back(make_widget(next_widget++));
            break;
        case 1: case 2:
            if (!widgets.empty() && conns.size() < conns.capacity()) {
                const auto &w = widgets[(r >> 4) % widgets.size()];
                bool on_saved = (r >> 12) & 1;
                conns.push_back(Connection{w->id, on_saved, subscribe(doc, w, on_saved)});
            }
            break;
        case 3:
            if (!conns.empty()) {
                size_t i = (r >> 4) % conns.size();
                (conns[i].on_saved ? doc->saved : doc->changed).disconnect(conns[i].id);
                conns.erase(conns.begin() + (long)i);
            }
            break;
        case 4:
            if (!widgets.empty() && (r >> 16) % 3 == 0) {
                size_t i = (r >> 4) % widgets.size();
                total += widgets[i]->seen;
                widgets.erase(widgets.begin() + (long)i);
            }
            break;
        default:
            doc->version++;
            doc->changed.emit(Event{1, doc->version});
            if (r % 16 == 7) doc->saved.emit(Event{2, doc->version});
        }
    }
    for (const auto &w : widgets) total += w->seen + (long)w->log.size();
    std::printf("%ld %zu %zu %zu %zu %ld\n", total, widgets.size(), conns.size(), doc->changed.size(), doc->saved.size(), doc->version);
    widgets.clear();
    delete doc;
    return 0;
}
