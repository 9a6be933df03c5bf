import Foundation
import MemscopeTestSupport
import Testing

/// The recorder changes nothing the program sees: every interposed allocation function
/// returns what glibc returns, with the same errno, natively and under memscope. (Only the
/// contents of memory the program never wrote differ: new blocks' words are cleared,
/// ClearedWordsTests.)
@Suite struct AllocatorSemanticsTests {
    @Test(arguments: [[], ["--guard"], ["--quarantine", "1MiB"], ["--frame-pointers"]])
    func resultsAndErrnoAreGlibcs(options: [String]) throws {
        let program = try TestProgram.compile("alloc-semantics")
        let native = try run(program.path, [])
        #expect(native.status == 0)
        #expect(native.stdout.contains("aligned_alloc(3,10)"))
        let (recorded, _) = try program.record(options: options)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let expected = native.stdout.split(separator: "\n")
        let got = recorded.stdout.split(separator: "\n")
        #expect(got.count == expected.count)
        for (line, want) in zip(got, expected) { #expect(line == want) }
    }
}
