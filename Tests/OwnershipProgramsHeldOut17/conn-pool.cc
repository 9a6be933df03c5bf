// Database connection pool with RAII leases: a make_unique'd Pool keeps idle
// connections in a reserved vector of raw pointers (it deletes them when it trims or is
// destroyed); acquire() hands out std::unique_ptr<Conn, Returner> leases whose deleter
// holds a pointer to the pool and gives the connection back instead of deleting it.
// Active leases live in a reserved vector on main's stack. Connections own long host
// strings (reserved) and point back at their pool. No scan.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

struct Pool;

struct Conn {
    int id = 0;
    int uses = 0;
    std::string host;
    Pool *home = nullptr;
};

struct Returner {
    Pool *pool = nullptr;
    void operator()(Conn *c) const;
};

using Lease = std::unique_ptr<Conn, Returner>;

struct Pool {
    std::vector<Conn *> idle;
    size_t max_idle = 3;
    int created = 0, trimmed = 0;

    Lease acquire(int shard) {
        Conn *c;
        if (!idle.empty()) {
            c = idle.back();
            idle.pop_back();
        } else {
            c = new Conn(); // site: conn
            c->id = created++;
            c->home = this;
            c->host.reserve(64); // site: host
            c->host = "db-shard-" + std::to_string(shard) + ".internal.example.net:5432";
        }
        c->uses++;
        return Lease(c, Returner{this});
    }

    void give_back(Conn *c) {
        if (idle.size() >= max_idle) {
            trimmed++;
            delete c;
            return;
        }
        idle.push_back(c);
    }

    ~Pool() {
        for (Conn *c : idle) delete c;
    }
};

void Returner::operator()(Conn *c) const { pool->give_back(c); }

int main() {
    auto pool = std::make_unique<Pool>(); // site: pool
    pool->idle.reserve(4); // site: idle_buf
    std::vector<Lease> active;
    active.reserve(8); // site: active_buf
    unsigned long check = 0;
    for (int round = 0; round < 6; round++) {
        int want = 2 + (round * 5) % 6;
        while (static_cast<int>(active.size()) < want) active.push_back(pool->acquire(round));
        for (auto &l : active) check = check * 31 + static_cast<unsigned long>(l->id * 7 + l->uses) + l->host.size();
        // release every other lease, from the back
        for (size_t i = active.size(); i-- > 0;)
            if (i % 2 == static_cast<size_t>(round % 2)) active.erase(active.begin() + static_cast<long>(i));
        std::printf("round %d: wanted %d, kept %zu, idle %zu, created %d, trimmed %d\n", round, want, active.size(),
                    pool->idle.size(), pool->created, pool->trimmed);
    }
    std::printf("first active host %s\n", active.empty() ? "-" : active.front()->host.c_str());
    active.clear();
    std::printf("after clear: idle %zu, created %d, trimmed %d, check %lu\n", pool->idle.size(), pool->created,
                pool->trimmed, check % 1000003ul);
    return 0;
}
