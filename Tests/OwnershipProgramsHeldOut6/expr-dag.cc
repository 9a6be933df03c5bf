// A symbolic algebra engine in C++ whose expressions form a DAG by hash-consing: every
// node (constant, variable, sum or product) is made with std::make_shared (one block:
// control block, then the Expr) through a cons table, a reserved std::unordered_map from
// a structural key (operator, value, the children's addresses) to a std::weak_ptr, so an
// equal expression is built only once and then shared. Operands are held by
// std::shared_ptr; a variable owns its long name. The environment (new) owns the table
// and a reserved vector of named definitions (shared_ptrs). Definitions are rebuilt from
// one another, simplified (identities and constant folding, which return existing nodes
// or cons new ones) and overwritten. An entry whose node has died keeps the block (its
// weak count) until the entry is reused for an equal key or a periodic purge erases it;
// the purge and the table's destruction free those blocks. No scan.
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

struct Expr {
    char op; // 'c' constant, 'v' variable, '+', '*'
    long val;
    std::string name;
    std::shared_ptr<const Expr> lhs, rhs;
};
using P = std::shared_ptr<const Expr>;

struct Key {
    char op;
    long val;
    const Expr *l, *r;
    bool operator==(const Key &o) const { return op == o.op && val == o.val && l == o.l && r == o.r; }
};

struct KeyHash {
    size_t operator()(const Key &k) const {
        size_t h = (size_t)k.op * 1000003u ^ (size_t)k.val * 0x9e3779b97f4a7c15ULL;
        h ^= (size_t)k.l * 31 + ((size_t)k.r << 7) + (h >> 13);
        return h;
    }
};

struct Env {
    std::unordered_map<Key, std::weak_ptr<const Expr>, KeyHash> cons;
    std::vector<P> defs;
    long made = 0, reused = 0, purged = 0;
};

static unsigned long rng = 3141;
static unsigned long next_rand() {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return rng >> 33;
}

__attribute__((noinline)) static P make(Env *env, char op, long val, P lhs, P rhs) {
    Key key{op, val, lhs.get(), rhs.get()};
    auto it = env->cons.find(key);
    if (it != env->cons.end()) {
        if (P live = it->second.lock()) {
            env->reused++;
            return live;
        }
    }
    auto e = std::make_shared<Expr>(); // site: expr
    e->op = op;
    e->val = val;
    e->lhs = std::move(lhs);
    e->rhs = std::move(rhs);
    if (op == 'v') {
        std::string name;
        name.reserve(40); // site: var_name
        name.append("variable_with_a_long_name_");
        name.append(std::to_string(val));
        e->name = std::move(name);
    }
    env->made++;
    if (it != env->cons.end()) it->second = e;
    else env->cons.emplace(key, e); // site: cons_node
    return e;
}

static P constant(Env *env, long v) { return make(env, 'c', v, nullptr, nullptr); }

__attribute__((noinline)) static P simplify(Env *env, const P &e, int depth) {
    if (e->op == 'c' || e->op == 'v' || depth > 8) return e;
    P l = simplify(env, e->lhs, depth + 1), r = simplify(env, e->rhs, depth + 1);
    if (l->op == 'c' && r->op == 'c') return constant(env, e->op == '+' ? (l->val + r->val) % 1000 : (l->val * r->val) % 1000);
    if (e->op == '+' && l->op == 'c' && l->val == 0) return r;
    if (e->op == '+' && r->op == 'c' && r->val == 0) return l;
    if (e->op == '*' && ((l->op == 'c' && l->val == 0) || (r->op == 'c' && r->val == 0))) return constant(env, 0);
    if (e->op == '*' && l->op == 'c' && l->val == 1) return r;
    if (e->op == '*' && r->op == 'c' && r->val == 1) return l;
    if (l == e->lhs && r == e->rhs) return e;
    return make(env, e->op, 0, l, r);
}

static unsigned long eval(const Expr *e, int depth) {
    if (e->op == 'c') return (unsigned long)e->val;
    if (e->op == 'v') return (unsigned long)e->val * 3 + e->name.size();
    if (depth > 10) return 1;
    unsigned long a = eval(e->lhs.get(), depth + 1), b = eval(e->rhs.get(), depth + 1);
    return e->op == '+' ? (a + b) % 1000003 : (a * b) % 1000003;
}

static void purge(Env *env) {
    for (auto it = env->cons.begin(); it != env->cons.end();) {
        if (it->second.expired()) {
            it = env->cons.erase(it);
            env->purged++;
        } else {
            ++it;
        }
    }
}

int main() {
    Env *env = new Env; // site: env
    env->cons.reserve(8192); // site: cons_buckets
    env->defs.reserve(48); // site: defs
    for (int i = 0; i < 48; i++) env->defs.push_back(i % 3 ? make(env, 'v', i % 12, nullptr, nullptr) : constant(env, i % 4));
    unsigned long sum = 0;
    for (int step = 0; step < 12000; step++) {
        unsigned long r = next_rand();
        size_t d = r % 48, a = (r >> 6) % 48, b = (r >> 12) % 48;
        switch ((r >> 18) % 6) {
        case 0:
            env->defs[d] = make(env, '+', 0, env->defs[a], env->defs[b]);
            break;
        case 1:
            env->defs[d] = make(env, '*', 0, env->defs[a], env->defs[b]);
            break;
        case 2:
            env->defs[d] = make(env, (r >> 22) % 2 ? '+' : '*', 0, env->defs[a], constant(env, (long)((r >> 24) % 3)));
            break;
        case 3:
            env->defs[d] = simplify(env, env->defs[a], 0);
            break;
        case 4:
            env->defs[d] = (r >> 22) % 2 ? make(env, 'v', (long)((r >> 24) % 12), nullptr, nullptr) : constant(env, (long)((r >> 24) % 5));
            break;
        default:
            sum += eval(env->defs[a].get(), 0);
        }
        if (step % 400 == 399) purge(env);
    }
    std::printf("%ld %ld %lu\n", env->made, env->reused, sum);
    env->defs.clear();
    delete env;
    return 0;
}
