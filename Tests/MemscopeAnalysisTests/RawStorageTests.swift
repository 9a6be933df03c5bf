@testable import MemscopeAnalysis
import MemscopeTestSupport
import Testing

/// The per-event tables kept in raw memory (``UncheckedStore``, the block table's slots).
@Suite struct RawStorageTests {
    @Test func storeKeepsEveryValueAsItGrows() {
        let store = UncheckedStore(repeating: UInt64(7), count: 3)
        for i in 0..<1_000 { store.append(UInt64(i) * 3) }
        #expect(store.count == 1_003)
        #expect(Array(store.prefix(4)) == [7, 7, 7, 0])
        #expect(store[1_002] == 999 * 3)
        store[500] += 1
        #expect(store[500] == 497 * 3 + 1)
        let total: UInt64 = store.reduce(0, +)
        let expected: UInt64 = 21 + 3 * 499_500 + 1
        #expect(total == expected)
    }

    @Test func blockTableFindsEveryAddressAcrossGrowth() {
        var table = AddressTable(capacity: 4)
        var addresses: [UInt64] = []
        // Enough distinct addresses to grow the table several times; each insert that
        // grows the table must still land its own address.
        for i in 1...5_000 {
            let address = UInt64(i) &* 0x10 &+ 0x7f00_0000_0000
            let slot = table.findOrInsert(address)
            #expect(table.slots[slot].address == address)
            addresses.append(address)
        }
        #expect(table.count == 5_000)
        #expect(table.slots.count * 3 >= 5_000 * 4)  // grown, at most three quarters full
        // Slots move when the table grows: every address is found where it now is.
        for address in addresses {
            let found = table.find(address)
            #expect(found.map { table.slots[$0].address } == address)
            #expect(table.findOrInsert(address) == found)
        }
        #expect(table.count == 5_000)
        #expect(table.find(0x1234_5678) == nil)
    }

    /// The live-block table of any slot count: random inserts and removals against a
    /// dictionary, through growths, with addresses crowding few home slots (runs wrap past
    /// the last slot, removals shift them back).
    @Test func liveBlockTableBehavesAsADictionary() {
        for (seed, capacity) in [(UInt64(1), 5), (2, 100), (3, 1_000)] {
            var rng = SeededRandom(seed: seed)
            var table = LiveBlockTable(capacity: capacity)
            #expect(table.slots.count == LiveBlockTable.slots(for: capacity))
            var model: [UInt64: (size: UInt64, site: Int32)] = [:]
            for step in 0..<30_000 {
                let address = UInt64.random(in: 1...2_000, using: &rng) &* (seed == 2 ? 1 : 48)
                if let slot = table.find(address) {
                    #expect(table.slots[slot].size == model[address]?.size)
                    #expect(table.slots[slot].site == model[address]?.site)
                    table.remove(at: slot)
                    model[address] = nil
                } else {
                    #expect(model[address] == nil)
                    let block = LiveBlockTable.Block(address: address, size: rng.next(), site: Int32(step % 1_000), view: -1)
                    table.insert(block)
                    model[address] = (block.size, block.site)
                }
                #expect(table.count == model.count)
            }
            #expect(table.slots.filter { $0.address != 0 }.count == model.count)
            for (address, value) in model { #expect(table.find(address).map { table.slots[$0].size } == value.size) }
        }
    }

    /// Reserved for a first read's live blocks: 4/3 slots a block (and 1/16 more room), no growth.
    @Test func reservedLiveBlockTableDoesNotGrow() {
        var table = LiveBlockTable(expected: 990_000)
        let slots = table.slots.count
        #expect(slots < 990_000 * 3 / 2 && slots < 1 << 21, "\(slots) slots")
        for i in 0..<1_050_000 {
            table.insert(LiveBlockTable.Block(address: 0x5555_0000_0000 + UInt64(i) * 64, size: 8, site: 0, view: -1))
        }
        #expect(table.slots.count == slots)
        #expect(table.find(0x5555_0000_0000 + 1_049_999 * 64) != nil)
    }
}
