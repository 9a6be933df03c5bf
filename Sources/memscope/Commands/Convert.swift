import ArgumentParser
import MemscopeFormat

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Translate a dump between the binary and the JSON Lines form.",
        discussion: """
            Every record is carried over, including kinds this version does not interpret \
            (as "raw" records in the text form), so converting back gives the same records. \
            The output is written atomically: a temporary file renamed into place.

            Examples:
              memscope convert samples/server-leak.msd -o server.jsonl
              memscope convert server.jsonl -o server.msd.zst --zstd
            """)

    @OptionGroup var input: DumpInput

    @Option(name: .shortAndLong, help: "The file to write.", completion: .file())
    var output: String

    @Option(help: "The form to write. Default: jsonl when the output name ends in .jsonl or .jsonl.zst, else msd.")
    var to: DumpFormat?

    @Flag(help: "Compress the output with zstd.")
    var zstd = false

    @Option(help: "zstd compression level, 1 to 19.")
    var level: Int32 = 3

    @Flag(help: "Overwrite the output if it exists.")
    var force = false

    func validate() throws {
        guard (1...19).contains(level) else { throw ValidationError("--level must be between 1 and 19.") }
    }

    func run() throws {
        try Console.run {
            guard input.format.map({ $0 == .msd || $0 == .jsonl }) ?? true else {
                throw ValidationError("convert reads memscope dumps only (--format msd or jsonl).")
            }
            let reader = try DumpOpener.open(path: input.dump, format: input.format.flatMap { DumpFormat(rawValue: $0.rawValue) })
            let format = to ?? (output.hasSuffix(".jsonl") || output.hasSuffix(".jsonl.zst") ? .jsonl : .msd)
            let file = try AtomicOutputFile(path: output, overwrite: force)
            let writer = try makeDumpWriter(format: format, sink: ByteSink(file: file, zstdLevel: zstd ? level : nil))
            try reader.forEach { try writer.write($0) }
            try writer.finish()
            Console.printWarnings(reader.diagnostics)
        }
    }
}
