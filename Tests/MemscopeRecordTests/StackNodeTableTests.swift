@testable import MemscopeRecord
import Testing

/// The converter's table of stack nodes answers as a dictionary keyed by (parent, frame)
/// would, through growth, with ids up to the full 32 bits.
@Suite struct StackNodeTableTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func answersAsADictionary(seed: UInt64) {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        func next() -> UInt32 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt32(truncatingIfNeeded: state >> 33)
        }
        var table = StackNodeTable()
        var model: [UInt64: UInt32] = [:]
        for i in 0..<50_000 {
            // Small ids (as real nodes and frames are) and, now and then, the largest ones.
            let parent = i % 97 == 0 ? UInt32.max - next() % 3 : next() % 4_000
            let frame = i % 89 == 0 ? UInt32.max : next() % 300
            let key = UInt64(parent) << 32 | UInt64(frame)
            #expect(table.node(parent: parent, frame: frame) == model[key])
            if model[key] == nil {
                let id = UInt32(model.count + 1)
                table.insert(parent: parent, frame: frame, id: id)
                model[key] = id
            }
            #expect(table.count == model.count)
        }
        for (key, id) in model {
            #expect(table.node(parent: UInt32(key >> 32), frame: UInt32(truncatingIfNeeded: key)) == id)
        }
        #expect(table.node(parent: 123_456, frame: 777_777) == nil)
    }
}
