import Foundation
import MemscopeTestSupport
import Testing

/// samples/recorded/ against the figures of samples/EXPECTED.md.
@Suite struct RecordedSampleTests {
    @Test func minihttpd() throws {
        let json = try summaryJSON(TestPaths.sample("recorded/minihttpd.msd"))
        let expected: [String: Int] = [
            "allocations": 12245, "frees": 12001, "bytes_allocated": 5_036_416, "leaked_bytes": 28416,
            "leaked_blocks": 244, "definitely_lost_bytes": 8000, "definitely_lost_blocks": 40,
            // The 4 threads' TLS vectors (DTV) are the C library's: still reachable, said so.
            "still_reachable_bytes": 20416, "still_reachable_blocks": 204, "still_reachable_c_library_bytes": 1216, "indirectly_lost_bytes": 0,
            "possibly_lost_bytes": 0, "threads": 5, "cross_thread_frees": 2000, "errors": 0,
        ]
        for (key, value) in expected { #expect(json[key] as? Int == value, "\(key)") }
        #expect((json["warnings"] as? [String])?.isEmpty == true)
    }

    @Test func imageDoubleFree() throws {
        let path = TestPaths.sample("recorded/image-double-free.msd")
        let json = try summaryJSON(path)
        let expected: [String: Int] = [
            "allocations": 22, "frees": 21, "bytes_allocated": 9280, "peak_bytes": 4416, "leaked_bytes": 64,
            "leaked_blocks": 1, "temporary_allocations": 20, "threads": 1, "errors": 1,
        ]
        for (key, value) in expected { #expect(json[key] as? Int == value, "\(key)") }
        let recorded = try RecordedDump(path: path)
        let error = try #require(recorded.analysis.errors.first)
        #expect(error.kind == .doubleFree)
        #expect(recorded.functions(ofStack: error.allocationStack).first == "image_load")
        #expect(recorded.functions(ofStack: error.firstFreeStack).first == "image_release_pixels")
        #expect(recorded.functions(ofStack: error.stack).first == "image_destroy")
        #expect(recorded.analysis.processEnd?.how == .signalled)
        #expect(recorded.analysis.processEnd?.code == 6)
    }
}
