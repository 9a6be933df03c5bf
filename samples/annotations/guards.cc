// The C++ guards of memscope.hpp: two worker threads run requests as tasks 1–4 inside a
// "handle" scope; request 3 leaks its buffer. Build and record:
//   g++ -std=c++17 -g -pthread -I Sources/MemscopePreload/include samples/annotations/guards.cc -o guards
//   memscope record -o guards.msd -- ./guards
#include "memscope.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

struct Request {
    std::uint64_t id;
    std::vector<char> body;
};

static std::vector<char> *leaked;

static void handle(std::uint64_t id) {
    memscope::Task task(id);
    memscope::Scope scope("handle");
    auto request = std::make_unique<Request>();
    memscope::track(request, "request");
    request->id = id;
    request->body.assign(1000 * id, 'x');
    if (id == 3) leaked = new std::vector<char>(request->body); // never freed
}

int main() {
    {
        memscope::Scope scope("setup");
        std::vector<std::string> names;
        for (int i = 0; i < 100; i++) names.push_back("a name long enough to allocate " + std::to_string(i));
    }
    std::thread a([] { handle(1); handle(3); });
    std::thread b([] { handle(2); handle(4); });
    a.join();
    b.join();
    std::printf("%zu bytes kept by request 3\n", leaked->size());
}
