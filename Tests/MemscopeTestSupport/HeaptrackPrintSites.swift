import MemscopeAnalysis

/// Allocation calls per site as `heaptrack_print -a` reports them: every backtrace of
/// its "most calls to allocation functions" section (unmerged limits), each attributed to
/// its first frame outside allocators and runtimes, keyed by ``siteKey(function:location:)``.
public func heaptrackCallsPerSite(_ printed: String) -> [String: Int] {
    var calls: [String: Int] = [:]
    var header: [(function: String, location: String)] = []
    var backtrace: [(function: String, location: String)] = []
    var count = 0
    var inSection = false
    func flush() {
        guard count > 0 else { return }
        let frames = header + backtrace
        if let site = frames.first(where: { !isRuntimeFrame($0.function) }) {
            calls[siteKey(function: site.function, location: site.location), default: 0] += count
        }
        count = 0
        backtrace = []
    }
    for raw in printed.split(separator: "\n", omittingEmptySubsequences: false) {
        let line = String(raw)
        if line == "MOST CALLS TO ALLOCATION FUNCTIONS" { inSection = true; continue }
        guard inSection else { continue }
        if !line.isEmpty, line == line.uppercased(), line.first?.isLetter == true { flush(); break }  // next section
        let trimmed = line.drop { $0 == " " }
        let indent = line.count - trimmed.count
        if line.isEmpty {
            flush()
            header = []
        } else if trimmed.contains(" calls to allocation functions with ") {
            header = []
        } else if let n = Int(trimmed.split(separator: " ").first ?? ""), trimmed.contains(" calls with ") {
            flush()
            count = n
        } else if trimmed.hasPrefix("at ") {
            let location = String(trimmed.dropFirst(3))
            if count > 0, !backtrace.isEmpty { backtrace[backtrace.count - 1].location = location }
            else if count == 0, !header.isEmpty { header[header.count - 1].location = location }
        } else if trimmed.hasPrefix("in ") {
            continue
        } else if count > 0 && indent >= 4 {
            backtrace.append((String(trimmed), ""))
        } else if count == 0 {
            header.append((String(trimmed), ""))
        }
    }
    flush()
    return calls
}

/// A site's identity for comparing two tools' reports: the function name without its
/// parameters, return type and template arguments, and the file and line.
public func siteKey(function: String, location: String) -> String {
    let name = ReadableName.forms(function).last!.replacingOccurrences(of: "<…>", with: "<>")
    return name + " @ " + withoutColumn(location)
}
