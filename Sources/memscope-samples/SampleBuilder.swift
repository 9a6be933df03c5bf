import MemscopeModel

/// SplitMix64: a tiny seeded generator. Every sample draws from one, so output never
/// depends on the wall clock or the system generator. Ranges are derived here (not with
/// the standard library's `random(in:using:)`, whose algorithm may change between
/// Swift releases) so the bytes stay the same on every toolchain.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `range` (modulo bias below 2^-40 for the small spans used here).
    mutating func uniform(_ range: ClosedRange<UInt64>) -> UInt64 {
        range.lowerBound + next() % (range.upperBound - range.lowerBound + 1)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) * 0x1p-53 < p
    }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }
}

/// One symbolized frame, named by the call site it stands for: `function` at `file:line`.
struct Fn: Hashable {
    let function: String
    let file: String
    let line: UInt32
    let module: String

    /// `location` is `"src/server.c:120"`, a bare file, or empty when unknown.
    init(_ function: String, _ location: String = "", in module: String) {
        self.function = function
        self.module = module
        if let colon = location.lastIndex(of: ":"), let line = UInt32(location[location.index(after: colon)...]) {
            self.file = String(location[..<colon])
            self.line = line
        } else {
            self.file = location
            self.line = 0
        }
    }
}

/// Builds one dump in memory: interns strings, frames and stacks on first use (so they
/// are always defined before they are referred to) and appends event records with
/// addresses from a simulated allocator.
final class SampleBuilder {
    private(set) var records: [Record] = []
    var rng: SplitMix64
    let heap: Heap
    /// Simulated time in ns since the start of the recording. Stamps never go backwards.
    var now: UInt64 = 0
    private var lastTimestamp: UInt64 = 0

    private var strings: [String: UInt32] = [:]
    private var frames: [Fn: UInt32] = [:]
    private var stacks: [UInt64: UInt32] = [:]
    private var stackCount: UInt32 = 0
    private var functionStarts: [String: (start: UInt64, size: UInt64)] = [:]
    private var moduleCursor: [String: UInt64]

    /// - Parameter modules: each module path with the address of its `.text` section.
    init(seed: UInt64, meta: Metadata, modules: [(path: String, text: UInt64)], heap: Heap = Heap()) {
        rng = SplitMix64(seed: seed)
        self.heap = heap
        moduleCursor = Dictionary(uniqueKeysWithValues: modules.map { ($0.path, $0.text) })
        records.append(.meta(meta))
    }

    // MARK: - Time

    /// The timestamp of the next record: `now`, but never earlier than the last one.
    func stamp() -> UInt64 {
        lastTimestamp = max(lastTimestamp, now)
        return lastTimestamp
    }

    /// Advances `now` by a random amount in `range` (ns).
    func elapse(_ range: ClosedRange<UInt64>) { now += rng.uniform(range) }

    // MARK: - Tables

    func string(_ value: String) -> UInt32 {
        if let id = strings[value] { return id }
        let id = UInt32(strings.count + 1)
        strings[value] = id
        records.append(.string(id: id, value: value))
        return id
    }

    func frame(_ fn: Fn) -> UInt32 {
        if let id = frames[fn] { return id }
        let function = string(fn.function)
        let file = fn.file.isEmpty ? 0 : string(fn.file)
        let module = string(fn.module)
        let id = UInt32(frames.count + 1)
        frames[fn] = id
        records.append(.frame(Frame(id: id, instructionPointer: returnAddress(fn), function: function,
                                    file: file, line: fn.line, module: module)))
        return id
    }

    /// The stack for a call path given outermost first (`main` … the caller of malloc).
    func stack(_ path: [Fn]) -> UInt32 {
        var parent: UInt32 = 0
        for fn in path {
            let frame = frame(fn)
            let key = UInt64(parent) << 32 | UInt64(frame)
            if let id = stacks[key] {
                parent = id
            } else {
                stackCount += 1
                stacks[key] = stackCount
                records.append(.stack(id: stackCount, parent: parent, frame: frame))
                parent = stackCount
            }
        }
        return parent
    }

