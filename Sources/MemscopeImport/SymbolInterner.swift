import MemscopeModel

/// Builds a ``SymbolTable`` for aggregate inputs: equal strings, frames and call paths
/// get one id each, so a stack id names one distinct call path.
struct SymbolInterner {
    private(set) var symbols = SymbolTable()
    private var strings: [String: UInt32] = [:]
    private var frames: [FrameKey: UInt32] = [:]
    private var stacks: [UInt64: UInt32] = [:]

    struct FrameKey: Hashable {
        var function: String
        var file: String
        var line: UInt32
        var module: String
        var address: UInt64
    }

    mutating func string(_ value: String) -> UInt32 {
        if value.isEmpty { return 0 }
        if let id = strings[value] { return id }
        symbols.addString(value)
        let id = UInt32(symbols.stringCount)
        strings[value] = id
        return id
    }

    mutating func frame(_ key: FrameKey) -> UInt32 {
        if let id = frames[key] { return id }
        let frame = Frame(id: UInt32(symbols.frameCount + 1), instructionPointer: key.address,
                          function: string(key.function), file: string(key.file), line: key.line,
                          module: string(key.module))
        symbols.addFrame(frame)
        frames[key] = frame.id
        return frame.id
    }

    /// A frame known only by its name.
    mutating func frame(named name: String) -> UInt32 {
        frame(FrameKey(function: name, file: "", line: 0, module: "", address: 0))
    }

    /// The stack `parent` + `frame` (the frame is the callee end).
    mutating func stack(parent: UInt32, frame: UInt32) -> UInt32 {
        let key = UInt64(parent) << 32 | UInt64(frame)
        if let id = stacks[key] { return id }
        symbols.addStack(parent: parent, frame: frame)
        let id = UInt32(symbols.stackCount)
        stacks[key] = id
        return id
    }

    /// The stack of frames given outermost first.
    mutating func stack(outermostFirst frames: [UInt32]) -> UInt32 {
        frames.reduce(0) { stack(parent: $0, frame: $1) }
    }
}
