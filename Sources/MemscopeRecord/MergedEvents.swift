/// Merges the threads' event streams of a spool into one stream ordered by
/// timestamp (ties keep thread order), which is the order of occurrence: the
/// recorder stamps an allocation after the allocator returns and a free before
/// it is called, so a block's free never sorts before its allocation.
struct MergedEvents {
    private var cursors: [ThreadEventCursor]
    private var heads: [(thread: UInt32, event: SpoolEvent, timestamp: UInt64)?]
    private var heap: [Int] = []

    init(spool: SpoolFile) {
        cursors = spool.chunksByThread.map { ThreadEventCursor(spool: spool, thread: $0.thread, chunks: $0.chunks) }
        heads = Array(repeating: nil, count: cursors.count)
        for index in cursors.indices where advance(index) { push(index) }
    }

    /// The next timestamped event with its thread (stack definitions are skipped;
    /// ``SpoolIndex`` collects them beforehand).
    mutating func next() -> (thread: UInt32, event: SpoolEvent)? {
        guard let top = heap.first else { return nil }
        let head = heads[top]!
        if advance(top) { siftDown(0) } else { removeTop() }
        return (head.thread, head.event)
    }

    private mutating func advance(_ index: Int) -> Bool {
        while let event = cursors[index].next() {
            if let timestamp = event.timestamp {
                heads[index] = (cursors[index].thread, event, timestamp)
                return true
            }
            if case .stack = event { continue }
            // Scan results (references, roots) carry no time: they belong to the scan before them.
            heads[index] = (cursors[index].thread, event, heads[index]?.timestamp ?? 0)
            return true
        }
        heads[index] = nil
        return false
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        let x = heads[a]!.timestamp, y = heads[b]!.timestamp
        return x != y ? x < y : a < b
    }

    private mutating func push(_ index: Int) {
        heap.append(index)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func removeTop() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        if !heap.isEmpty { siftDown(0) }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && less(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count && less(heap[right], heap[smallest]) { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

/// What a first pass over a spool collects: the module map of each program image
/// and the raw stacks, which events refer to by id.
struct SpoolIndex {
    var modulesByGeneration: [UInt32: [SpoolModule]] = [:]
    var stacks: [UInt32: (generation: UInt32, addresses: [UInt64])] = [:]
    var forks: [UInt32] = []
    /// The last exit status the process reported itself (exit/_exit), if any.
    var reportedEnd: (how: UInt8, code: UInt32)?

    init(spool: SpoolFile) {
        for (thread, chunks) in spool.chunksByThread {
            var cursor = ThreadEventCursor(spool: spool, thread: thread, chunks: chunks)
            while let event = cursor.next() {
                switch event {
                case .stack(let id, let generation, let addresses): stacks[id] = (generation, addresses)
                case .module(let module): modulesByGeneration[module.generation, default: []].append(module)
                case .fork(_, let child): forks.append(child)
                case .end(_, let how, let code): reportedEnd = (how, code)
                default: break
                }
            }
        }
    }
}
