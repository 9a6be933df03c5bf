import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeImport
import MemscopeOwnership

/// The one way a render reads a dump: each call reads it once, from start to end.
///
/// ``InputLoaderReader`` is the real one; tests wrap it to count the reads.
public protocol DumpReading: Sendable {
    /// Reads `input` once and analyses it once per options, feeding `alongside` every
    /// record too (memscope dumps only, see ``InputFormat/carriesBlockEvents``).
    /// - Parameter progress: called with the bytes of the file read so far; it runs on the
    ///   reading thread and reads only an atomic counter.
    func read(_ input: InputSpec, everyOptions: [AnalysisOptions], alongside: [any RecordConsumer],
              progress: (UInt64) -> Void) throws -> (analyses: [Analysis], format: InputFormat)
}

/// Reads through ``InputLoader``.
public struct InputLoaderReader: DumpReading {
    public init() {}

    public func read(_ input: InputSpec, everyOptions: [AnalysisOptions], alongside: [any RecordConsumer],
                     progress: (UInt64) -> Void) throws -> (analyses: [Analysis], format: InputFormat) {
        try InputLoader.analyze(path: input.path, format: input.format, foldedCost: input.foldedCost, limits: input.limits,
                                everyOptions: everyOptions, alongside: alongside, progress: progress)
    }
}

/// Analyses dumps for every command: the scope's options resolved, relative times
/// resolved from the dump's duration.
public struct DumpAnalyzer: Sendable {
    public var reader: any DumpReading

    public init(reader: any DumpReading = InputLoaderReader()) {
        self.reader = reader
    }

    /// The analysis options of `scope` for `input`. A relative bound (`--to 80%`) needs
    /// the run's duration: that costs one read of the dump, in place of the report's
    /// extra-view read, which a restricted report does not have.
    public func analysisOptions(_ input: InputSpec, scope: ScopePlan, suppressions: Suppressions) throws -> AnalysisOptions {
        try scope.analysisOptions(suppressions: suppressions) {
            try reader.read(input, everyOptions: [.default], alongside: [], progress: { _ in }).analyses[0].totals.durationNanoseconds
        }
    }

    /// Reads and analyses `input` within `scope` (suppressions loaded from the scope's file);
    /// without call trees when `callTrees` is false (figures and sites only).
    public func analyze(_ input: InputSpec, scope: ScopePlan = ScopePlan(), callTrees: Bool = true,
                        progress: (UInt64) -> Void = { _ in }) throws -> (analysis: Analysis, format: InputFormat) {
        var options = try analysisOptions(input, scope: scope, suppressions: try Suppressions.load(scope.suppressionsPath))
        options.callTrees = callTrees
        return try analyze(input, options: options, progress: progress)
    }

    /// Reads and analyses `input` with `options`.
    public func analyze(_ input: InputSpec, options: AnalysisOptions,
                        progress: (UInt64) -> Void = { _ in }) throws -> (analysis: Analysis, format: InputFormat) {
        let (analyses, format) = try reader.read(input, everyOptions: [options], alongside: [], progress: progress)
        return (analyses[0], format)
    }

    /// The ownership graph of a memscope dump (other formats name no blocks: an error).
    public func ownershipGraph(_ input: InputSpec) throws -> OwnershipGraph {
        let inference = OwnershipInference()
        let (_, format) = try reader.read(input, everyOptions: [], alongside: [inference], progress: { _ in })
        guard format.carriesBlockEvents else {
            throw ImportError(path: input.path, problem: .noBlockEvents(format: format))
        }
        return inference.finish()
    }
}

extension Suppressions {
    /// Reads a suppressions file (nil: none).
    /// - Throws: ``DumpError`` when the file cannot be read or a line is not a rule.
    public static func load(_ path: String?) throws -> Suppressions {
        guard let path else { return Suppressions() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DumpError(path: path, problem: .cannotOpen(reason: "no such readable file"))
        }
        do {
            return try Suppressions(parsing: String(decoding: data, as: UTF8.self))
        } catch {
            throw DumpError(path: path, location: .line(error.line, column: 1), problem: .badSuppression(text: error.text))
        }
    }
}
