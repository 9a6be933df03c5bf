// A C++ scene graph: a scene (allocated with new) owns the root node through a
// std::unique_ptr and keeps a mesh library, a std::vector<std::shared_ptr<Mesh>>. A node
// owns its children through a std::vector<std::unique_ptr<Node>> (reserved with room to
// spare, so reparenting never grows it) and points at its parent with a raw pointer. Nodes
// share meshes (std::make_shared: one block for the control block and the mesh); a mesh
// owns its vertex buffer. Mid-way the library forgets half of its meshes (nodes keep them
// alive), some subtrees are reparented and some are deleted (erase from the children
// vector: the subtree's destructors free children before parents). Then the scene is
// deleted: the library first releases its meshes, then the tree goes. No scan.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

struct Mesh {
    std::vector<float> vertices;
    int id;
    Mesh(int i, size_t count) : vertices(count * 3, 1.0f), id(i) {} // site: vertices
};

struct Node {
    std::string name;
    Node *parent;
    std::array<float, 16> transform{};
    std::shared_ptr<Mesh> mesh;
    std::vector<std::unique_ptr<Node>> children;
    Node(const char *n, Node *p, std::shared_ptr<Mesh> m, size_t fanout) : name(n), parent(p), mesh(std::move(m)) {
        children.reserve(fanout + 2); // site: children
    }
};

struct Scene {
    std::unique_ptr<Node> root;
    std::vector<std::shared_ptr<Mesh>> library;
};

__attribute__((noinline)) static std::shared_ptr<Mesh> mesh_new(int i) {
    return std::make_shared<Mesh>(i, 24 + (size_t)(i % 10) * 12); // site: mesh
}

__attribute__((noinline)) static Node *node_new(Node *parent, const std::shared_ptr<Mesh> &mesh, int id, size_t fanout) {
    char name[16];
    std::snprintf(name, sizeof name, "n%d", id);
    return new Node(name, parent, mesh, fanout); // site: node
}

static int made = 0;

static void grow(Scene *scene, Node *n, int depth) {
    size_t fanout = depth < 4 ? 2 + (size_t)(made % 3) : 0;
    for (size_t i = 0; i < fanout; i++) {
        const std::shared_ptr<Mesh> &m = scene->library[(size_t)std::rand() % scene->library.size()];
        size_t child_fanout = depth + 1 < 4 ? 4 : 0;
        n->children.emplace_back(node_new(n, m, ++made, child_fanout));
        grow(scene, n->children.back().get(), depth + 1);
    }
}

static Node *random_node(Node *n, int steps) {
    while (steps-- > 0 && !n->children.empty()) n = n->children[(size_t)std::rand() % n->children.size()].get();
    return n;
}

static bool is_ancestor(const Node *a, const Node *n) {
    for (; n; n = n->parent)
        if (n == a) return true;
    return false;
}

static long count(const Node *n, long *vertices) {
    long total = 1;
    if (n->mesh) *vertices += (long)n->mesh->vertices.size();
    for (const auto &c : n->children) total += count(c.get(), vertices);
    return total;
}

int main() {
    std::srand(31);
    Scene *scene = new Scene; // site: scene
    scene->library.reserve(40); // site: library
    for (int i = 0; i < 40; i++) scene->library.push_back(mesh_new(i));
    scene->root.reset(node_new(nullptr, nullptr, 0, 4));
    grow(scene, scene->root.get(), 0);
    long vertices = 0;
    long before = count(scene->root.get(), &vertices);

    scene->library.erase(scene->library.begin() + 20, scene->library.end());

    for (int k = 0; k < 60; k++) {
        Node *from = random_node(scene->root.get(), 1 + std::rand() % 3);
        Node *to = random_node(scene->root.get(), std::rand() % 3);
        Node *parent = from->parent;
        if (!parent || is_ancestor(from, to) || to->children.size() == to->children.capacity()) continue;
        for (auto it = parent->children.begin(); it != parent->children.end(); ++it) {
            if (it->get() == from) {
                std::unique_ptr<Node> moved = std::move(*it);
                parent->children.erase(it);
                moved->parent = to;
                to->children.push_back(std::move(moved));
                break;
            }
        }
    }
    for (int k = 0; k < 10; k++) {
        Node *victim = random_node(scene->root.get(), 2 + std::rand() % 2);
        Node *parent = victim->parent;
        if (!parent) continue;
        for (auto it = parent->children.begin(); it != parent->children.end(); ++it) {
            if (it->get() == victim) {
                parent->children.erase(it);
                break;
            }
        }
    }
    vertices = 0;
    long after = count(scene->root.get(), &vertices);
    std::printf("%d %ld %ld %ld\n", made, before, after, vertices);
    scene->library.clear();
    scene->library.shrink_to_fit();
    delete scene;
    return 0;
}
