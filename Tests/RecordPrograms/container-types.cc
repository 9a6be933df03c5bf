/* C++ containers for the ownership graph's type recognition: a std::vector<int> grown by
 * push_back in fill(), std::make_shared<Widget> in make_widget(), a vector of shared_ptr in
 * main and a heap std::string. */
#include <memory>
#include <string>
#include <vector>
struct Widget { int id; char name[40]; };
__attribute__((noinline)) std::vector<int> fill(int n) { std::vector<int> v; for (int i = 0; i < n; i++) v.push_back(i); return v; }
__attribute__((noinline)) std::shared_ptr<Widget> make_widget() { return std::make_shared<Widget>(); }
int main() {
    auto v = fill(1000);
    std::vector<std::shared_ptr<Widget>> all;
    for (int i = 0; i < 20; i++) all.push_back(make_widget());
    std::string s(100, 'x');
    return (int)v.size() - 1000 + (int)all.size() - 20 + (int)s.size() - 100;
}
