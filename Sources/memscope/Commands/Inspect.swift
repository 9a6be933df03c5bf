import ArgumentParser
import MemscopeAnalysis
import MemscopeFormat
import MemscopeImport
import MemscopeModel
import MemscopeOwnership
import MemscopeRender

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print one pipeline stage's output as stable text.",
        discussion: """
            For debugging and golden tests. --stage parse prints every record as read, with \
            the innermost function of each event's stack; --stage analyze prints every \
            figure the analysis computed: totals, per-site costs and lifetimes, both call \
            trees, the memory timeline, address reuse, realloc chains, cross-thread frees, \
            threads, memory errors and warnings; --stage ownership prints the ownership \
            graph (nodes, and edges with their provenance, rule, evidence, contradictions \
            and confidence), as text or, with --json, as one JSON object. \
            --no-inference leaves the inferred edges and types out.

            Examples:
              memscope inspect --stage parse samples/tiny.jsonl
              memscope inspect --stage analyze samples/memory-errors.msd
              memscope inspect --stage ownership --json samples/server-leak.msd
            """)

    enum Stage: String, ExpressibleByArgument, CaseIterable {
        case parse, analyze, ownership

        var defaultValueDescription: String {
            switch self {
            case .parse: "every record as read"
            case .analyze: "every figure the analysis computed"
            case .ownership: "the ownership graph"
            }
        }
    }

    @Option(help: "The stage whose output to print.")
    var stage: Stage

    @Flag(help: "With --stage ownership: print JSON instead of text.")
    var json = false

    @Flag(help: "With --stage ownership: leave out every inferred edge and type.")
    var noInference = false

    @OptionGroup var input: InputOptions

    func run() throws {
        try Console.run {
            switch stage {
            case .parse: try printRecords()
            case .analyze:
                let (analysis, _) = try analyze(input)
                printText(AnalysisDump.render(analysis), terminator: "")
            case .ownership:
                var graph = try DumpAnalyzer().ownershipGraph(input.spec)
                if noInference { graph = graph.observedOnly() }
                printText(json ? graph.json() : graph.text(), terminator: "")
            }
        }
    }

    private func printRecords() throws {
        let (reader, format) = try InputLoader.eventSource(path: input.dump, format: input.reading.format)
        var symbols = SymbolTable()
        print("format \(format.rawValue)")
        var index = 0
        var output = ""
        let batch = RecordBatch(capacity: 4096)
        while try reader.read(into: batch, maxCount: 4096) {
            batch.forEach { record in
                index += 1
                symbols.apply(record)
                output += "#\(index) \(RecordText.describe(record, symbols: symbols))\n"
                if output.utf8.count > 1 << 16 {
                    printText(output, terminator: "")
                    output = ""
                }
            }
        }
        printText(output, terminator: "")
        print("warnings")
        for line in reader.diagnostics.lines { printText("  \(line)") }
    }
}

