/// A small model of glibc malloc, good enough for believable addresses.
///
/// - Chunks are 16-byte aligned: a request of n bytes takes max(32, n + 8 rounded up to 16).
/// - The main thread uses the main arena (just after the program's data, 0x5555_5555_a2a0
///   upward); every other thread gets its own arena (0x7fff_f000_0000, 0x7fff_e800_0000, …)
///   on its first allocation.
/// - Freed chunks go to the freeing thread's tcache (7 per size, up to 1032-byte requests),
///   else back to their arena; both are reused last-in first-out per chunk size, so
///   addresses come back quickly and blocks freed by another thread may be reused by it.
/// - Requests of 128 KiB or more are mmapped, page by page, downward from below the
///   shared libraries, at mapping + 16; an unmapped region is reused for the same size.
/// - realloc stays in place when the chunk is large enough or is the last in its arena.
final class Heap {
    static let mmapThreshold: UInt64 = 128 * 1024
    static let tcacheMaxChunk: UInt64 = 1040
    static let tcacheCount = 7

    private struct Arena {
        var base: UInt64
        var top: UInt64
        var bins: [UInt64: [UInt64]] = [:]
    }

    private struct Block {
        var chunk: UInt64
        /// Index of the owning arena, or -1 for an mmapped block (`chunk` is then the mapping size).
        var arena: Int
    }

    private var arenas: [Arena]
    private var arenaOfThread: [UInt32: Int] = [:]
    private let mainThread: UInt32?
    private var tcache: [UInt32: [UInt64: [UInt64]]] = [:]
    private var live: [UInt64: Block] = [:]
    private var mmapTop: UInt64
    private var mmapBins: [UInt64: [UInt64]] = [:]

    /// - Parameter mainThread: the thread that uses the main arena (the pid); nil gives
    ///   the main arena to whichever thread allocates first.
    init(mainThread: UInt32? = nil, mainArena: UInt64 = 0x5555_5555_a2a0, mmapTop: UInt64 = 0x7fff_f760_0000) {
        self.mainThread = mainThread
        arenas = [Arena(base: mainArena & ~0xFFF, top: mainArena)]
        self.mmapTop = mmapTop
    }

    static func chunkSize(_ request: UInt64) -> UInt64 {
        max(32, (request + 8 + 15) & ~15)
    }

    func isLive(_ address: UInt64) -> Bool { live[address] != nil }

    private func arena(of thread: UInt32) -> Int {
        if let index = arenaOfThread[thread] { return index }
        let index: Int
        if thread == mainThread || (mainThread == nil && arenaOfThread.isEmpty) {
            index = 0
        } else {
            let base = 0x7fff_f000_0000 - UInt64(arenas.count - 1) * 0x800_0000
            arenas.append(Arena(base: base, top: base + 0x8d0))
            index = arenas.count - 1
        }
        arenaOfThread[thread] = index
        return index
    }

    func allocate(_ size: UInt64, thread: UInt32) -> UInt64 {
        if size >= Heap.mmapThreshold { return map(size) }
        let chunk = Heap.chunkSize(size)
        if chunk <= Heap.tcacheMaxChunk, let address = tcache[thread]?[chunk]?.popLast() {
            live[address] = Block(chunk: chunk, arena: owner(of: address))
            return address
        }
        let index = arena(of: thread)
        if let address = arenas[index].bins[chunk]?.popLast() {
            live[address] = Block(chunk: chunk, arena: index)
            return address
        }
        let address = arenas[index].top
        arenas[index].top += chunk
        live[address] = Block(chunk: chunk, arena: index)
        return address
    }

    /// The arena an address belongs to (blocks in a tcache keep their origin).
    private func owner(of address: UInt64) -> Int {
        for index in 1..<max(1, arenas.count) where address >= arenas[index].base && address < arenas[index].top {
            return index
        }
        return 0
    }

    private func map(_ size: UInt64) -> UInt64 {
        let length = (size + 16 + 4095) & ~4095
        if let start = mmapBins[length]?.popLast() {
            live[start + 16] = Block(chunk: length, arena: -1)
            return start + 16
        }
        mmapTop -= length
        live[mmapTop + 16] = Block(chunk: length, arena: -1)
        return mmapTop + 16
    }

    func release(_ address: UInt64, thread: UInt32) {
        guard let block = live.removeValue(forKey: address) else {
            fatalError("sample bug: free of 0x\(String(address, radix: 16)), which is not live")
        }
        if block.arena < 0 {
            mmapBins[block.chunk, default: []].append(address - 16)
            return
        }
        if block.chunk <= Heap.tcacheMaxChunk, tcache[thread]?[block.chunk]?.count ?? 0 < Heap.tcacheCount {
            tcache[thread, default: [:]][block.chunk, default: []].append(address)
            return
        }
        arenas[block.arena].bins[block.chunk, default: []].append(address)
    }

    func reallocate(_ address: UInt64, _ size: UInt64, thread: UInt32) -> UInt64 {
        guard let block = live[address] else {
            fatalError("sample bug: realloc of 0x\(String(address, radix: 16)), which is not live")
        }
        if block.arena < 0 {
            // mremap: shrinking (or staying above the threshold within the mapping) is in place.
            if size + 16 <= block.chunk { return address }
        } else if size < Heap.mmapThreshold {
            let chunk = Heap.chunkSize(size)
            if chunk <= block.chunk { return address }
            if address + block.chunk == arenas[block.arena].top {
                arenas[block.arena].top = address + chunk
                live[address]?.chunk = chunk
                return address
            }
        }
        let new = allocate(size, thread: thread)
        release(address, thread: thread)
        return new
    }
}
