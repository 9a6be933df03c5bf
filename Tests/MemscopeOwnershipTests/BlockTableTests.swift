@testable import MemscopeOwnership
import MemscopeTestSupport
import Testing

/// ``BlockTable``: the ownership rules' live blocks, a dictionary by address in 48-byte
/// slots with the owner links beside.
@Suite struct BlockTableTests {
    static func block(_ serial: UInt64, _ rng: inout SeededRandom) -> TrackedBlock {
        var block = TrackedBlock(serial: serial, size: rng.next() >> UInt64.random(in: 0...63, using: &rng),
                                 ticks: rng.next(), origin: Int32.random(in: 0...1_000, using: &rng),
                                 site: Int32.random(in: 0...1_000, using: &rng), thread: UInt32.random(in: 0...UInt32.max, using: &rng))
        block.dependants = UInt32.random(in: 0...3, using: &rng) == 0 ? UInt32.random(in: 0...BlockTable.maximumDependants, using: &rng) : 0
        if Int.random(in: 0..<3, using: &rng) == 0 {
            block.owner = rng.next() | 1
            block.ownerNode = Int32.random(in: 0...1_000, using: &rng)
            block.ownerThread = UInt32.random(in: 0...UInt32.max, using: &rng)
            block.ownerByReference = Bool.random(using: &rng)
        }
        block.sharedReferrers = Int.random(in: 0..<8, using: &rng) == 0
        block.rootReferenced = Int.random(in: 0..<8, using: &rng) == 0
        return block
    }

    static func same(_ a: TrackedBlock?, _ b: TrackedBlock?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return (a.serial, a.size, a.ticks, a.owner) == (b.serial, b.size, b.ticks, b.owner)
            && (a.origin, a.site, a.thread) == (b.origin, b.site, b.thread)
            && (a.ownerNode, a.ownerThread, a.ownerByReference, a.dependants, a.sharedReferrers, a.rootReferenced)
            == (b.ownerNode, b.ownerThread, b.ownerByReference, b.dependants, b.sharedReferrers, b.rootReferenced)
    }

    /// ``BlockTable/resident(at:)``, ``BlockTable/serial(at:)`` and
    /// ``BlockTable/forEachResident(_:)`` read the same blocks as the subscript, links aside.
    @Test func residentReadsAgreeWithTheSubscript() {
        var rng = SeededRandom(seed: 7)
        var table = BlockTable(capacity: 16)
        var addresses: [UInt64] = []
        for serial in 1...2_000 as ClosedRange<UInt64> {
            let address = (rng.next() % 50_000) << 4 | 0x10
            table[address] = Self.block(serial, &rng)
            addresses.append(address)
        }
        for address in addresses.prefix(500) { table[address] = nil }
        var visited = 0
        table.forEachResident { address, serial, origin in
            visited += 1
            #expect(table[address]?.serial == serial)
            #expect(table[address]?.origin == origin)
        }
        #expect(visited == table.count)
        for address in addresses + [0, 8, 0xFFFF_FFF0] {
            let block = table[address]
            let resident = table.resident(at: address)
            #expect(table.serial(at: address) == block?.serial)
            #expect(resident?.serial == block?.serial)
            #expect(resident?.ticks == block?.ticks)
            #expect(resident?.origin == block?.origin)
            #expect(resident?.thread == block?.thread)
        }
    }

    /// A map in a map: ``WordMap/value(_:_:)`` reads the inner value in place, and the
    /// defaulted subscript changes the inner map where it lies (kept across the outer map's growth).
    @Test func nestedWordMapsReadAndChangeInPlace() {
        var outer = WordMap<WordMap<HeldWord>>()
        var expected: [UInt64: [UInt64: UInt64]] = [:]
        var rng = SeededRandom(seed: 11)
        for _ in 0..<5_000 {
            let key = rng.next() % 300, inner = rng.next() % 40
            let serial = rng.next()
            outer[key, default: WordMap()][inner] = HeldWord(serial: serial, node: 1)
            expected[key, default: [:]][inner] = serial
        }
        for key in 0..<UInt64(310) {
            for inner in 0..<UInt64(45) {
                #expect(outer.value(key, inner)?.serial == expected[key]?[inner])
            }
        }
        #expect(outer.count == expected.count)
    }

    @Test func slotIsFortyEightBytes() {
        #expect(MemoryLayout<BlockTable.Slot>.stride == 48)
    }

    /// Random inserts, overwrites (links set and cleared), removals and lookups, against a
    /// dictionary, through several growths; addresses crowd into few home slots so probe runs
    /// wrap and removals shift.
    @Test func behavesAsADictionary() {
        for seed: UInt64 in [1, 2, 3] {
            var rng = SeededRandom(seed: seed)
            var table = BlockTable(capacity: 4)
            var model: [UInt64: TrackedBlock] = [:]
            var serial: UInt64 = 0
            for _ in 0..<40_000 {
                let address = UInt64.random(in: 1...3_000, using: &rng) &* (seed == 3 ? 1 : 64)
                switch Int.random(in: 0..<10, using: &rng) {
                case 0..<5:
                    serial += 1
                    let block = Self.block(serial, &rng)
                    table[address] = block
                    model[address] = block
                case 5:
                    // Links cleared: the side entry must go, the slot must say so.
                    if var block = model[address] {
                        block.owner = 0
                        block.ownerNode = -1
                        block.ownerThread = 0
                        block.ownerByReference = false
                        block.sharedReferrers = false
                        block.rootReferenced = false
                        table[address] = block
                        model[address] = block
                    }
                case 6:
                    if model[address] != nil {
                        table[address]!.dependants += 1
                        model[address]!.dependants += 1
                    }
                case 7:
                    let removed = table.removeValue(forKey: address)
                    #expect(Self.same(removed, model.removeValue(forKey: address)))
                case 8:
                    table[address] = nil
                    model[address] = nil
                default:
                    #expect(Self.same(table[address], model[address]))
                }
                #expect(table.count == model.count)
            }
            var seen = 0
            for (address, block) in table {
                #expect(Self.same(block, model[address]), "address \(address)")
                seen += 1
            }
            #expect(seen == model.count)
            #expect(table.values.map(\.serial).sorted() == model.values.map(\.serial).sorted())
            for address in model.keys { #expect(Self.same(table[address], model[address])) }
            #expect(table[0] == nil)
        }
    }

    /// Reserved for a first read's live blocks, it holds them (and 1/16 more) without
    /// growing, in 4/3 slots a block rather than the next power of two.
    @Test func reservedTableDoesNotGrow() {
        var rng = SeededRandom(seed: 9)
        var table = BlockTable(expected: 100_000)
        let slots = table.capacity
        #expect(slots < 100_000 * 3 / 2, "\(slots) slots")
        for i in 0..<106_000 {
            table[0x5555_0000_0000 + UInt64(i) * 64] = Self.block(UInt64(i + 1), &rng)
        }
        #expect(table.capacity == slots)
        #expect(table.count == 106_000)
        for i in stride(from: 0, to: 106_000, by: 7) {
            #expect(table[0x5555_0000_0000 + UInt64(i) * 64]?.serial == UInt64(i + 1))
        }
    }
}
