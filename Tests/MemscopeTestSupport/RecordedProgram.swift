import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel

/// A C program of Tests/RecordPrograms, compiled with gcc (-g -O0) into a temporary directory.
public struct TestProgram: Sendable {
    public let name: String
    public let path: String
    public let directory: URL

    public init(name: String, path: String, directory: URL) {
        self.name = name
        self.path = path
        self.directory = directory
    }

    public static func compile(_ name: String, flags: [String] = []) throws -> TestProgram {
        let directory = try TestPaths.temporaryDirectory()
        let source = TestPaths.packageRoot.appendingPathComponent("Tests/RecordPrograms/\(name).c").path
        let output = directory.appendingPathComponent(name).path
        let result = try run("gcc", ["-g", "-O0", "-pthread", "-o", output, source] + flags)
        guard result.status == 0 else { throw TestFailure("gcc failed on \(name).c: \(result.stderr)") }
        return TestProgram(name: name, path: output, directory: directory)
    }

    /// Runs `memscope record` on the program; the dump goes next to it.
    public func record(_ arguments: [String] = [], options: [String] = [], dumpName: String? = nil) throws
        -> (result: ProcessResult, dump: String) {
        let dump = directory.appendingPathComponent(dumpName ?? "\(name).msd").path
        let result = try run("memscope", ["record", "-o", dump] + options + ["--", path] + arguments)
        return (result, dump)
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A recorded dump, read back: its records, its analysis, and the events whose
/// stack passes through a given function (to leave out the loader's and libc's own).
public struct RecordedDump {
    public let records: [Record]
    public let analysis: Analysis
    public let truncated: Bool
    public let diagnostics: Diagnostics
    public var symbols: SymbolTable { analysis.symbols }

    public init(path: String) throws {
        let reader = try DumpOpener.open(path: path)
        var records: [Record] = []
        try reader.forEach { records.append($0) }
        self.records = records
        self.truncated = reader.wasTruncated
        self.diagnostics = reader.diagnostics
        self.analysis = MemscopeTestSupport.analyze(records)
    }

    /// The function names of a stack, innermost first.
    public func functions(ofStack stack: UInt32) -> [String] {
        symbols.frames(ofStack: stack).map { symbols.string(symbols.frame($0).function) }
    }

    /// Figures over the heap events whose stack passes through `function`.
    public func figures(through function: String) -> (allocations: Int, frees: Int, bytes: UInt64) {
        var stacksThrough: [UInt32: Bool] = [:]
        func passes(_ stack: UInt32) -> Bool {
            if let known = stacksThrough[stack] { return known }
            let result = functions(ofStack: stack).contains(function)
            stacksThrough[stack] = result
            return result
        }
        var allocations = 0, frees = 0
        var bytes: UInt64 = 0
        for record in records {
            switch record {
            case .alloc(let a) where passes(a.stack):
                allocations += 1
                bytes += a.size
            case .free(let f) where passes(f.stack):
                frees += 1
            case .realloc(let r) where passes(r.stack):
                allocations += 1
                bytes += r.newSize
                if r.oldAddress != 0 { frees += 1 }
            default: break
            }
        }
        return (allocations, frees, bytes)
    }
}
