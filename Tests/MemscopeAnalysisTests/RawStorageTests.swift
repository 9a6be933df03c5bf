@testable import MemscopeAnalysis
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
}
