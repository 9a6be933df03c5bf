// memscope's annotation API for C++: RAII scope and task guards over memscope.h.
//
// Copy memscope.h and this header into your project. Without `memscope record` every
// call finds no recorder (one dlsym, then a load and a branch) and does nothing.
//
//   auto users = std::make_unique<UserTable>();
//   memscope::track(users.get(), "users");           // names the block in the report
//   {
//       memscope::Scope scope("load config");         // allocations until '}' count for it
//       ...
//   }
//   memscope::Task task(request_id);                  // this thread works for task request_id
//
// Task guards nest: when one ends, the task the thread ran before resumes.
#ifndef MEMSCOPE_HPP
#define MEMSCOPE_HPP

#include "memscope.h"

#include <cstdint>
#include <memory>
#include <typeinfo>

namespace memscope {

// Names the heap block that starts at `block` (the pointer the allocator returned).
inline void track(const void *block, const char *name, const char *type = nullptr) {
    if (block) memscope_annotate_block(block, name, type);
}

// Names the object a pointer or smart pointer owns, with its C++ type (mangled by
// typeid; memscope demangles it). For std::shared_ptr from make_shared the block starts
// before the object, at its control block: name such objects with track(ptr, name).
template <typename T>
inline void track(const std::unique_ptr<T> &owner, const char *name) {
    track(owner.get(), name, typeid(T).name());
}

// A named scope, open until the end of the enclosing block. Scopes nest per thread.
class Scope {
public:
    explicit Scope(const char *name) { memscope_enter_scope(name); }
    ~Scope() { memscope_exit_scope(); }
    Scope(const Scope &) = delete;
    Scope &operator=(const Scope &) = delete;
};

// The thread's allocations belong to `task` until the guard ends; then the task the
// thread ran before (or none) resumes. Task 0 means no task.
class Task {
public:
    explicit Task(std::uint64_t task) : previous_(current()) { enter(task); }
    ~Task() { enter(previous_); }
    Task(const Task &) = delete;
    Task &operator=(const Task &) = delete;

private:
    static std::uint64_t &current() {
        static thread_local std::uint64_t task = 0;
        return task;
    }
    static void enter(std::uint64_t task) {
        current() = task;
        if (task) memscope_enter_task(task); else memscope_exit_task();
    }
    std::uint64_t previous_;
};

} // namespace memscope

#endif
