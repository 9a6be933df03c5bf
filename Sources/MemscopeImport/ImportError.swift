import MemscopeFormat

/// A fatal problem with another tool's file: where, what was expected, a hint.
///
/// The wording for every import format lives here and only here, rendered like
/// ``DumpError``: `massif.out.1: 12:1: error: …` then `  hint: …`.
public struct ImportError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Problem: Equatable, Sendable {
        /// A line or value that is not what the format has there.
        case expected(format: InputFormat, what: String, found: String)
        /// A reference to a table entry not (yet) defined.
        case undefinedIndex(format: InputFormat, table: String, index: UInt64, defined: Int)
        case unsupportedVersion(format: InputFormat, found: String, supported: String)
        /// A heaptrack file straight from the recorder, before `heaptrack --interpret`.
        case rawHeaptrackFile
        /// A JSON document that cannot be parsed.
        case invalidJSON(format: InputFormat, reason: String)
        case missingKey(format: InputFormat, key: String)
        /// An input with nothing to show (no stacks, no snapshots).
        case noData(format: InputFormat, what: String)
        /// A directory that holds no memscope-rs export.
        case notAnExportDirectory
        /// `inspect --stage parse` on an input that has no event records.
        case noEventRecords(format: InputFormat)
        /// Ownership inference on an input that names no blocks (addresses, threads).
        case noBlockEvents(format: InputFormat)
    }

    public var path: String
    public var location: DumpError.Location
    public var problem: Problem

    public init(path: String, location: DumpError.Location = .none, problem: Problem) {
        self.path = path
        self.location = location
        self.problem = problem
    }

    public var description: String {
        DumpError.describe(path: path, location: location, message: message, hint: hint)
    }

    public var message: String {
        switch problem {
        case .expected(let format, let what, let found):
            "\(format.displayName): expected \(what), found \(found)"
        case .undefinedIndex(let format, let table, let index, let defined):
            "\(format.displayName): refers to \(table) \(index), but only \(defined) are defined so far"
        case .unsupportedVersion(let format, let found, let supported):
            "\(format.displayName): unsupported version \(found); memscope reads \(supported)"
        case .rawHeaptrackFile:
            "heaptrack data file: this is a raw file (it has 'x'/'m' records with real pointers), not an interpreted one"
        case .invalidJSON(let format, let reason):
            "\(format.displayName): not valid JSON: \(reason)"
        case .missingKey(let format, let key):
            "\(format.displayName): lacks the key '\(key)'"
        case .noData(let format, let what):
            "\(format.displayName): \(what)"
        case .notAnExportDirectory:
            "the directory holds no memscope-rs export (no memory_analysis.json or *_memory_analysis.json)"
        case .noEventRecords(let format):
            format == .memscopeRs
                ? "a memscope-rs export lists tracked values, which memscope replays as allocations; it has no memscope records, so there is no parse stage to show"
                : "\(format.displayName) holds totals, not event records, so there is no parse stage to show"
        case .noBlockEvents(let format):
            "ownership needs memscope's own dumps: a \(format.displayName) names no blocks by address and thread to infer it from"
        }
    }

    public var hint: String {
        switch problem {
        case .expected(let format, _, _), .undefinedIndex(let format, _, _, _), .invalidJSON(let format, _),
             .missingKey(let format, _), .noData(let format, _), .unsupportedVersion(let format, _, _):
            Self.formatHint(format)
        case .rawHeaptrackFile:
            "run `heaptrack --interpret <file>` (or `heaptrack_interpret < raw > interpreted`) first, as heaptrack_print requires"
        case .notAnExportDirectory:
            "pass the directory GlobalTracker::export_json wrote (it holds memory_analysis.json), or one of its files"
        case .noEventRecords:
            "use `memscope inspect --stage analyze` to see every figure the import computed"
        case .noBlockEvents:
            "record the program with `memscope record -- PROGRAM` to get a dump with blocks, threads and pointer scans"
        }
    }

    private static func formatHint(_ format: InputFormat) -> String {
        switch format {
        case .heaptrack:
            "the file is corrupt or not an interpreted heaptrack data file; `heaptrack_print <file>` shows whether heaptrack reads it"
        case .massif:
            "the file is corrupt or not massif output; `ms_print <file>` shows whether Valgrind's own printer reads it"
        case .dhat:
            "memscope reads DHAT files with \"dhatFileVersion\": 2 (Valgrind 3.17 and later, dhat-rs)"
        case .memscopeRs:
            "memscope reads memscope-rs 0.2.x export directories and 0.1.x JSON and .memscope files"
        case .folded:
            "each line is `frame;frame;…;frame <count>`, outermost frame first, as heaptrack_print -F and inferno write"
        case .msd, .jsonl:
            "see docs/FORMAT.md"
        }
    }
}
