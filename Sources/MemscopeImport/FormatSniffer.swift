import MemscopeFormat

#if canImport(Glibc)
import Glibc
#endif

/// Recognises an input by its content, never by its name.
///
/// Checked in order: a directory holding a memscope-rs export; the `.msd` magic; the
/// memscope-rs `MEMSCOPE` magic; then, on the decompressed text, a heaptrack version
/// line, massif's `desc:` header, a DHAT or memscope-rs JSON document, memscope's JSON
/// Lines, and folded-stack lines. Anything else goes to the dump reader, whose error
/// says what was found.
enum FormatSniffer {
    static let headLength = 8192

    static func detect(path: String) throws -> InputFormat {
        if isDirectory(path) {
            guard MemscopeRsExport.findMemoryAnalysis(inDirectory: path) != nil else {
                // The dump reader's own error for directories.
                throw DumpError(path: path, problem: .cannotOpen(reason: "it is a directory"))
            }
            return .memscopeRs
        }
        let file = try DecodedFile(path: path)
        return detect(head: try file.peek(headLength))
    }

    static func detect(head: [UInt8]) -> InputFormat {
        if head.starts(with: MSDFormat.magic.prefix(min(head.count, MSDFormat.magic.count))) && !head.isEmpty {
            return .msd
        }
        if head.starts(with: Array("MEMSCOPE".utf8)) { return .memscopeRs }
        let text = String(decoding: head, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        let trimmed = text.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        if let first = lines.first {
            if isHeaptrackVersionLine(first) { return .heaptrack }
            if first.hasPrefix("desc:") { return .massif }
        }
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            if text.contains("\"dhatFileVersion\"") { return .dhat }
            if MemscopeRsExport.looksLikeExport(text) { return .memscopeRs }
            return .jsonl
        }
        if trimmed.hasPrefix("#") { return .jsonl }
        // Folded stacks: every complete line (the last may be cut by the head) ends in a count.
        let complete = head.count < headLength ? lines : lines.dropLast()
        if !complete.isEmpty && complete.allSatisfy(FoldedStacks.isFoldedLine) { return .folded }
        return .msd
    }

    /// `v <hex> <hex>` or `v <hex>`.
    static func isHeaptrackVersionLine(_ line: Substring) -> Bool {
        let parts = line.split(separator: " ")
        guard parts.first == "v", (2...3).contains(parts.count) else { return false }
        return parts.dropFirst().allSatisfy { UInt64($0, radix: 16) != nil }
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
