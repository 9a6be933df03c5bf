import MemscopeModel

/// A streaming reader of dump records.
///
/// Memory stays bounded by the batch size and the reader's buffer: records are
/// handed over in batches and never accumulated.
public protocol RecordReader: AnyObject {
    /// The format that was detected (or forced).
    var format: DumpFormat { get }
    /// Warnings so far, grouped.
    var diagnostics: Diagnostics { get }
    /// True once the input ended inside a record (the dump was cut off).
    var wasTruncated: Bool { get }
    /// Bytes of the file consumed so far; may be read from another thread (progress bars).
    var bytesRead: UInt64 { get }
    /// Replaces `batch` with up to `maxCount` records; returns false (and an empty batch)
    /// once the input is exhausted.
    /// - Throws: ``DumpError`` for input that cannot be read as a dump.
    func read(into batch: inout [Record], maxCount: Int) throws -> Bool
    /// The same into a ``RecordBatch`` (the analysis pipeline's form), replacing its content.
    func read(into batch: RecordBatch, maxCount: Int) throws -> Bool
}

extension RecordReader {
    /// Reads an array of records and appends them to `batch`: for readers with no faster way.
    public func read(into batch: RecordBatch, maxCount: Int) throws -> Bool {
        var records: [Record] = []
        let more = try read(into: &records, maxCount: maxCount)
        batch.removeAll()
        batch.append(contentsOf: records)
        return more
    }
}

extension RecordReader {
    /// Calls `body` for every remaining record.
    public func forEach(batchSize: Int = 4096, _ body: (Record) throws -> Void) throws {
        var batch: [Record] = []
        batch.reserveCapacity(batchSize)
        while try read(into: &batch, maxCount: batchSize) {
            for record in batch { try body(record) }
        }
    }
}

/// The input formats memscope reads.
public enum DumpFormat: String, Sendable, CaseIterable {
    /// The binary `.msd` form.
    case msd
    /// The JSON Lines text form of `.msd`.
    case jsonl

    public var displayName: String {
        switch self {
        case .msd: "memscope dump (.msd)"
        case .jsonl: "memscope dump, text form (.msd JSON Lines)"
        }
    }
}

/// Tracks which table ids are defined so that references can be checked on the fly.
struct ReferenceChecker {
    var strings: UInt32 = 0
    var frames: UInt32 = 0
    var stacks: UInt32 = 0
    var sawMeta = false
    var sawAnyRecord = false
}
