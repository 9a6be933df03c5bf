// A limit order book in C++: the book (new) holds an id index,
// std::unordered_map<uint64_t, std::unique_ptr<Order>> (buckets reserved up front, never
// rehashed), which owns the orders, and two price ladders, std::map<long, Level> for bids
// and asks. A level keeps its resting orders in time priority on an intrusive doubly
// linked list (head and tail in the level, prev/next in the orders) that does not own
// them. Each order owns a long client reference string. An incoming order matches
// against the opposite ladder: filled orders are unlinked, their unique_ptr reset (the
// order deleted) and their index node erased; emptied levels are erased. A remainder
// rests on its own ladder. Cancellation unlinks by id and erases from the index. No
// scan.
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

struct Order {
    std::uint64_t id = 0;
    long price = 0;
    int qty = 0;
    bool buy = false;
    Order *prev = nullptr, *next = nullptr;
    std::string client;
};

struct Level {
    int total = 0;
    Order *head = nullptr, *tail = nullptr;
};

struct Book {
    std::unordered_map<std::uint64_t, std::unique_ptr<Order>> orders;
    std::map<long, Level> bids, asks;
    long traded = 0, volume = 0;
};

static unsigned long rng = 4242;
static unsigned rnd() {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static void unlink_order(Level &lv, Order *o) {
    if (o->prev) o->prev->next = o->next;
    else lv.head = o->next;
    if (o->next) o->next->prev = o->prev;
    else lv.tail = o->prev;
    o->prev = o->next = nullptr;
    lv.total -= o->qty;
}

__attribute__((noinline)) static void rest(Book &b, std::unique_ptr<Order> o) {
    std::map<long, Level> &side = o->buy ? b.bids : b.asks;
    Level &lv = side[o->price]; // site: level_node
    Order *raw = o.get();
    raw->prev = lv.tail;
    if (lv.tail) lv.tail->next = raw;
    else lv.head = raw;
    lv.tail = raw;
    lv.total += raw->qty;
    b.orders.emplace(raw->id, std::move(o)); // site: idx_node
}

static void fill_and_remove(Book &b, Level &lv, Order *o) {
    unlink_order(lv, o);
    auto it = b.orders.find(o->id);
    it->second.reset();
    b.orders.erase(it);
}

__attribute__((noinline)) static void submit(Book &b, std::uint64_t id, bool buy, long price, int qty) {
    auto o = std::make_unique<Order>(); // site: order
    o->id = id;
    o->buy = buy;
    o->price = price;
    o->qty = qty;
    char buf[64];
    std::snprintf(buf, sizeof buf, "ACCT-%06llu/desk-%02u/strategy-momentum", (unsigned long long)(id * 7919 % 1000000), (unsigned)(id % 13));
    o->client.assign(buf); // site: client
    std::map<long, Level> &opp = buy ? b.asks : b.bids;
    while (o->qty > 0 && !opp.empty()) {
        auto best = buy ? opp.begin() : std::prev(opp.end());
        if (buy ? best->first > price : best->first < price) break;
        Level &lv = best->second;
        while (o->qty > 0 && lv.head) {
            Order *r = lv.head;
            int q = r->qty < o->qty ? r->qty : o->qty;
            r->qty -= q;
            lv.total -= q;
            o->qty -= q;
            b.traded++;
            b.volume += (long)q * best->first;
            if (r->qty == 0) fill_and_remove(b, lv, r);
        }
        if (!lv.head) opp.erase(best);
    }
    if (o->qty > 0) rest(b, std::move(o));
}

static bool cancel(Book &b, std::uint64_t id) {
    auto it = b.orders.find(id);
    if (it == b.orders.end()) return false;
    Order *o = it->second.get();
    std::map<long, Level> &side = o->buy ? b.bids : b.asks;
    auto lv = side.find(o->price);
    unlink_order(lv->second, o);
    if (!lv->second.head) side.erase(lv);
    it->second.reset();
    b.orders.erase(it);
    return true;
}

int main() {
    Book *b = new Book; // site: book
    b->orders.reserve(4096); // site: buckets
    std::uint64_t next_id = 1;
    int cancelled = 0;
    size_t peak = 0;
    for (int step = 0; step < 8000; step++) {
        unsigned op = rnd() % 10;
        if (op < 7) {
            bool buy = rnd() % 2;
            long mid = 1000 + (long)((step / 150) % 40);
            long price = buy ? mid - (long)(rnd() % 30) + 4 : mid + (long)(rnd() % 30) - 4;
            submit(*b, next_id++, buy, price, 1 + (int)(rnd() % 50));
        } else {
            cancelled += cancel(*b, (op == 9 && next_id > 400) ? next_id - 1 - rnd() % 400 : 1 + rnd() % next_id);
        }
        if (b->orders.size() > peak) peak = b->orders.size();
    }
    std::printf("orders=%llu resting=%zu peak=%zu levels=%zu/%zu cancelled=%d trades=%ld volume=%ld\n",
                (unsigned long long)(next_id - 1), b->orders.size(), peak, b->bids.size(), b->asks.size(), cancelled,
                b->traded, b->volume);
    delete b;
    return 0;
}
