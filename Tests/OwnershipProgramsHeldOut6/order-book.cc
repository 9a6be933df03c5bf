// A limit order book in C++ (price-time priority): bids and asks are each a
// std::map<long, Level> from price to a level holding a running total and a std::list of
// resting orders (oldest first); an order owns its client's account name (a long string,
// reserved and filled before the order is made, and moved into it). A reserved std::unordered_map from order id
// to list iterator finds orders for cancels and amendments. An incoming order first
// matches against the best opposite levels (filled orders are popped from the front of
// their level's list, emptied levels erased from the map), and any remainder rests at
// its price. A cancel erases the order through its iterator; an amendment moves the
// order's list node to another price level with std::list::splice (the same node, now in
// another level's list; the index keeps its iterator). At the end the book is deleted
// with whatever rests in it. No scan.
#include <cstdio>
#include <list>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>

enum Side { Buy, Sell };

struct Order {
    long id;
    long qty;
    long price;
    Side side;
    std::string client;
};

struct Level {
    long total = 0;
    std::list<Order> orders;
};

struct Book {
    std::map<long, Level> bids, asks;
    std::unordered_map<long, std::list<Order>::iterator> index;
    long trades = 0, traded_qty = 0, cancels = 0, amends = 0;
    unsigned long notional = 0;
};

static unsigned long rng = 5150;
static unsigned long next_rand() {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return rng >> 33;
}

static std::map<long, Level> &side_map(Book *b, Side s) { return s == Buy ? b->bids : b->asks; }

__attribute__((noinline)) static Level &level_at(Book *b, Side s, long price) {
    return side_map(b, s)[price]; // site: level_node
}

__attribute__((noinline)) static void match(Book *b, Side side, long price, long &qty) {
    std::map<long, Level> &opp = side_map(b, side == Buy ? Sell : Buy);
    while (qty > 0 && !opp.empty()) {
        auto lvl = side == Buy ? opp.begin() : std::prev(opp.end());
        if (side == Buy ? lvl->first > price : lvl->first < price) break;
        Level &l = lvl->second;
        while (qty > 0 && !l.orders.empty()) {
            Order &maker = l.orders.front();
            long fill = maker.qty < qty ? maker.qty : qty;
            maker.qty -= fill;
            l.total -= fill;
            qty -= fill;
            b->trades++;
            b->traded_qty += fill;
            b->notional += (unsigned long)(fill * lvl->first) + maker.client.size();
            if (maker.qty == 0) {
                b->index.erase(maker.id);
                l.orders.pop_front();
            }
        }
        if (l.orders.empty()) opp.erase(lvl);
    }
}

__attribute__((noinline)) static void submit(Book *b, long id, Side side, long price, long qty) {
    char name[64];
    std::snprintf(name, sizeof name, "account-%ld/desk-%ld/strategy-%ld", 1000 + id % 37, id % 5, id % 3);
    std::string client;
    client.reserve(48); // site: client
    client.append(name);
    match(b, side, price, qty);
    if (qty == 0) return;
    Level &l = level_at(b, side, price);
    l.orders.push_back(Order{id, qty, price, side, std::move(client)}); // site: order_node
    l.total += qty;
    b->index.emplace(id, std::prev(l.orders.end())); // site: index_node
}

__attribute__((noinline)) static void cancel(Book *b, long id) {
    auto found = b->index.find(id);
    if (found == b->index.end()) return;
    std::list<Order>::iterator it = found->second;
    std::map<long, Level> &m = side_map(b, it->side);
    auto lvl = m.find(it->price);
    lvl->second.total -= it->qty;
    b->index.erase(found);
    lvl->second.orders.erase(it);
    if (lvl->second.orders.empty()) m.erase(lvl);
    b->cancels++;
}

__attribute__((noinline)) static void amend(Book *b, long id, long away) {
    auto found = b->index.find(id);
    if (found == b->index.end()) return;
    std::list<Order>::iterator it = found->second;
    std::map<long, Level> &m = side_map(b, it->side);
    long new_price = it->side == Buy ? it->price - away : it->price + away;
    auto old_lvl = m.find(it->price);
    Level &to = level_at(b, it->side, new_price);
    to.orders.splice(to.orders.end(), old_lvl->second.orders, it);
    old_lvl->second.total -= it->qty;
    to.total += it->qty;
    it->price = new_price;
    if (old_lvl->second.orders.empty()) m.erase(old_lvl);
    b->amends++;
}

int main() {
    Book *book = new Book; // site: book
    book->index.reserve(4096); // site: index_buckets
    long next_id = 0;
    for (int step = 0; step < 20000; step++) {
        unsigned long r = next_rand();
        unsigned op = (unsigned)(r % 10);
        if (op < 5 || next_id == 0) {
            Side side = (r >> 4) % 2 ? Buy : Sell;
            long mid = 10000 + (long)((step / 500) % 7) * 3;
            long offset = (long)((r >> 5) % 24) - 6;
            long price = side == Buy ? mid - offset : mid + offset;
            if (book->index.size() < 2000) submit(book, next_id++, side, price, 1 + (long)((r >> 12) % 50));
        } else if (op < 9) {
            cancel(book, next_id - 1 - (long)((r >> 4) % (unsigned long)(next_id < 400 ? next_id : 400)));
        } else {
            amend(book, (long)((r >> 4) % (unsigned long)next_id), 1 + (long)((r >> 20) % 5));
        }
    }
    std::printf("%ld %zu %zu %zu %ld %ld %ld %ld %lu\n", next_id, book->bids.size(), book->asks.size(), book->index.size(), book->trades,
                book->traded_qty, book->cancels, book->amends, book->notional);
    delete book;
    return 0;
}
