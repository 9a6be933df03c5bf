import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel

/// Each reader on bytes held in memory, reading only: every record or entry is read and
/// dropped, nothing is analysed. The per-reader fuzz targets (Sources/memscope-fuzz) run
/// it thousands of times a second, with no file per input.
package enum InMemoryReader {
    /// The readers, by the name a fuzz target goes by.
    package enum Kind: String, CaseIterable, Sendable {
        case msd, jsonl, heaptrack, massif, dhat, folded
        case memscopeRsJSON = "memscope-rs-json"
        case memscopeRsBinary = "memscope-rs-binary"
    }

    /// Reads `bytes` to their end as `kind` (compressed or not, as from a file); returns
    /// how many records, snapshots or entries were read. Errors are the expected outcome of
    /// hostile bytes; a trap is a bug.
    package static func read(_ bytes: [UInt8], as kind: Kind, limits: InputLimits = .default) throws -> Int {
        let path = "<memory>"
        switch kind {
        case .msd, .jsonl:
            let reader = try DumpOpener.open(bytes: bytes, path: path, format: kind == .msd ? .msd : .jsonl)
            return try drain(DumpRecordSource(reader))
        case .heaptrack:
            let reader = HeaptrackReader(path: path, file: try DecodedFile(bytes: bytes, path: path))
            return try drain(reader)
        case .massif:
            return try MassifFile.parse(DecodedFile(bytes: bytes, path: path), path: path, limits: limits).snapshots.count
        case .dhat:
            return try DHATImporter.analyze(file: DecodedFile(bytes: bytes, path: path), path: path, everyOptions: []).count
        case .folded:
            return try FoldedStacks.analyze(file: DecodedFile(bytes: bytes, path: path), path: path, cost: .bytes,
                                            everyOptions: []).count
        case .memscopeRsJSON:
            return try MemscopeRsExport.readJSON(DecodedFile(bytes: bytes, path: path), path: path, limits: limits).count
        case .memscopeRsBinary:
            return try MemscopeRsBinaryFile(file: DecodedFile(bytes: bytes, path: path), path: path).allocations.count
        }
    }

    /// Reads every batch of `source` (as ``AnalysisPipeline`` does: a batch that comes with
    /// `false` holds nothing); returns the records read.
    private static func drain(_ source: any RecordBatchSource) throws -> Int {
        let batch = RecordBatch(capacity: 256)
        var count = 0
        while try source.read(into: batch, maxCount: 256) { count += batch.count }
        _ = source.diagnostics
        return count
    }
}
