import MemscopeModel

/// Builds small dumps in tests: interns functions into frames and call paths into stacks,
/// so a test reads like the program it describes.
///
/// ```swift
/// var dump = DumpBuilder()
/// let s = dump.stack("main", "parse")            // outermost first
/// dump.alloc(ts: 10, address: 0x1000, size: 16, stack: s)
/// dump.free(ts: 20, address: 0x1000)
/// ```
public struct DumpBuilder {
    public private(set) var records: [Record]
    private var strings: [String: UInt32] = [:]
    private var frames: [String: UInt32] = [:]
    private var stacks: [[UInt32]: UInt32] = [:]
    private var counts = (strings: UInt32(0), frames: UInt32(0), stacks: UInt32(0))
    /// Modules of functions whose frames are not in `/bin/prog` (set before their first use).
    public var modules: [String: String] = [:]

    public init(metadata: Metadata = Metadata(producer: "test", producerVersion: "1", pid: 7, commandLine: ["./prog"])) {
        records = [.meta(metadata)]
    }

    public mutating func string(_ value: String) -> UInt32 {
        if let id = strings[value] { return id }
        counts.strings += 1
        strings[value] = counts.strings
        records.append(.string(id: counts.strings, value: value))
        return counts.strings
    }

    /// A frame for a function (file `<function>.c`, line 10, module `/bin/prog` unless `modules` names another).
    public mutating func frame(_ function: String) -> UInt32 {
        if let id = frames[function] { return id }
        let name = string(function)
        let file = string("\(function).c")
        let module = string(modules[function] ?? "/bin/prog")
        counts.frames += 1
        frames[function] = counts.frames
        records.append(.frame(Frame(id: counts.frames, instructionPointer: 0x400000 + UInt64(counts.frames) * 16,
                                    function: name, file: file, line: 10, module: module)))
        return counts.frames
    }

    /// A frame as a recorder writes it for code in `module` at `offset` (loaded at
    /// 0x7f00_0000_0000): named or not, with a line and column, inlined or not. Every call
    /// makes a new frame.
    public mutating func codeFrame(_ function: String? = nil, module: String = "/usr/lib/libdemo.so.1", offset: UInt64,
                                   file: String? = nil, line: UInt32 = 0, column: UInt32 = 0, inlined: Bool = false,
                                   buildID: String? = nil) -> UInt32 {
        let name = function.map { string($0) } ?? 0
        let fileID = file.map { string($0) } ?? 0
        let moduleID = string(module)
        let build = buildID.map { string($0) } ?? 0
        counts.frames += 1
        records.append(.frame(Frame(id: counts.frames, instructionPointer: 0x7f00_0000_0000 + offset, function: name,
                                    file: fileID, line: line, module: moduleID, column: column, isInlined: inlined,
                                    moduleOffset: offset, buildID: build)))
        return counts.frames
    }

    /// The stack of frames (``frame(_:)``, ``codeFrame(_:module:offset:file:line:column:inlined:buildID:)``), outermost first.
    public mutating func stack(frames path: [UInt32]) -> UInt32 {
        var parent: UInt32 = 0
        var prefix: [UInt32] = []
        for f in path {
            prefix.append(f)
            if let id = stacks[prefix] {
                parent = id
                continue
            }
            counts.stacks += 1
            stacks[prefix] = counts.stacks
            records.append(.stack(id: counts.stacks, parent: parent, frame: f))
            parent = counts.stacks
        }
        return parent
    }

    /// The stack for a call path, outermost function first.
    public mutating func stack(_ path: String...) -> UInt32 { stack(path) }

    public mutating func stack(_ path: [String]) -> UInt32 {
        stack(frames: path.map { frame($0) })
    }

    public mutating func alloc(ts: UInt64, thread: UInt32 = 1, address: UInt64, size: UInt64,
                               kind: AllocatorKind = .malloc, stack: UInt32 = 0) {
        records.append(.alloc(Alloc(timestamp: ts, thread: thread, address: address, size: size, kind: kind, stack: stack)))
    }

    public mutating func free(ts: UInt64, thread: UInt32 = 1, address: UInt64, stack: UInt32 = 0) {
        records.append(.free(Free(timestamp: ts, thread: thread, address: address, stack: stack)))
    }

    public mutating func realloc(ts: UInt64, thread: UInt32 = 1, from old: UInt64, to new: UInt64, size: UInt64,
                                 stack: UInt32 = 0) {
        records.append(.realloc(Realloc(timestamp: ts, thread: thread, oldAddress: old, newAddress: new,
                                        newSize: size, stack: stack)))
    }

    public mutating func threadName(ts: UInt64, thread: UInt32, _ name: String) {
        let id = string(name)
        records.append(.threadName(timestamp: ts, thread: thread, name: id))
    }

    public mutating func append(_ record: Record) { records.append(record) }

    public mutating func end(ts: UInt64, how: ProcessEnd.How = .exited, code: UInt32 = 0) {
        records.append(.processEnd(ProcessEnd(timestamp: ts, how: how, code: code)))
    }
}