/// One record as a line of `key=value` text.
enum RecordText {
    static func describe(_ record: Record, symbols: SymbolTable) -> String {
        func at(_ stack: UInt32) -> String {
            guard stack != 0, let frame = symbols.frames(ofStack: stack).first else { return "stack=0" }
            return "stack=\(stack) (\(symbols.displayName(ofFrame: frame)))"
        }
        switch record {
        case .meta(let m):
            return "meta producer=\(jsonString(m.producer)) version=\(jsonString(m.producerVersion)) pid=\(m.pid) start_time_unix_ns=\(m.startTimeUnixNanoseconds) clock_unit_ns=\(m.clockUnitNanoseconds) pointer_size=\(m.pointerSize) argv=[\(m.commandLine.map(jsonString).joined(separator: ","))]"
        case .string(let id, let value):
            return "string id=\(id) value=\(jsonString(value))"
        case .frame(let f):
            var extended = f.column != 0 ? " column=\(f.column)" : ""
            if f.isInlined { extended += " inlined" }
            if let offset = f.moduleOffset { extended += " module_offset=\(Units.hex(offset))" }
            if f.buildID != 0 { extended += " build_id=\(f.buildID)" }
            return "frame id=\(f.id) ip=\(Units.hex(f.instructionPointer)) function=\(f.function) file=\(f.file) line=\(f.line) module=\(f.module)\(extended) (\(symbols.displayName(ofFrame: f.id)))"
        case .stack(let id, let parent, let frame):
            return "stack id=\(id) parent=\(parent) frame=\(frame) (\(symbols.displayName(ofFrame: frame)))"
        case .alloc(let a):
            return "alloc ts=\(a.timestamp) thread=\(a.thread) addr=\(Units.hex(a.address)) size=\(a.size) allocator=\(a.kind.name) \(at(a.stack))"
        case .free(let f):
            return "free ts=\(f.timestamp) thread=\(f.thread) addr=\(Units.hex(f.address)) \(at(f.stack))"
        case .realloc(let r):
            return "realloc ts=\(r.timestamp) thread=\(r.thread) old_addr=\(Units.hex(r.oldAddress)) new_addr=\(Units.hex(r.newAddress)) size=\(r.newSize) \(at(r.stack))"
        case .threadStart(let ts, let thread, let parent):
            return "thread_start ts=\(ts) thread=\(thread) parent=\(parent)"
        case .threadName(let ts, let thread, let name):
            return "thread_name ts=\(ts) thread=\(thread) name=\(name) (\(jsonString(symbols.string(name))))"
        case .threadExit(let ts, let thread):
            return "thread_exit ts=\(ts) thread=\(thread)"
        case .processEnd(let e):
            return "process_end ts=\(e.timestamp) how=\(e.how) code=\(e.code)"
        case .annotation(let a):
            return "annotation ts=\(a.timestamp) thread=\(a.thread) addr=\(Units.hex(a.address)) name=\(jsonString(symbols.string(a.name))) type_name=\(jsonString(symbols.string(a.typeName)))"
        case .scopeEnter(let ts, let thread, let name):
            return "scope_enter ts=\(ts) thread=\(thread) name=\(jsonString(symbols.string(name)))"
        case .scopeExit(let ts, let thread):
            return "scope_exit ts=\(ts) thread=\(thread)"
        case .task(let ts, let thread, let task):
            return "task ts=\(ts) thread=\(thread) task=\(task)"
        case .pointerReference(let r):
            return "pointer_reference ts=\(r.timestamp) source=\(r.source.name) from=\(Units.hex(r.from)) to=\(Units.hex(r.to)) interior=\(r.interior ? 1 : 0)"
        case .moduleMap(let m):
            return "module_map ts=\(m.timestamp) start=\(Units.hex(m.start)) end=\(Units.hex(m.end)) load_bias=\(Units.hex(m.loadBias)) path=\(jsonString(symbols.string(m.path)))"
        case .memoryError(let e):
            return "memory_error ts=\(e.timestamp) thread=\(e.thread) kind=\(e.kind.name) addr=\(Units.hex(e.address)) size=\(e.size) side=\(e.side.name) offset=\(e.offset) bytes=\(e.bytes) alloc_\(at(e.allocationStack)) free_\(at(e.freeStack)) found_\(at(e.foundStack))"
        case .rssSample(let ts, let bytes):
            return "rss ts=\(ts) resident_bytes=\(bytes)"
        case .exec(let ts, let commandLine):
            return "exec ts=\(ts) argv=[\(commandLine.map(jsonString).joined(separator: ","))]"
        case .blockReferences(let b):
            let words = zip(b.offsets, b.targets).map { "+\($0)=\(Units.hex($1))" }.joined(separator: " ")
            return "block_references ts=\(b.timestamp) thread=\(b.thread) addr=\(Units.hex(b.address)) words=\(b.offsets.count)\(words.isEmpty ? "" : " " + words)"
        case .unknown(let kind, let payload):
            return "skipped kind=\(RecordKind.describe(kind)) bytes=\(payload.count)"
        }
    }
}
