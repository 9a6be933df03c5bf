/// The interned strings, frames and stacks of a dump, indexed by id (index 0 = none).
///
/// Stacks form a trie: a stack is its parent stack plus one frame, the frame being the
/// innermost (callee) end. Walking `parent` links leads outward, toward `main`.
/// - Complexity: memory is linear in distinct strings, frames and stacks.
public struct SymbolTable: Sendable, Equatable {
    public private(set) var strings: [String] = [""]
    public private(set) var frames: [Frame] = [Frame(id: 0, instructionPointer: 0, function: 0, file: 0, line: 0, module: 0)]
    public private(set) var stackParents: [UInt32] = [0]
    public private(set) var stackFrames: [UInt32] = [0]
    public private(set) var stackDepths: [UInt32] = [0]

    public init() {}

    public var stackCount: Int { stackParents.count - 1 }
    public var frameCount: Int { frames.count - 1 }
    public var stringCount: Int { strings.count - 1 }

    /// Adds the next string. The reader has checked that `id` is the next id.
    public mutating func addString(_ value: String) { strings.append(value) }
    public mutating func addFrame(_ frame: Frame) { frames.append(frame) }
    public mutating func addStack(parent: UInt32, frame: UInt32) {
        stackParents.append(parent)
        stackFrames.append(frame)
        stackDepths.append(stackDepths[Int(parent)] + 1)
    }

    /// Applies a table record; returns false for records that are not table records.
    @discardableResult
    public mutating func apply(_ record: Record) -> Bool {
        switch record {
        case .string(_, let value): addString(value)
        case .frame(let frame): addFrame(frame)
        case .stack(_, let parent, let frame): addStack(parent: parent, frame: frame)
        default: return false
        }
        return true
    }

    public func string(_ id: UInt32) -> String {
        Int(id) < strings.count ? strings[Int(id)] : ""
    }

    public func frame(_ id: UInt32) -> Frame {
        Int(id) < frames.count ? frames[Int(id)] : frames[0]
    }

    /// The frames of a stack, innermost first.
    public func frames(ofStack stack: UInt32) -> [UInt32] {
        var result: [UInt32] = []
        var current = Int(stack)
        while current > 0 && current < stackParents.count {
            result.append(stackFrames[current])
            current = Int(stackParents[current])
        }
        return result
    }

    /// A human-readable name for a frame: the function; for a frame without a name, its
    /// module and offset (`libsqlite3.so.0+0xa7504`: the same in every run, unlike the
    /// address), or the bare address when even the module is unknown.
    public func displayName(ofFrame id: UInt32) -> String {
        let frame = frame(id)
        let function = string(frame.function)
        if !function.isEmpty { return function }
        if let place = moduleOffsetName(ofFrame: id) { return place }
        let module = string(frame.module)
        let address = "0x" + String(frame.instructionPointer, radix: 16)
        if module.isEmpty { return address }
        return "\(address) in \(baseName(module))"
    }

    /// `libsqlite3.so.0+0xa7504`: the frame's module and its offset there (the same in every
    /// run); nil when either is unknown.
    public func moduleOffsetName(ofFrame id: UInt32) -> String? {
        let frame = frame(id)
        let module = string(frame.module)
        guard let offset = frame.moduleOffset, !module.isEmpty else { return nil }
        return "\(baseName(module))+0x" + String(offset, radix: 16)
    }

    /// `file:line:column` of a frame (`file:line` without a column), or an empty string
    /// when unknown.
    public func location(ofFrame id: UInt32) -> String {
        let frame = frame(id)
        let file = string(frame.file)
        if file.isEmpty { return "" }
        guard frame.line > 0 else { return file }
        return frame.column > 0 ? "\(file):\(frame.line):\(frame.column)" : "\(file):\(frame.line)"
    }

    /// What identifies a frame's code across runs and machines: the module's build id
    /// (else its file name) and the offset in it, plus the frame's place in the inline
    /// chain; the instruction pointer only when the module offset is unknown.
    public func stableCodeKey(ofFrame id: UInt32) -> String {
        let frame = frame(id)
        let buildID = string(frame.buildID)
        let module = buildID.isEmpty ? baseName(string(frame.module)) : buildID
        let place = frame.isInlined ? "i:" + string(frame.function) : ""
        guard let offset = frame.moduleOffset else { return "\(module)@0x\(String(frame.instructionPointer, radix: 16))\(place)" }
        return "\(module)+0x\(String(offset, radix: 16))\(place)"
    }
}

/// The last path component of a path.
public func baseName(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
}

extension SymbolTable {
    /// Cuts every string longer than `maxCharacters` in the middle (``Units/shortened(_:to:)``),
    /// for a page or a picture; returns how many were cut. The ids stay the same.
    public mutating func shortenStrings(to maxCharacters: Int) -> Int {
        var cut = 0
        for i in strings.indices where strings[i].utf8.count > maxCharacters {
            let shortened = Units.shortened(strings[i], to: maxCharacters)
            if shortened != strings[i] {
                strings[i] = shortened
                cut += 1
            }
        }
        return cut
    }
}
