// Threaded C++ ledger: accounts (std::make_shared, each owning a long holder name) are
// held by a reserved std::vector<std::shared_ptr<Account>>. Three worker threads each
// create transfers: a Txn (make_unique) owning a long memo and holding shared_ptrs to
// its two accounts, inserted under a mutex into a std::multimap<long, unique_ptr<Txn>>
// journal keyed by amount (tree nodes allocated by the workers). After joining, main
// walks the journal and then empties it entry by entry: memo, transfer and tree node are
// freed on main. Transfers, memos and journal nodes go from the workers to main. No
// scan.
#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct Account {
    int id = 0;
    std::atomic<long> balance{0};
    std::string holder;
};

struct Txn {
    long amount = 0;
    std::shared_ptr<Account> from, to;
    std::string memo;
};

struct Journal {
    std::mutex m;
    std::multimap<long, std::unique_ptr<Txn>> entries;
};

static void worker(int w, const std::vector<std::shared_ptr<Account>> *accounts, Journal *j) {
    unsigned long x = 1000003UL * (unsigned long)(w + 1);
    char buf[112];
    for (int k = 0; k < 700; k++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        unsigned r = (unsigned)(x >> 33);
        auto t = std::make_unique<Txn>(); // site: txn
        t->amount = (long)(r % 5000) + 1;
        t->from = (*accounts)[r % accounts->size()];
        t->to = (*accounts)[(r >> 8) % accounts->size()];
        std::snprintf(buf, sizeof buf, "worker %d transfer %04d: %ld cents from account %d to account %d", w, k, t->amount, t->from->id, t->to->id);
        t->memo.assign(buf); // site: memo
        t->from->balance -= t->amount;
        t->to->balance += t->amount;
        std::lock_guard<std::mutex> lk(j->m);
        j->entries.emplace(t->amount, std::move(t)); // site: journal_node
    }
}

int main() {
    const int naccounts = 40;
    std::vector<std::shared_ptr<Account>> accounts;
    accounts.reserve(naccounts); // site: accounts_buf
    char buf[96];
    for (int i = 0; i < naccounts; i++) {
        auto a = std::make_shared<Account>(); // site: account
        a->id = i;
        std::snprintf(buf, sizeof buf, "account holder number %02d, branch office %d, settlement desk", i, i % 5);
        a->holder.assign(buf); // site: holder
        accounts.push_back(std::move(a));
    }
    Journal j;
    std::vector<std::thread> workers;
    workers.reserve(3);
    for (int w = 0; w < 3; w++) workers.emplace_back(worker, w, &accounts, &j);
    for (auto &t : workers) t.join();
    long net = 0, big = 0;
    unsigned long memo_bytes = 0;
    for (auto &a : accounts) net += a->balance.load();
    for (auto &e : j.entries) {
        memo_bytes += e.second->memo.size();
        if (e.first > 4000) big++;
    }
    std::printf("%zu transfers, %ld over 40.00, %lu memo bytes, net %ld\n", j.entries.size(), big, memo_bytes, net);
    std::printf("largest: %ld, smallest: %ld, account 7 held by %ld transfers\n", j.entries.rbegin()->first, j.entries.begin()->first, accounts[7].use_count() - 1);
    for (auto it = j.entries.begin(); it != j.entries.end();) {
        std::string().swap(it->second->memo); // site: memo_freed
        it->second.reset(); // site: txn_freed
        it = j.entries.erase(it); // site: journal_node_freed
    }
    std::printf("after clearing: account 7 use count %ld\n", accounts[7].use_count());
    return 0;
}
