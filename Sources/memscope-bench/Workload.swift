import MemscopeFormat
import MemscopeModel

/// A synthetic but allocator-like workload: threads, a pool of deep stacks with skewed
/// popularity, LIFO address reuse per size class, reallocs, cross-thread frees and leaks.
/// It is written twice, as .msd and as a heaptrack data file, so both tools read the
/// same events.
struct Workload {
    /// Bump when the generated events change.
    static let version = 2
    let events: Int
    let seed: UInt64

    func write(msdPath: String, heaptrackPath: String) throws {
        var rng = SplitMix64(seed: seed)
        let msd = try MSDBinaryWriter(sink: ByteSink(file: AtomicOutputFile(path: msdPath)))
        let heaptrack = try HeaptrackWriter(path: heaptrackPath)
        let threads: [UInt32] = (0..<8).map { 5000 + UInt32($0) }

        try msd.write(.meta(Metadata(producer: "memscope-bench", producerVersion: "1", pid: 4999,
                                     commandLine: ["./bench-workload", "--events", "\(events)"])))
        try heaptrack.header(command: "./bench-workload --events \(events)")

        // Symbols: 1200 functions in 3 modules, 4000 stacks of depth 6…35.
        var stringCount: UInt32 = 0
        func string(_ text: String) throws -> UInt32 {
            stringCount += 1
            try msd.write(.string(id: stringCount, value: text))
            try heaptrack.string(text)
            return stringCount
        }
        let modules = try ["/usr/bin/bench-workload", "/usr/lib/libbench.so", "/lib/x86_64-linux-gnu/libc.so.6"].map(string)
        let file = try string("src/workload.cpp")
        var frames: [UInt32] = []
        for f in 0..<1200 {
            let name = try string("bench::module\(f % 17)::function_\(f)(int, std::vector<int>&)")
            let id = UInt32(frames.count + 1)
            let ip = 0x40_0000 + UInt64(f) * 0x40
            let module = modules[f % modules.count]
            try msd.write(.frame(Frame(id: id, instructionPointer: ip, function: name, file: file,
                                       line: UInt32(10 + f), module: module)))
            try heaptrack.instructionPointer(ip, module: module, function: name, file: file, line: UInt32(10 + f))
            frames.append(id)
        }
        var stacks: [UInt32] = []
        var stackCount: UInt32 = 0
        for _ in 0..<4000 {
            let depth = 6 + rng.below(30)
            var parent: UInt32 = stacks.isEmpty || rng.below(3) == 0 ? 0 : stacks[rng.below(stacks.count)]
            for _ in 0..<(parent == 0 ? depth : 1 + rng.below(4)) {
                let frame = frames[rng.skewed(frames.count)]
                stackCount += 1
                try msd.write(.stack(id: stackCount, parent: parent, frame: frame))
                try heaptrack.trace(instructionPointer: frame, parent: parent)
                parent = stackCount
            }
            stacks.append(parent)
        }

        // Events.
        var live: [(address: UInt64, size: UInt64, stack: UInt32)] = []
        var freeLists: [Int: [UInt64]] = [:]
        var bump: UInt64 = 0x5555_5555_0000
        var time: UInt64 = 0
        var written = 0
        func address(for size: UInt64) -> UInt64 {
            let sizeClass = Int((size + 15) / 16)
            if let reused = freeLists[sizeClass]?.popLast() { return reused }
            let a = bump
            bump += UInt64(sizeClass * 16)
            return a
        }
        func release(_ block: (address: UInt64, size: UInt64, stack: UInt32)) {
            freeLists[Int((block.size + 15) / 16), default: []].append(block.address)
        }
        // heaptrack matches a free to the last allocation by (size, stack) class, memscope
        // by address; a free of another block of the last allocation's class would count as
        // temporary for one and not the other. The workload avoids that case, so the two
        // tools' figures must agree exactly.
        var lastAllocated: (address: UInt64, size: UInt64, stack: UInt32)?
        func ambiguous(_ block: (address: UInt64, size: UInt64, stack: UInt32)) -> Bool {
            guard let last = lastAllocated else { return false }
            return block.size == last.size && block.stack == last.stack && block.address != last.address
        }
        while written < events {
            time += 20 + UInt64(rng.below(60))
            let thread = threads[rng.skewed(threads.count)]
            var roll = rng.below(100)
            var index = live.isEmpty ? 0 : rng.below(live.count)
            if roll >= 52 && !live.isEmpty {
                // Mostly free recent blocks (short lifetimes), sometimes old ones.
                if rng.below(4) != 0 { index = live.count - 1 - rng.below(min(live.count, 16)) }
            }
            if !live.isEmpty && roll >= 48 && ambiguous(live[index]) { roll = 0 }
            if live.isEmpty || roll < 48 {
                let size = UInt64(8 << rng.skewed(12)) + UInt64(rng.below(64))
                let stack = stacks[rng.skewed(stacks.count)]
                let a = address(for: size)
                try msd.write(.alloc(Alloc(timestamp: time, thread: thread, address: a, size: size, stack: stack)))
                try heaptrack.alloc(size: size, stack: stack, time: time)
                lastAllocated = (a, size, stack)
                // One in 60 allocations leaks: it never enters the list of blocks to free.
                if rng.below(60) != 0 { live.append((a, size, stack)) }
            } else if roll < 52 {
                let old = live[index]
                let size = min(old.size * 2, 1 << 24)
                let stack = stacks[rng.skewed(stacks.count)]
                let a = address(for: size)
                try msd.write(.realloc(Realloc(timestamp: time, thread: thread, oldAddress: old.address,
                                               newAddress: a, newSize: size, stack: stack)))
                try heaptrack.free(size: old.size, stack: old.stack)
                try heaptrack.alloc(size: size, stack: stack, time: time)
                release(old)
                live[index] = (a, size, stack)
                lastAllocated = (a, size, stack)
            } else {
                let block = live[index]
                live.swapAt(index, live.count - 1)
                live.removeLast()
                try msd.write(.free(Free(timestamp: time, thread: thread, address: block.address, stack: 0)))
                try heaptrack.free(size: block.size, stack: block.stack)
                release(block)
                lastAllocated = nil
            }
            written += 1
        }
        try msd.write(.processEnd(ProcessEnd(timestamp: time, how: .exited, code: 0)))
        try msd.finish()
        try heaptrack.finish(time: time)
    }
}

