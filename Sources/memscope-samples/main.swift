// memscope-samples: writes the sample dumps used by tests and docs until a recorder exists.
//
//   memscope-samples OUTDIR               the realistic samples (.msd, and tiny.jsonl)
//   memscope-samples --malformed OUTDIR   one file per defect
//
// Output is byte-identical on every run: every sample draws from its own seeded
// SplitMix64 and a simulated clock; nothing reads the wall clock.

#if canImport(Glibc)
import Glibc
#endif
import MemscopeFormat
import MemscopeModel

/// Writes a line to standard error.
func complain(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

func usage() -> Never {
    complain("usage: memscope-samples OUTDIR\n       memscope-samples --malformed OUTDIR")
    exit(2)
}

/// mkdir -p.
func makeDirectory(_ path: String) {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
        prefix += component + "/"
        if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
            complain("memscope-samples: cannot create \(prefix): \(String(cString: strerror(errno)))")
            exit(1)
        }
    }
}

func report(_ path: String) {
    var info = stat()
    let size = stat(path, &info) == 0 ? Int(info.st_size) : -1
    print("\(path)\t\(size) bytes")
}

func writeDump(_ records: [Record], to path: String, format: DumpFormat) throws {
    let sink = ByteSink(file: try AtomicOutputFile(path: path))
    let writer = try makeDumpWriter(format: format, sink: sink)
    for record in records { try writer.write(record) }
    try writer.finish()
    report(path)
}

func writeBytes(_ bytes: [UInt8], to path: String) throws {
    let file = try AtomicOutputFile(path: path)
    try file.write(bytes)
    try file.commit()
    report(path)
}

var arguments = Array(CommandLine.arguments.dropFirst())
let malformed = arguments.first == "--malformed"
if malformed { arguments.removeFirst() }
guard arguments.count == 1, !arguments[0].hasPrefix("-") else { usage() }
let directory = arguments[0].hasSuffix("/") && arguments[0].count > 1 ? String(arguments[0].dropLast()) : arguments[0]
makeDirectory(directory)

do {
    if malformed {
        for (name, content) in Malformed.files() {
            switch content {
            case .bytes(let bytes): try writeBytes(bytes, to: "\(directory)/\(name)")
            case .text(let text): try writeBytes(Array(text.utf8), to: "\(directory)/\(name)")
            }
        }
    } else {
        try writeDump(ServerLeak.build(), to: "\(directory)/server-leak.msd", format: .msd)
        try writeDump(ServerLeak.build(fixed: true), to: "\(directory)/server-fixed.msd", format: .msd)
        try writeDump(ReallocBuilder.build(), to: "\(directory)/realloc-builder.msd", format: .msd)
        try writeDump(ThreadHandoff.build(), to: "\(directory)/thread-handoff.msd", format: .msd)
        try writeDump(MemoryErrors.build(), to: "\(directory)/memory-errors.msd", format: .msd)
        try writeDump(Tiny.build(), to: "\(directory)/tiny.jsonl", format: .jsonl)
    }
} catch {
    complain("memscope-samples: \(error)")
    exit(1)
}
