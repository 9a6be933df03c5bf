/// Everything that can go wrong while recording; the wording lives here only.
public struct RecordError: Error, CustomStringConvertible, Sendable {
    public enum Problem: Sendable {
        case preloadLibraryMissing(searched: [String])
        case cannotStart(program: String, reason: String)
        case spoolUnreadable(path: String, reason: String)
        case spoolNotRecognised(path: String)
        case noSpool(program: String)
        case outputNotWritable(path: String, reason: String)
    }

    public var problem: Problem

    public init(_ problem: Problem) { self.problem = problem }

    public var description: String {
        switch problem {
        case .preloadLibraryMissing(let searched):
            "memscope record: error: the recorder library libmemscope-preload.so was not found (looked in \(searched.joined(separator: ", ")))\n"
                + "  hint: `swift build` builds it next to the memscope executable; or set MEMSCOPE_PRELOAD to its path"
        case .cannotStart(let program, let reason):
            "memscope record: error: cannot run \(program): \(reason)"
        case .spoolUnreadable(let path, let reason):
            "memscope record: error: cannot read the recorder's spool \(path): \(reason)"
        case .spoolNotRecognised(let path):
            "memscope record: error: \(path) is not a recorder spool (bad magic or version)"
        case .noSpool(let program):
            "memscope record: error: \(program) ran, but the recorder never started in it (no spool was written)\n"
                + "  hint: statically linked programs and set-user-id programs ignore LD_PRELOAD"
        case .outputNotWritable(let path, let reason):
            "memscope record: error: cannot write \(path) (its directory: \(reason)); the program was not started"
        }
    }
}
