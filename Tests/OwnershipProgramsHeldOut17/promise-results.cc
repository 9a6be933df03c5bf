// Threaded C++ fan-out with promises: main builds a make_shared Input (a reserved
// vector of readings) and starts three std::threads, each given a std::promise of a
// unique_ptr<Result> and a shared_ptr to the input. A worker makes its Result (a long
// summary string and a histogram vector, both reserved, and a shared_ptr to the input)
// and sets it into the promise. Main collects the results from the futures into a
// reserved vector, joins, prints, and frees summaries, histograms and results
// explicitly. Results, summaries and histograms go from the workers to main. No scan.
#include <cstdio>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

struct Input {
    std::vector<int> values;
};

struct Result {
    int worker = 0;
    long total = 0;
    std::string summary;
    std::vector<long> hist;
    std::shared_ptr<const Input> source;
};

static void work(int w, std::shared_ptr<const Input> in, std::promise<std::unique_ptr<Result>> p) {
    auto r = std::make_unique<Result>(); // site: result
    r->worker = w;
    r->hist.reserve(8); // site: hist
    r->hist.assign(8, 0);
    for (size_t i = static_cast<size_t>(w); i < in->values.size(); i += 3) {
        r->total += in->values[i];
        r->hist[static_cast<size_t>(in->values[i] % 8)]++;
    }
    r->summary.reserve(80); // site: summary
    r->summary = "worker " + std::to_string(w) + " summed " + std::to_string(r->total) + " over every third reading";
    r->source = std::move(in);
    p.set_value(std::move(r));
}

int main() {
    auto input = std::make_shared<Input>(); // site: input
    input->values.reserve(300); // site: input_values
    for (int i = 0; i < 300; i++) input->values.push_back((i * 37 + 11) % 101);
    std::vector<std::future<std::unique_ptr<Result>>> futures;
    std::vector<std::thread> threads;
    futures.reserve(3);
    threads.reserve(3);
    for (int w = 0; w < 3; w++) {
        std::promise<std::unique_ptr<Result>> p;
        futures.push_back(p.get_future());
        threads.emplace_back(work, w, input, std::move(p));
    }
    std::vector<std::unique_ptr<Result>> results;
    results.reserve(3); // site: results_buf
    for (auto &f : futures) results.push_back(f.get());
    for (auto &t : threads) t.join();
    futures.clear();
    long grand = 0;
    for (auto &r : results) {
        grand += r->total;
        std::printf("%s; hist[0..3] %ld %ld %ld %ld\n", r->summary.c_str(), r->hist[0], r->hist[1], r->hist[2],
                    r->hist[3]);
    }
    std::printf("grand %ld, input holders %ld\n", grand, input.use_count());
    for (auto &r : results) {
        std::string().swap(r->summary); // site: summary_freed
        std::vector<long>().swap(r->hist); // site: hist_freed
        r.reset(); // site: result_freed
    }
    std::printf("input holders after release %ld\n", input.use_count());
    return 0;
}
