import Foundation
@testable import MemscopeReport
import MemscopeAnalysis
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The memory-errors section (overflows and writes after free with their stacks and a
/// plain-language explanation) and the modules tables, with hostile module paths.
@Suite struct MemoryErrorSectionTests {
    static let hostile = "/lib/</td><script>alert(1)</script>.so"

    static func dump() -> [Record] {
        var dump = DumpBuilder()
        dump.modules = ["plugin_make": hostile]
        let make = dump.stack("main", "plugin_make")
        let drop = dump.stack("main", "drop")
        dump.alloc(ts: 1, address: 0x1000, size: 10, stack: make)
        dump.free(ts: 2, address: 0x1000, stack: drop)
        dump.append(.memoryError(MemoryError(timestamp: 2, thread: 1, kind: .overflow, address: 0x1000, size: 10, side: .after,
                                             offset: 0, bytes: 1, allocationStack: make, freeStack: drop, foundStack: drop)))
        dump.append(.memoryError(MemoryError(timestamp: 3, thread: 1, kind: .writeAfterFree, address: 0x1000, size: 10,
                                             side: .inside, offset: 4, bytes: 2, allocationStack: make, freeStack: drop,
                                             foundStack: 0)))
        dump.end(ts: 4)
        return dump.records
    }

    @Test func errorsAreExplainedWithTheirStacks() throws {
        let html = TablesSection.errors(analyze(Self.dump()))
        #expect(html.contains("overflow</span> ×1"))
        #expect(html.contains("1 byte changed; 0 bytes after a block of size 10"))
        #expect(html.contains("2 bytes changed; 4 bytes inside a block of size 10"))
        #expect(html.contains("<strong>freed at (found there)</strong>") && html.contains("<strong>found at exit</strong>"))
        #expect(html.contains("Reads after free and reads past a block cannot be seen"))
        #expect(html.contains(HTML.escape(TablesSection.explanations[.writeAfterFree]!)))
    }

    @Test func modulesAreTabledAndEscaped() throws {
        let analysis = analyze(Self.dump())
        let html = ModulesSection.html(analysis)
        #expect(html.contains("<h3>Cross-module hand-offs</h3>"))
        #expect(!html.contains("<script>"))
        #expect(html.contains(HTML.escape(Self.hostile)))
        #expect(analysis.moduleHandOffs.count == 1)
        // One module only: no section.
        var plain = DumpBuilder()
        let s = plain.stack("main")
        plain.alloc(ts: 1, address: 0x10, size: 1, stack: s)
        #expect(ModulesSection.html(analyze(plain.records)).isEmpty)
    }
}
