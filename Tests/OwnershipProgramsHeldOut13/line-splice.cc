// Editor buffers as std::list<Line>: a reserved vector of unique_ptr<Buffer> (short
// names, no heap), each buffer a std::list whose nodes hold a line number and a long
// text. Lines are appended, erased, and moved between buffers with splice (the nodes
// move, nothing is allocated); at the end one buffer is closed by splicing all of its
// lines into the first and erasing it from the vector. No scan.
#include <cstdio>
#include <iterator>
#include <list>
#include <memory>
#include <string>
#include <vector>

struct Line {
    int no;
    std::string text;
};

struct Buffer {
    std::string name;
    std::list<Line> lines;
};

static unsigned long seed = 5150;
static unsigned rnd() {
    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
    return unsigned(seed >> 33);
}

static std::string make_text(int no) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "    line %d: return compute(%u, \"%s\");", no, rnd() % 1000, no % 2 ? "fast" : "exact");
    return std::string(buf); // site: text
}

int main() {
    std::vector<std::unique_ptr<Buffer>> buffers;
    buffers.reserve(5); // site: buffers_buf
    for (int i = 0; i < 5; i++) {
        buffers.push_back(std::make_unique<Buffer>()); // site: buffer
        buffers.back()->name = "buf" + std::to_string(i);
    }
    int next_no = 0;
    long moved = 0;
    for (int step = 0; step < 3000; step++) {
        Buffer &b = *buffers[rnd() % buffers.size()];
        unsigned op = rnd() % 10;
        if (op < 5) {
            std::string text = make_text(next_no);
            b.lines.push_back(Line{next_no++, std::move(text)}); // site: line_node
        } else if (op < 7) {
            if (b.lines.empty()) continue;
            auto it = b.lines.begin();
            std::advance(it, rnd() % b.lines.size());
            b.lines.erase(it);
        } else {
            Buffer &dst = *buffers[rnd() % buffers.size()];
            if (&dst == &b || b.lines.size() < 4) continue;
            auto first = b.lines.begin();
            std::advance(first, rnd() % (b.lines.size() / 2));
            auto last = first;
            std::advance(last, 1 + rnd() % 3);
            auto pos = dst.lines.begin();
            if (!dst.lines.empty()) std::advance(pos, rnd() % dst.lines.size());
            moved += std::distance(first, last);
            dst.lines.splice(pos, b.lines, first, last);
        }
    }
    buffers[0]->lines.splice(buffers[0]->lines.end(), buffers[3]->lines);
    buffers.erase(buffers.begin() + 3);
    for (auto &b : buffers) {
        long sum = 0;
        for (auto &l : b->lines) sum += l.no * 3 + long(l.text.size());
        std::printf("%s: %zu lines, checksum %ld\n", b->name.c_str(), b->lines.size(), sum);
    }
    std::printf("moved %ld lines by splice\n", moved);
    return 0;
}
