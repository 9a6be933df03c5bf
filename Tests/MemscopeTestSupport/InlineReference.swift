import Foundation
import MemscopeModel

/// One return address as a recorder wrote it: its module and offset, and its frames,
/// innermost first (the inlined ones, then the physical function).
public struct RecordedChain: Sendable {
    public var module: String
    public var moduleOffset: UInt64
    public var frames: [(function: String, location: String)]
}

/// One frame as a reference tool printed it.
public struct ReferenceFrame: Equatable, Sendable, CustomStringConvertible {
    public var function: String
    public var location: String
    public var description: String { "\(function) @ \(location)" }
    public init(function: String, location: String) {
        self.function = function
        self.location = location
    }
}

/// The inline chains of a dump, read back from its frame records: a recorder writes each
/// address's chain as consecutive frames, the last one not inlined.
public func recordedChains(_ records: [Record]) -> [RecordedChain] {
    var strings: [UInt32: String] = [0: ""]
    var chains: [RecordedChain] = []
    var open: RecordedChain?
    for record in records {
        switch record {
        case .string(let id, let value): strings[id] = value
        case .frame(let f):
            guard let offset = f.moduleOffset else { continue }
            let file = strings[f.file] ?? ""
            let location = file.isEmpty ? "??:0" : "\(file):\(f.line)"
            if open == nil { open = RecordedChain(module: strings[f.module] ?? "", moduleOffset: offset, frames: []) }
            open!.frames.append((strings[f.function] ?? "", location))
            if !f.isInlined {
                chains.append(open!)
                open = nil
            }
        default: break
        }
    }
    return chains
}

/// What `tool -a -i -f -C -e module` prints for each address (looked up one byte
/// before the return address, inside the call), innermost first, with columns dropped
/// and Rust's legacy hash suffixes taken off.
/// - Parameter tool: `eu-addr2line` (elfutils) or `addr2line` (binutils).
public func referenceChains(tool: String, module: String, returnOffsets: [UInt64]) throws -> [UInt64: [ReferenceFrame]] {
    var result: [UInt64: [ReferenceFrame]] = [:]
    // A few hundred addresses per call keep the command line short.
    for batch in stride(from: 0, to: returnOffsets.count, by: 400) {
        let offsets = Array(returnOffsets[batch..<min(batch + 400, returnOffsets.count)])
        let output = try run(tool, ["-a", "-i", "-f", "-C", "-e", module] + offsets.map { "0x" + String($0 - 1, radix: 16) })
        guard output.status == 0 else { throw TestFailure("\(tool) failed: \(output.stderr)") }
        var lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var current: UInt64?
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.hasPrefix("0x"), let address = UInt64(line.dropFirst(2), radix: 16) {
                current = address + 1
                result[address + 1] = []
                i += 1
                continue
            }
            guard let address = current, i + 1 < lines.count else { break }
            // eu-addr2line names an address's innermost inlined frame `f inlined at file:line:col in g`.
            let function = line.range(of: " inlined at ").map { String(line[..<$0.lowerBound]) } ?? line
            result[address]!.append(ReferenceFrame(function: normalizedFunction(function), location: withoutColumn(lines[i + 1])))
            i += 2
        }
    }
    return result
}

/// A demangled name as both tools and memscope can agree on it: Rust's legacy `::h…`
/// hash suffix taken off.
public func normalizedFunction(_ name: String) -> String {
    guard let range = name.range(of: "::h", options: .backwards) else { return name }
    let hash = name[range.upperBound...]
    return hash.count == 16 && hash.allSatisfy(\.isHexDigit) ? String(name[..<range.lowerBound]) : name
}

/// `file:line` from `file:line:column` or `file:line (discriminator N)`; binutils' `??:?`
/// and `file:?` (line unknown) as memscope writes them, `??:0` and `file:0`.
public func withoutColumn(_ location: String) -> String {
    var text = location
    if text.hasSuffix(":?") { text = String(text.dropLast()) + "0" }
    if let paren = text.range(of: " (discriminator") { text = String(text[..<paren.lowerBound]) }
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    if parts.count >= 3, parts.last!.allSatisfy(\.isNumber), parts[parts.count - 2].allSatisfy(\.isNumber) {
        return parts.dropLast().joined(separator: ":")
    }
    return text
}
