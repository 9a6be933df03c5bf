/// A block freed in its thread's open free cascade, waiting for the block whose teardown
/// freed it (fourteenth rules, ``OwnershipState/noteTeardown(node:stack:thread:)``).
struct TeardownCandidate {
    var node: Int32
    var stack: UInt32
}

extension OwnershipState {
    /// How many freed blocks of a cascade wait for the block whose teardown freed them (the
    /// most recent ones; in C nothing waits, as no free runs inside a destructor).
    static let teardownCandidates = 16

    /// A block of site `node` freed with stack `stack` by the thread in slot `thread`, in its
    /// open cascade (fourteenth rules). A destructor, or Rust's drop glue, frees what its
    /// object owns and then the code that ran it frees the object itself: `delete p` calls
    /// `P::~P()` and then `operator delete` on one line, `unique_ptr`'s deleter and a
    /// `std::map` dropping a node do the same, and so does `drop_in_place` of a `Box`. So a
    /// block freed inside a destructor call, followed in its cascade by a block that the same
    /// function call freed directly (the two stacks share every frame outside that function,
    /// whose two calls differ), was owned by that block: its owner let go of its pointer
    /// before freeing it (a `unique_ptr` member nulls itself), so no dying word shows it.
    mutating func noteTeardown(node: Int32, stack: UInt32, thread t: Int) {
        guard options.destructorTeardowns else { return }
        var waiting = threads[t].teardown
        let destroys = stackHasDestructor(stack)
        if waiting.isEmpty && !destroys { return }
        var claimed: [Int] = []
        for (index, candidate) in waiting.enumerated() where tornDownOnce(candidate.stack, by: stack) {
            teardowns[NodePair(from: node, to: candidate.node), default: 0] += 1
            claimed.append(index)
        }
        for index in claimed.reversed() { waiting.remove(at: index) }
        if destroys {
            waiting.append(TeardownCandidate(node: node, stack: stack))
            if waiting.count > Self.teardownCandidates { waiting.removeFirst() }
        }
        threads[t].teardown = waiting
    }

    /// ``tornDown(_:by:)``, found once per pair of stacks whose frames are all known (a
    /// teardown repeats the same few pairs of stacks for every object).
    mutating func tornDownOnce(_ target: UInt32, by holder: UInt32) -> Bool {
        let key = UInt64(target) << 32 | UInt64(holder)
        if let known = tornDownOfStacks[key] { return known }
        let found = tornDown(target, by: holder)
        if destructorOfStack[target] != nil && destructorOfStack[holder] != nil { tornDownOfStacks[key] = found }
        return found
    }

