import MemscopeFormat
import MemscopeModel

/// The parsed content of a massif output file: header and every snapshot with its tree.
struct MassifFile {
    struct Node {
        var depth: Int
        var bytes: UInt64
        var childCount: Int
        /// The frame label, or nil for the root and for "below threshold" aggregates.
        var label: Substring?
        /// For a "below threshold" aggregate: its text, e.g. "in 2 places, all below massif's threshold (1.00%)".
        var aggregate: Substring?
    }

    struct Snapshot {
        var number: Int
        var time: UInt64 = 0
        var heapBytes: UInt64 = 0
        var heapExtraBytes: UInt64 = 0
        var stackBytes: UInt64 = 0
        /// empty, detailed or peak.
        var kind = "empty"
        var tree: [Node] = []
        var line: Int
    }

    var description = ""
    var command = ""
    var timeUnit = "i"
    var snapshots: [Snapshot] = []
    /// The tree was cut off (the program crashed while massif wrote it).
    var cutOffAt: Int?

    static func parse(_ file: DecodedFile, path: String, limits: InputLimits = .default) throws -> MassifFile {
        var result = MassifFile()
        /// Tree lines still to come in the current snapshot.
        var remaining = 0
        func fail(_ what: String, _ line: String, column: Int = 1) -> ImportError {
            ImportError(path: path, location: .line(file.lineNumber, column: column),
                        problem: .expected(format: .massif, what: what, found: "'\(line.prefix(60))'"))
        }
        while let line = try file.nextLine() {
            if line.hasPrefix("#") || line.isEmpty { continue }
            if result.snapshots.isEmpty {
                if let value = value(of: "desc", in: line) { result.description = String(value); continue }
                if let value = value(of: "cmd", in: line) { result.command = String(value); continue }
                if let value = value(of: "time_unit", in: line) { result.timeUnit = String(value); continue }
            }
            if let value = value(of: "snapshot", in: line, separator: "=") {
                if remaining > 0 { throw fail("\(remaining) more tree lines", line) }
                guard let number = Int(value) else { throw fail("snapshot=<number>", line, column: 10) }
                guard result.snapshots.count < limits.massifSnapshots else {
                    throw LimitExceeded(path: path, name: "massif-snapshots", limit: UInt64(limits.massifSnapshots),
                                        found: "more than \(Units.count(UInt64(limits.massifSnapshots))) snapshots",
                                        location: "line \(file.lineNumber)")
                }
                result.snapshots.append(Snapshot(number: number, line: file.lineNumber))
                continue
            }
            guard !result.snapshots.isEmpty else {
                throw fail("the header (desc:, cmd:, time_unit:) or a snapshot", line)
            }
            var snapshot = result.snapshots.removeLast()
            defer { result.snapshots.append(snapshot) }
            if remaining > 0 {
                let node = try treeNode(line, maxChildren: limits.massifChildren, fail: fail)
                snapshot.tree.append(node)
                remaining += node.childCount - 1
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { throw fail("key=value", line) }
            let key = line[..<equals], text = line[line.index(after: equals)...]
            if key == "heap_tree" {
                snapshot.kind = String(text)
                if text != "empty" { remaining = 1 }
                continue
            }
            guard let number = UInt64(text) else { throw fail("\(key)=<number>", line, column: key.count + 2) }
            switch key {
            case "time": snapshot.time = number
            case "mem_heap_B": snapshot.heapBytes = number
            case "mem_heap_extra_B": snapshot.heapExtraBytes = number
            case "mem_stacks_B": snapshot.stackBytes = number
            default: break
            }
        }
        if remaining > 0 { result.cutOffAt = file.lineNumber }
        return result
    }

    private static func value(of key: String, in line: String, separator: Character = ":") -> Substring? {
        guard line.hasPrefix(key), line.dropFirst(key.count).first == separator else { return nil }
        return line.dropFirst(key.count + 1).drop { $0 == " " }
    }

    /// `<spaces>n<k>: <bytes> <label>`; at most `maxChildren` children (``InputLimits/massifChildren``:
    /// massif itself lists far fewer, folding small ones into one "below threshold" line).
    private static func treeNode(_ line: String, maxChildren: Int, fail: (String, String, Int) -> ImportError) throws -> Node {
        let text = Substring(line)
        let depth = text.prefix { $0 == " " }.count
        var rest = text.dropFirst(depth)
        guard rest.first == "n", let colon = rest.firstIndex(of: ":"), let children = Int(rest.dropFirst()[..<colon]) else {
            throw fail("a tree line 'n<children>: <bytes> <frame>'", line, depth + 1)
        }
        // Each child is a line of its own: a count beyond the lines a file can hold is forged.
        guard children >= 0 && children <= maxChildren else {
            throw fail("a child count from 0 to \(maxChildren) in 'n<children>:' (the limit massif-children: "
                       + "raise it with --limit massif-children=N)", line, depth + 2)
        }
        rest = rest[rest.index(after: colon)...].drop { $0 == " " }
        let bytesText = rest.prefix { $0 != " " }
        guard let bytes = UInt64(bytesText) else { throw fail("the subtree's bytes", line, depth + 1) }
        let label = rest.dropFirst(bytesText.count).drop { $0 == " " }
        let isAggregate = label.hasPrefix("in ") && label.contains("below massif's threshold")
        let isRoot = label.hasPrefix("(heap allocation functions)") || label.hasPrefix("(page allocation syscalls)")
        return Node(depth: depth, bytes: bytes, childCount: children,
                    label: isAggregate || isRoot ? nil : label, aggregate: isAggregate ? label : nil)
    }
}
