// Real-program test: optimized C++ (-O2) with STL containers and threads, whose
// allocations happen inside inlined std:: code. Written for the name checks of issue 16.
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

struct Record {
    std::string name;
    std::vector<int> values;
};

static std::vector<Record> build_records(int count) {
    std::vector<Record> records;
    for (int i = 0; i < count; i++) {
        Record r;
        r.name = "record number " + std::to_string(i) + " with a name too long for small strings";
        for (int j = 0; j < i % 17; j++) r.values.push_back(j * i);
        records.push_back(std::move(r));
    }
    return records;
}

static std::map<std::string, int> index_names(const std::vector<Record> &records) {
    std::map<std::string, int> index;
    for (size_t i = 0; i < records.size(); i++) index[records[i].name] = static_cast<int>(i);
    return index;
}

static size_t count_words(int seed) {
    std::unordered_map<int, std::string> words;
    for (int i = 0; i < 500; i++) words.emplace(i * seed, std::string(40 + i % 30, 'x'));
    auto shared = std::make_shared<std::vector<long>>(256, seed);
    return words.size() + shared->size();
}

int main() {
    auto records = build_records(3000);
    auto index = index_names(records);
    std::vector<std::thread> workers;
    std::vector<size_t> results(4);
    for (int t = 0; t < 4; t++) workers.emplace_back([t, &results] { results[t] = count_words(t + 1); });
    for (auto &w : workers) w.join();
    return index.size() + results[0] > 0 ? 0 : 1;
}
