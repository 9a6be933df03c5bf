// C++ glossary as a trie whose nodes keep their children in a
// std::map<char, std::unique_ptr<Node>>: the root is make_unique'd; each child Node is
// make_unique'd and moved into a map node allocated by emplace; a word's end holds a
// long definition string (heap allocated by assign; reassigned on update). Removing a
// word clears its definition and prunes the nodes left without children or definition
// by erasing their map entries (which frees the map node and the child Node). The
// whole trie goes with the root at the end. No scan.
#include <cstdio>
#include <map>
#include <memory>
#include <string>

struct Node {
    std::map<char, std::unique_ptr<Node>> kids;
    std::string definition;
    bool word = false;
};

static unsigned long rng = 8086;
static unsigned rnd() {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return static_cast<unsigned>(rng >> 33);
}

static int nodes = 1;

static void insert(Node *root, const std::string &w, const std::string &def) {
    Node *n = root;
    for (char c : w) {
        auto it = n->kids.find(c);
        if (it == n->kids.end()) {
            auto fresh = std::make_unique<Node>(); // site: node
            it = n->kids.emplace(c, std::move(fresh)).first; // site: kid
            nodes++;
        }
        n = it->second.get();
    }
    n->word = true;
    n->definition.assign(def); // site: definition
}

// returns true when n can be pruned by its parent
static bool remove_word(Node *n, const std::string &w, size_t at, bool *found) {
    if (at == w.size()) {
        if (!n->word) return false;
        *found = true;
        n->word = false;
        n->definition.clear();
        return n->kids.empty();
    }
    auto it = n->kids.find(w[at]);
    if (it == n->kids.end()) return false;
    if (remove_word(it->second.get(), w, at + 1, found)) {
        n->kids.erase(it);
        nodes--;
    }
    return !n->word && n->kids.empty();
}

static const Node *lookup(const Node *n, const std::string &w) {
    for (char c : w) {
        auto it = n->kids.find(c);
        if (it == n->kids.end()) return nullptr;
        n = it->second.get();
    }
    return n->word ? n : nullptr;
}

static int count_words(const Node *n, const std::string &prefix) {
    for (char c : prefix) {
        auto it = n->kids.find(c);
        if (it == n->kids.end()) return 0;
        n = it->second.get();
    }
    int k = n->word ? 1 : 0;
    for (const auto &kv : n->kids) k += count_words(kv.second.get(), "");
    return k;
}

static std::string make_word(unsigned id) {
    static const char *parts[] = {"inter", "trans", "re", "de", "con", "pre", "sub", "over"};
    static const char *roots[] = {"lock", "port", "form", "mit", "ject", "duct", "scribe", "vert", "tain"};
    std::string w = parts[id % 8];
    w += roots[(id / 8) % 9];
    if (id / 72 % 3 == 1) w += "ion";
    if (id / 72 % 3 == 2) w += "able";
    w += static_cast<char>('a' + id / 216 % 6);
    return w;
}

int main() {
    auto root = std::make_unique<Node>(); // site: root
    int removed = 0, hits = 0;
    char def[96];
    for (int step = 0; step < 8000; step++) {
        unsigned r = rnd();
        unsigned id = rnd() % 1296;
        std::string w = make_word(id);
        if (r % 5 == 0) {
            bool found = false;
            remove_word(root.get(), w, 0, &found);
            removed += found;
        } else if (r % 5 == 1) {
            std::snprintf(def, sizeof def, "entry %u, revision %d: a term of art from the glossary", id, step);
            insert(root.get(), w, def);
        } else {
            hits += lookup(root.get(), w) != nullptr;
        }
        if (step % 2000 == 1999)
            std::printf("step %d: %d nodes, %d words (%d under 'trans'), %d removed, %d hits\n", step + 1, nodes,
                        count_words(root.get(), ""), count_words(root.get(), "trans"), removed, hits);
    }
    return 0;
}
