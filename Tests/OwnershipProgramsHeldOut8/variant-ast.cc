// An expression AST in C++ built on std::variant: a Node (std::make_unique) holds a
// std::variant<Num, Var, Bin, Call> inline; Var owns a long name string, Bin owns its two
// operands as std::unique_ptr<Node>, Call owns a function name string and a
// std::vector<std::unique_ptr<Node>> of arguments (reserved exactly when built). A
// forest vector (reserved once) owns the expression roots. A simplifier then rewrites
// every tree in place: a Bin of two numbers becomes a Num (assigning the variant
// destroys the Bin and deletes both operands); `e * 1` and `e + 0` are replaced by `e`
// (the left operand's unique_ptr is moved out and assigned over the slot that held the
// Bin, deleting the Bin node and its right operand); a Call whose arguments include calls
// of the same function is flattened into a new argument vector (reserved exactly; the
// inner calls' arguments are moved into it and the old vector, with the emptied inner
// call nodes, is freed by the move assignment). The trees are evaluated before and
// after. At the end the forest is cleared. No scan.
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

struct Node;
using NodePtr = std::unique_ptr<Node>;

struct Num {
    long v = 0;
};
struct Var {
    std::string name;
};
struct Bin {
    char op = '+';
    NodePtr lhs, rhs;
};
struct Call {
    std::string fn;
    std::vector<NodePtr> args;
};

struct Node {
    std::variant<Num, Var, Bin, Call> v;
};

static unsigned long rng = 1234567;
static unsigned rnd() {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(rng >> 33);
}

static const char *FNS[] = {"accumulate_total", "maximum_of_all_inputs"};

__attribute__((noinline)) static NodePtr new_node() {
    return std::make_unique<Node>(); // site: node
}

static NodePtr build(int depth) {
    NodePtr n = new_node();
    unsigned r = rnd() % 10;
    if (depth == 0 || r < 3) {
        if (r % 2 == 0) {
            n->v.emplace<Num>().v = (long)(rnd() % 5);
        } else {
            char buf[64];
            std::snprintf(buf, sizeof buf, "variable_%c_from_the_environment", 'a' + rnd() % 6);
            n->v.emplace<Var>().name.assign(buf); // site: var_name
        }
    } else if (r < 8) {
        Bin &b = n->v.emplace<Bin>();
        b.op = "+*-"[rnd() % 3];
        b.lhs = build(depth - 1);
        b.rhs = build(depth - 1);
    } else {
        Call &c = n->v.emplace<Call>();
        c.fn.assign(FNS[rnd() % 2]); // site: call_fn
        size_t k = 1 + rnd() % 4;
        c.args.reserve(k); // site: call_args
        for (size_t i = 0; i < k; i++) c.args.push_back(build(depth - 1));
    }
    return n;
}

static long eval(const Node &n) {
    if (auto p = std::get_if<Num>(&n.v)) return p->v;
    if (auto p = std::get_if<Var>(&n.v)) return (long)(p->name[9] - 'a' + 1);
    if (auto p = std::get_if<Bin>(&n.v)) {
        long a = eval(*p->lhs), b = eval(*p->rhs);
        return p->op == '+' ? (a + b) % 1000003 : p->op == '*' ? (a * b) % 1000003 : (a - b) % 1000003;
    }
    const Call &c = std::get<Call>(n.v);
    long acc = c.fn[0] == 'a' ? 0 : -1000003;
    for (const auto &a : c.args) {
        long x = eval(*a);
        acc = c.fn[0] == 'a' ? (acc + x) % 1000003 : (x > acc ? x : acc);
    }
    return acc;
}

static long folded, hoisted, flattened;

static void simplify(NodePtr &slot) {
    Node &n = *slot;
    if (auto b = std::get_if<Bin>(&n.v)) {
        simplify(b->lhs);
        simplify(b->rhs);
        auto l = std::get_if<Num>(&b->lhs->v), r = std::get_if<Num>(&b->rhs->v);
        if (l && r) {
            long v = b->op == '+' ? l->v + r->v : b->op == '*' ? l->v * r->v : l->v - r->v;
            n.v = Num{v % 1000003};
            folded++;
        } else if (r && ((b->op == '*' && r->v == 1) || (b->op == '+' && r->v == 0))) {
            NodePtr keep = std::move(b->lhs);
            slot = std::move(keep);
            hoisted++;
        }
        return;
    }
    if (auto c = std::get_if<Call>(&n.v)) {
        size_t total = 0;
        bool nested = false;
        for (auto &a : c->args) {
            simplify(a);
            auto inner = std::get_if<Call>(&a->v);
            if (inner && inner->fn == c->fn) {
                total += inner->args.size();
                nested = true;
            } else {
                total++;
            }
        }
        if (!nested) return;
        std::vector<NodePtr> flat;
        flat.reserve(total); // site: call_args_flat
        for (auto &a : c->args) {
            auto inner = std::get_if<Call>(&a->v);
            if (inner && inner->fn == c->fn) {
                for (auto &x : inner->args) flat.push_back(std::move(x));
            } else {
                flat.push_back(std::move(a));
            }
        }
        c->args = std::move(flat);
        flattened++;
    }
}

static long count(const Node &n) {
    if (auto b = std::get_if<Bin>(&n.v)) return 1 + count(*b->lhs) + count(*b->rhs);
    if (auto c = std::get_if<Call>(&n.v)) {
        long s = 1;
        for (const auto &a : c->args) s += count(*a);
        return s;
    }
    return 1;
}

int main() {
    const int TREES = 400;
    std::vector<NodePtr> forest;
    forest.reserve(TREES); // site: forest
    long before = 0, nodes_before = 0;
    for (int i = 0; i < TREES; i++) {
        forest.push_back(build(2 + (int)(rnd() % 5)));
        before = (before * 7 + eval(*forest.back())) % 1000003;
        nodes_before += count(*forest.back());
    }
    long after = 0, nodes_after = 0;
    for (auto &t : forest) {
        simplify(t);
        after = (after * 7 + eval(*t)) % 1000003;
        nodes_after += count(*t);
    }
    std::printf("trees=%d nodes=%ld->%ld folded=%ld hoisted=%ld flattened=%ld same=%d\n", TREES, nodes_before,
                nodes_after, folded, hoisted, flattened, before == after);
    forest.clear();
    return 0;
}
