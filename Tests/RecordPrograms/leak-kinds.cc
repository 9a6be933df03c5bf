// C++ shapes of memcheck's heuristics, and a std::string held by a leaked object.
//   new[] of objects with a destructor: the pointer kept is 8 bytes past the block's
//     start (after the element count), so reachable only through the newarray heuristic;
//   a derived object held through its second base: an interior pointer to a vtable
//     pointer (multipleinheritance heuristic);
//   a leaked object holding a long std::string: the object is definitely lost, the
//     string's buffer (pointed to at its start) indirectly lost;
//   a lost new[] array: definitely lost.
// Prints one line: the C++ runtime's stdout buffer is the C library's (memcheck frees it).
#include <cstdio>
#include <string>

struct Element {
    long value = 0;
    ~Element() { value = -1; }
};

struct A { virtual ~A() {} virtual void f() {} long a = 1; };
struct B { virtual ~B() {} virtual void g() {} long b = 2; };
struct C : A, B { long c = 3; };

struct Holder {
    std::string text;
    long id;
};

static Element *elements;
static B *second_base;

__attribute__((noinline)) static void build() {
    elements = new Element[5];
    second_base = new C;
    Holder *lost = new Holder{std::string(100, 'x'), 7};
    lost->id = 8;
    Element *lost_array = new Element[3];
    lost_array[0].value = 1;
}

int main() {
    build();
    std::printf("built %ld\n", elements[0].value + second_base->b);
    return 0;
}
