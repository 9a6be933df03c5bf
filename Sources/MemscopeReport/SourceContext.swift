import Foundation
import MemscopeAnalysis
import MemscopeModel

/// Lines of source around top sites, read at render time where the files are readable.
/// Confidential code stays out with `--no-source`.
public struct SourceContext: Sendable {
    /// `file:line` → the excerpt (line number and text), for frames whose file was readable.
    public private(set) var excerpts: [String: [(Int, String)]] = [:]

    public init() {}

    /// Reads ±`radius` lines around the first frame outside allocators and runtimes of each
    /// of the `limit` sites that allocated most. Files over 4 MB or unreadable are skipped.
    public init(analysis a: Analysis, limit: Int = 30, radius: Int = 3) {
        var files: [String: [Substring]?] = [:]
        let sites = a.sites.sorted { ($0.costs.bytesAllocated, $1.stack) > ($1.costs.bytesAllocated, $0.stack) }.prefix(limit)
        for site in sites {
            guard let frame = a.symbols.frames(ofStack: site.stack).first(where: { !a.isAllocatorFrame($0) })
            else { continue }
            let f = a.symbols.frame(frame)
            let path = a.symbols.string(f.file)
            guard f.line > 0, !path.isEmpty else { continue }
            let key = "\(path):\(f.line)"
            if excerpts[key] != nil { continue }
            if files[path] == nil { files[path] = Self.read(path) }
            guard let lines = files[path] ?? nil, Int(f.line) <= lines.count else { continue }
            let first = max(1, Int(f.line) - radius)
            let last = min(lines.count, Int(f.line) + radius)
            excerpts[key] = (first...last).map { ($0, String(lines[$0 - 1])) }
        }
    }

    static func read(_ path: String) -> [Substring]? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int, size < 4_000_000,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The excerpt for a site as HTML (escaped), or an empty string.
    func html(_ a: Analysis, stack: UInt32) -> String {
        guard let frame = a.symbols.frames(ofStack: stack).first(where: { !a.isAllocatorFrame($0) })
        else { return "" }
        let f = a.symbols.frame(frame)
        let key = "\(a.symbols.string(f.file)):\(f.line)"
        guard let lines = excerpts[key] else { return "" }
        let body = lines.map { number, text in
            "<span class=\"\(number == Int(f.line) ? "hit" : "")\">\(String(number).leftPadded(5)) \(HTML.escape(text))</span>"
        }.joined(separator: "\n")
        return "<pre class=\"source\" title=\"\(HTML.escape(key))\">\(body)</pre>"
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
