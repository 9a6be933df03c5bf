import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel

/// The one entry point for reading any input: memscope dumps go through the dump reader
/// and the analyzer; other tools' files through their importers.
///
/// ```swift
/// let (analysis, format) = try InputLoader.analyze(path: "heaptrack.app.1234.zst")
/// ```
public enum InputLoader {
    /// Detects the format of `path` by content.
    public static func detect(path: String) throws -> InputFormat {
        try FormatSniffer.detect(path: path)
    }

    /// Reads and analyses `path`.
    /// - Parameters:
    ///   - format: forces a format instead of detecting it.
    ///   - foldedCost: what the counts of folded stacks mean.
    ///   - progress: called with the bytes of the file read so far, for event inputs.
    /// - Throws: ``DumpError`` or ``ImportError``, located, with a hint.
    public static func analyze(path: String, format: InputFormat? = nil, foldedCost: FoldedCost = .allocations,
                               limits: InputLimits = .default, options: AnalysisOptions = .default,
                               progress: (UInt64) -> Void = { _ in }) throws -> (analysis: Analysis, format: InputFormat) {
        let (analyses, actual) = try analyze(path: path, format: format, foldedCost: foldedCost, limits: limits,
                                             everyOptions: [options], progress: progress)
        return (analyses[0], actual)
    }

    /// Like ``analyze(path:format:foldedCost:options:progress:)``, once per options, reading
    /// the input only once.
    /// - Parameter alongside: consumers fed every record too, for memscope's own dumps only
    ///   (``InputFormat/carriesBlockEvents``); they see nothing for other formats.
    /// - Parameter limits: how much of the input to read (every options' limits are set to them).
    /// - Throws: ``LimitExceeded`` naming `path` when the input goes past one of `limits`.
    public static func analyze(path: String, format: InputFormat? = nil, foldedCost: FoldedCost = .allocations,
                               limits: InputLimits = .default,
                               everyOptions: [AnalysisOptions], alongside: [any RecordConsumer] = [],
                               progress: (UInt64) -> Void = { _ in }) throws -> (analyses: [Analysis], format: InputFormat) {
        do {
            let limited = everyOptions.map { options in
                var options = options
                options.limits = limits
                return options
            }
            return try analyze(path: path, format: format, foldedCost: foldedCost, limits: limits, limited: limited,
                               alongside: alongside, progress: progress)
        } catch var exceeded as LimitExceeded {
            if exceeded.path.isEmpty { exceeded.path = path }
            throw exceeded
        }
    }

    private static func analyze(path: String, format: InputFormat?, foldedCost: FoldedCost, limits: InputLimits,
                                limited everyOptions: [AnalysisOptions], alongside: [any RecordConsumer],
                                progress: (UInt64) -> Void) throws -> (analyses: [Analysis], format: InputFormat) {
        let detected = try format ?? detect(path: path)
        switch detected {
        case .msd, .jsonl, .heaptrack:
            let (source, actual) = try eventSource(path: path, format: format, detected: detected, limits: limits)
            // A view tally needs no block names: heaptrack's synthetic addresses pair frees as its reader does.
            let extra = actual.carriesBlockEvents ? alongside : alongside.filter { $0 is ViewTally }
            var analyses = try AnalysisPipeline.run(reader: source, everyOptions: everyOptions, alongside: extra, limits: limits) {
                progress(source.bytesRead)
            }
            if let heaptrack = source as? HeaptrackReader {
                for i in analyses.indices { HeaptrackNotes.apply(to: &analyses[i], reader: heaptrack) }
                for case let tally as ViewTally in extra {
                    let patterns = HeaptrackSuppressions.builtin + heaptrack.embeddedSuppressions
                    tally.finishView = { _ = HeaptrackSuppressions.apply(patterns, to: &$0) }
                }
            }
            return (analyses, actual)
        case _ where everyOptions.isEmpty:
            return ([], detected)  // an aggregate input feeds no consumer: nothing to read it for
        case .folded:
            return (classified(try FoldedStacks.analyze(path: path, cost: foldedCost, everyOptions: everyOptions), everyOptions), .folded)
        case .dhat:
            return (classified(try DHATImporter.analyze(path: path, everyOptions: everyOptions), everyOptions), .dhat)
        case .massif:
            return (classified(try MassifImporter.analyze(path: path, everyOptions: everyOptions), everyOptions), .massif)
        case .memscopeRs:
            return (classified(try MemscopeRsExport.analyze(path: path, everyOptions: everyOptions), everyOptions), .memscopeRs)
        }
    }

    /// The analyses of an aggregate input (one per options, from one read), their allocator
    /// frames classified.
    private static func classified(_ analyses: [Analysis], _ everyOptions: [AnalysisOptions]) -> [Analysis] {
        zip(analyses, everyOptions).map { analysis, options in
            var analysis = analysis
            analysis.classifyAllocatorFrames(options: options)
            return analysis
        }
    }

    /// The event records of an event input (memscope dumps, heaptrack files), for
    /// `inspect --stage parse`.
    /// - Throws: ``ImportError/Problem/noEventRecords(format:)`` for aggregate inputs.
    public static func eventSource(path: String, format: InputFormat? = nil) throws -> (source: any EventSource, format: InputFormat) {
        try eventSource(path: path, format: format, detected: format ?? detect(path: path))
    }

    private static func eventSource(path: String, format: InputFormat?, detected: InputFormat,
                                    limits: InputLimits = .default) throws -> (source: any EventSource, format: InputFormat) {
        switch detected {
        case .msd, .jsonl:
            // Forced: read as that form; detected: let the dump reader detect (and word its errors).
            let reader = try DumpOpener.open(path: path, format: format.flatMap { DumpFormat(rawValue: $0.rawValue) }, limits: limits)
            return (DumpRecordSource(reader), InputFormat(rawValue: reader.format.rawValue) ?? detected)
        case .heaptrack:
            return (HeaptrackReader(path: path, file: try DecodedFile(path: path, limits: limits)), .heaptrack)
        default:
            throw ImportError(path: path, problem: .noEventRecords(format: detected))
        }
    }
}

/// A source of event records with its progress.
public protocol EventSource: RecordBatchSource {
    /// Bytes of the file read so far.
    var bytesRead: UInt64 { get }
}

extension HeaptrackReader: EventSource {}

/// A memscope dump reader as an ``EventSource``.
final class DumpRecordSource: EventSource {
    let reader: any RecordReader
    init(_ reader: any RecordReader) { self.reader = reader }
    var diagnostics: Diagnostics { reader.diagnostics }
    var wasTruncated: Bool { reader.wasTruncated }
    var bytesRead: UInt64 { reader.bytesRead }
    func read(into batch: RecordBatch, maxCount: Int) throws -> Bool {
        try reader.read(into: batch, maxCount: maxCount)
    }
}