/// A dump where half the events allocate blocks that stay live to the end (the other half
/// allocate and free a short-lived block), over the same 4,000 stacks as ``Workload``: the
/// case where per-view block tables cost the most (issue 20: 1.98M events, 990,000 live
/// blocks).
struct LiveWorkload {
    let events: Int
    let seed: UInt64

    func write(msdPath: String) throws {
        var rng = SplitMix64(seed: seed)
        let msd = try MSDBinaryWriter(sink: ByteSink(file: AtomicOutputFile(path: msdPath)))
        try msd.write(.meta(Metadata(producer: "memscope-bench", producerVersion: "1", pid: 4999,
                                     commandLine: ["./bench-live", "--events", "\(events)"])))
        try msd.write(.string(id: 1, value: "/usr/bin/bench-live"))
        try msd.write(.string(id: 2, value: "src/live.cpp"))
        for f in 0..<1200 {
            try msd.write(.string(id: UInt32(3 + f), value: "live::module\(f % 17)::function_\(f)(int)"))
            try msd.write(.frame(Frame(id: UInt32(f + 1), instructionPointer: 0x40_0000 + UInt64(f) * 0x40,
                                       function: UInt32(3 + f), file: 2, line: UInt32(10 + f), module: 1)))
        }
        var stacks: [UInt32] = []
        var stackCount: UInt32 = 0
        for _ in 0..<4000 {
            var parent: UInt32 = 0
            for _ in 0..<(6 + rng.below(30)) {
                stackCount += 1
                try msd.write(.stack(id: stackCount, parent: parent, frame: UInt32(1 + rng.skewed(1200))))
                parent = stackCount
            }
            stacks.append(parent)
        }
        var address: UInt64 = 0x5555_0000_0000
        var time: UInt64 = 0
        for i in 0..<events {
            time += 20 + UInt64(rng.below(60))
            let thread = 5000 + UInt32(rng.below(8))
            let stack = stacks[rng.skewed(stacks.count)]
            switch i % 4 {
            case 3:
                try msd.write(.free(Free(timestamp: time, thread: thread, address: address, stack: 0)))
            default:
                address += 64
                try msd.write(.alloc(Alloc(timestamp: time, thread: thread, address: address,
                                           size: UInt64(8 << rng.skewed(8)), stack: stack)))
            }
        }
        try msd.write(.processEnd(ProcessEnd(timestamp: time, how: .exited, code: 0)))
        try msd.finish()
    }
}

