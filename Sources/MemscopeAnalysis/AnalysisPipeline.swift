import MemscopeModel

/// Something that yields batches of records (the parse stage's readers conform).
public protocol RecordBatchSource: AnyObject {
    var diagnostics: Diagnostics { get }
    var wasTruncated: Bool { get }
    func read(into batch: inout [Record], maxCount: Int) throws -> Bool
}

/// Runs parse and analyze over a whole dump.
public enum AnalysisPipeline {
    /// Reads every record from `reader` and analyses it.
    public static func run(reader: some RecordBatchSource, options: AnalysisOptions = .default) throws -> Analysis {
        let analyzer = Analyzer(options: options)
        var batch: [Record] = []
        batch.reserveCapacity(8192)
        while try reader.read(into: &batch, maxCount: 8192) {
            analyzer.consume(batch)
        }
        return analyzer.finish(diagnostics: reader.diagnostics, truncated: reader.wasTruncated)
    }
}
