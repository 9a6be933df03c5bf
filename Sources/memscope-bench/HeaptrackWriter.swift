import MemscopeFormat

/// Writes an interpreted heaptrack data file (format v3), as `heaptrack --interpret`
/// would, so heaptrack_print can read the same workload as memscope.
final class HeaptrackWriter {
    private let sink: ByteSink
    private var allocationInfos: [UInt64: Int] = [:]
    private var instructionPointers: [UInt64] = []
    private var lastMilliseconds: UInt64 = 0
    private var line = ""

    init(path: String) throws {
        sink = ByteSink(file: try AtomicOutputFile(path: path))
    }

    private func hex<T: BinaryInteger>(_ value: T) -> String { String(value, radix: 16) }

    func header(command: String) throws {
        try sink.append("v 10600 3\nX \(command)\nI 1000 3e44e5\n")
    }

    func string(_ text: String) throws {
        try sink.append("s \(hex(text.utf8.count)) \(text)\n")
    }

    func instructionPointer(_ ip: UInt64, module: UInt32, function: UInt32, file: UInt32, line: UInt32) throws {
        instructionPointers.append(ip)
        try sink.append("i \(hex(ip)) \(hex(module)) \(hex(function)) \(hex(file)) \(hex(line))\n")
    }

    /// A trace node; in this workload frame ids and ip indices coincide.
    func trace(instructionPointer: UInt32, parent: UInt32) throws {
        try sink.append("t \(hex(instructionPointer)) \(hex(parent))\n")
    }

    private func info(size: UInt64, stack: UInt32) throws -> Int {
        let key = size << 20 | UInt64(stack)
        if let index = allocationInfos[key] { return index }
        let index = allocationInfos.count
        allocationInfos[key] = index
        try sink.append("a \(hex(size)) \(hex(stack))\n")
        return index
    }

    func alloc(size: UInt64, stack: UInt32, time: UInt64) throws {
        let ms = time / 1_000_000
        if ms >= lastMilliseconds + 10 {
            lastMilliseconds = ms
            try sink.append("c \(hex(ms))\n")
        }
        try sink.append("+ \(hex(try info(size: size, stack: stack)))\n")
    }

    func free(size: UInt64, stack: UInt32) throws {
        try sink.append("- \(hex(try info(size: size, stack: stack)))\n")
    }

    func finish(time: UInt64) throws {
        try sink.append("c \(hex(time / 1_000_000 + 1))\n")
        try sink.finish()
    }
}