    /// Whether the block freed with stack `target` was freed by a destructor that the
    /// function freeing the block with stack `holder` ran just before: below their deepest
    /// common frame, both go on in one function through different calls; the target's call
    /// runs a destructor (before any other code of the program's), the holder's none (it frees memory, through named functions only); and that function is the
    /// runtime's (a deleter, a tree's node drop, drop glue) or the two calls are on one line
    /// (a `delete` expression), not two statements of the program (two locals' destructors).
    mutating func tornDown(_ target: UInt32, by holder: UInt32) -> Bool {
        let depths = symbols.stackDepths, parents = symbols.stackParents
        guard Int(target) < depths.count, Int(holder) < depths.count else { return false }
        var a = target, b = holder
        var belowA: [UInt32] = [], belowB: [UInt32] = []
        while depths[Int(a)] > depths[Int(b)] { belowA.append(a); a = parents[Int(a)] }
        while depths[Int(b)] > depths[Int(a)] { belowB.append(b); b = parents[Int(b)] }
        while a != b && a != 0 && b != 0 {
            belowA.append(a); a = parents[Int(a)]
            belowB.append(b); b = parents[Int(b)]
        }
        guard a == b, let callA = belowA.last, let callB = belowB.last else { return false }
        let frameA = symbols.frame(symbols.stackFrames[Int(callA)]), frameB = symbols.frame(symbols.stackFrames[Int(callB)])
        guard frameA.function != 0, frameA.function == frameB.function, frameA.id != frameB.id else { return false }
        let table = symbols
        let runtime = isRuntime(frameA.id, named: table.displayName(ofFrame: frameA.id))
        guard runtime || (frameA.line != 0 && frameA.line == frameB.line && frameA.file == frameB.file) else { return false }
        // A destructor's own frees are its members' (the recorder's stacks end at the
        // program's call into the allocator's library, so a member string's destructor there
        // is not seen): it frees its object only as a deleting destructor, which runs the
        // destructor of its own name and then frees; Rust's drop glue of a `Box` drops the
        // content, then frees the box.
        let function = Self.qualifiedName(table.displayName(ofFrame: frameA.id))
        let boxGlue = function.hasPrefix("core::ptr::drop_in_place<alloc::boxed::Box<") || function.hasPrefix("core::ptr::drop_in_place::<alloc::boxed::Box<")
        // A standard container's destructor destroys its elements, then the destructor of its
        // base class, of the same template arguments (`std::_Vector_base<T, A>` under
        // `std::vector<T, A>`), frees the storage that held them.
        var storage = false
        if isDestructor(frameA.id) && !boxGlue {
            let deleting = belowA.count >= 2 && table.frame(table.stackFrames[Int(belowA[belowA.count - 2])]).function == frameA.function
            if !deleting {
                guard runtime, belowB.count >= 2 else { return false }
                let base = table.stackFrames[Int(belowB[belowB.count - 2])]
                let arguments = Self.templateArguments(function)
                guard isDestructor(base), !arguments.isEmpty,
                      Self.templateArguments(Self.qualifiedName(table.displayName(ofFrame: base))) == arguments else { return false }
                storage = true
            }
        }
        // A target a destructor freed itself (its stack ends in the destructor: a member whose
        // own destructor is the library's, which the stack does not show) was its object's: only
        // the block freed by that destructor's caller owned it, not an outer container's.
        if isDestructor(table.stackFrames[Int(target)]) && belowA.count != 2 { return false }
        let inTarget = belowA.dropLast().map { table.stackFrames[Int($0)] }
        let inHolder = belowB.dropLast().dropLast(storage ? 1 : 0).map { table.stackFrames[Int($0)] }
        // The target's call runs a destructor before any code of the program's that is not one
        // (not `main` called by the C library's start, whose exit handlers free after it).
        var destroys = false
        for frame in inTarget.reversed() {
            if isDestructor(frame) { destroys = true; break }
            if !isRuntime(frame, named: table.displayName(ofFrame: frame)) { break }
        }
        guard destroys else { return false }
        // The holder's call frees memory: no destructor on its way, and every function on it
        // named (a stripped library's unnamed frame may be one: libstdc++'s string destructor).
        for frame in inHolder where isDestructor(frame) || table.frame(frame).function == 0 { return false }
        return true
    }

    /// The template arguments of a function's class, `<…>` after its first name (empty when
    /// none): `std::vector<int, std::allocator<int> >::~vector()` → `<int, std::allocator<int> >`.
    static func templateArguments(_ function: Substring) -> Substring {
        guard let open = function.firstIndex(of: "<") else { return "" }
        var depth = 0
        var index = open
        while index < function.endIndex {
            if function[index] == "<" { depth += 1 }
            if function[index] == ">" {
                depth -= 1
                if depth == 0 { return function[open...index] }
            }
            index = function.index(after: index)
        }
        return ""
    }

    /// Whether a stack runs a destructor or drop glue anywhere, found once per stack.
    mutating func stackHasDestructor(_ stack: UInt32) -> Bool {
        if let known = destructorOfStack[stack] { return known }
        var found = false, settled = true
        var current = stack
        while current != 0 {
            guard Int(current) < symbols.stackFrames.count else { settled = false; break }
            let frame = symbols.stackFrames[Int(current)]
            settled = settled && symbols.isSettled(frame: frame)
            if isDestructor(frame) { found = true; break }
            current = symbols.stackParents[Int(current)]
        }
        if settled { destructorOfStack[stack] = found }
        return found
    }

    /// Whether a frame is a C++ destructor (`T::~T()`) or Rust's drop glue
    /// (`core::ptr::drop_in_place<T>`, or `drop_in_place::<T>` as the standard library's own
    /// symbols read), found once per frame.
    mutating func isDestructor(_ frame: UInt32) -> Bool {
        if let known = destructorFrame[frame] { return known }
        let name = Self.qualifiedName(symbols.displayName(ofFrame: frame))
        let found = name.contains("::~") || name.hasPrefix("core::ptr::drop_in_place<") || name.hasPrefix("core::ptr::drop_in_place::<")
        if symbols.isSettled(frame: frame) { destructorFrame[frame] = found }
        return found
    }
}