/// A dump whose stacks are nearly all distinct: a third as many stacks as events, each 12 to
/// 24 frames of two mutually recursive functions over a few callers (as a recursive parser
/// or a tree walk gives), blocks freed soon after. The case where per-site and per-stack
/// tables cost the most (issue 20: no cliff with distinct stacks; a 14 MB recording of such a
/// program had read+analyze take 4.7 s before the timeline slices stopped copying).
struct StacksWorkload {
    let events: Int
    let seed: UInt64

    func write(msdPath: String) throws {
        var rng = SplitMix64(seed: seed)
        let msd = try MSDBinaryWriter(sink: ByteSink(file: AtomicOutputFile(path: msdPath)))
        try msd.write(.meta(Metadata(producer: "memscope-bench", producerVersion: "1", pid: 5999,
                                     commandLine: ["./bench-stacks", "--events", "\(events)"])))
        try msd.write(.string(id: 1, value: "/usr/bin/bench-stacks"))
        try msd.write(.string(id: 2, value: "src/walk.c"))
        let names = ["main", "parse_document", "parse_value", "parse_list", "parse_object", "leaf_alloc"]
        for (f, name) in names.enumerated() {
            try msd.write(.string(id: UInt32(3 + f), value: name))
            try msd.write(.frame(Frame(id: UInt32(f + 1), instructionPointer: 0x40_1000 + UInt64(f) * 0x40,
                                       function: UInt32(3 + f), file: 2, line: UInt32(20 + 10 * f), module: 1)))
        }
        // A trie of stacks: each new stack extends a random earlier stack's path or starts
        // from main, so stacks share prefixes as real ones do.
        var stackCount: UInt32 = 0
        var nodes: [UInt64: UInt32] = [:]
        var stacks: [UInt32] = []
        func node(_ parent: UInt32, _ frame: UInt32) throws -> UInt32 {
            let key = UInt64(parent) << 32 | UInt64(frame)
            if let id = nodes[key] { return id }
            stackCount += 1
            nodes[key] = stackCount
            try msd.write(.stack(id: stackCount, parent: parent, frame: frame))
            return stackCount
        }
        for _ in 0..<max(1, events / 3) {
            var parent = try node(0, 1)
            parent = try node(parent, 2)
            for _ in 0..<(10 + rng.below(12)) { parent = try node(parent, UInt32(3 + rng.below(3))) }
            stacks.append(try node(parent, 6))
        }
        var address: UInt64 = 0x5555_0000_0000
        var time: UInt64 = 0
        var live: [UInt64] = []
        for i in 0..<events {
            time += 20 + UInt64(rng.below(60))
            if i % 2 == 1, let freed = live.popLast() {
                try msd.write(.free(Free(timestamp: time, thread: 6000, address: freed, stack: 0)))
            } else {
                address += 64
                live.append(address)
                try msd.write(.alloc(Alloc(timestamp: time, thread: 6000, address: address,
                                           size: UInt64(16 << rng.below(5)), stack: stacks[(i / 2) % stacks.count])))
            }
        }
        try msd.write(.processEnd(ProcessEnd(timestamp: time, how: .exited, code: 0)))
        try msd.finish()
    }
}