    /// A stable, plausible return address: functions are laid out one after another in
    /// their module's text section in order of first use; the call site's line picks the
    /// offset inside the function.
    private func returnAddress(_ fn: Fn) -> UInt64 {
        let key = fn.module + "\u{0}" + fn.function
        let function: (start: UInt64, size: UInt64)
        if let known = functionStarts[key] {
            function = known
        } else {
            guard let cursor = moduleCursor[fn.module] else { fatalError("no text address for module \(fn.module)") }
            let size = (0x60 + fnv1a(fn.function) % 0x1C0) & ~0xF
            function = (cursor, size)
            functionStarts[key] = function
            moduleCursor[fn.module] = cursor + size
        }
        let salt = fn.line > 0 ? UInt64(fn.line) &* 0x9E37 : fnv1a(fn.function + "+ret")
        return function.start + 5 + salt % (function.size - 8)
    }

    // MARK: - Heap events

    @discardableResult
    func malloc(_ size: UInt64, thread: UInt32, _ path: [Fn], kind: AllocatorKind = .malloc) -> UInt64 {
        let stack = stack(path)
        let address = heap.allocate(size, thread: thread)
        records.append(.alloc(Alloc(timestamp: stamp(), thread: thread, address: address, size: size,
                                    kind: kind, stack: stack)))
        return address
    }

    func free(_ address: UInt64, thread: UInt32, _ path: [Fn]) {
        let stack = stack(path)
        heap.release(address, thread: thread)
        records.append(.free(Free(timestamp: stamp(), thread: thread, address: address, stack: stack)))
    }

    /// A successful realloc of a live block; returns the new address (maybe the same).
    func realloc(_ address: UInt64, _ size: UInt64, thread: UInt32, _ path: [Fn]) -> UInt64 {
        let stack = stack(path)
        let new = heap.reallocate(address, size, thread: thread)
        records.append(.realloc(Realloc(timestamp: stamp(), thread: thread, oldAddress: address,
                                        newAddress: new, newSize: size, stack: stack)))
        return new
    }

    /// A free the allocator never handed out, or frees twice: recorded as called.
    func badFree(_ address: UInt64, thread: UInt32, _ path: [Fn]) {
        let stack = stack(path)
        records.append(.free(Free(timestamp: stamp(), thread: thread, address: address, stack: stack)))
    }

    /// A realloc of a pointer that is not live; the allocator returns a fresh block.
    func badRealloc(_ address: UInt64, _ size: UInt64, thread: UInt32, _ path: [Fn]) -> UInt64 {
        let stack = stack(path)
        let new = heap.allocate(size, thread: thread)
        records.append(.realloc(Realloc(timestamp: stamp(), thread: thread, oldAddress: address,
                                        newAddress: new, newSize: size, stack: stack)))
        return new
    }

    // MARK: - Threads and the end

    func threadStart(_ thread: UInt32, parent: UInt32, name: String? = nil) {
        records.append(.threadStart(timestamp: stamp(), thread: thread, parent: parent))
        if let name { threadName(thread, name) }
    }

    func threadName(_ thread: UInt32, _ name: String) {
        let id = string(name)
        records.append(.threadName(timestamp: stamp(), thread: thread, name: id))
    }

    func threadExit(_ thread: UInt32) {
        records.append(.threadExit(timestamp: stamp(), thread: thread))
    }

    func processEnd(_ how: ProcessEnd.How, code: UInt32) {
        records.append(.processEnd(ProcessEnd(timestamp: stamp(), how: how, code: code)))
    }
}

/// 64-bit FNV-1a of a string's UTF-8 bytes (stable across runs, unlike `Hasher`).
func fnv1a(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
    }
    return hash
}

/// Call paths read outermost first: `path(base, f, g)` is `base → f → g`.
func path(_ base: [Fn], _ more: Fn...) -> [Fn] { base + more }
