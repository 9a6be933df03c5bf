import Foundation

import MemscopeAnalysis
import MemscopeModel

/// heaptrack_print's leak suppressions, so that "leaked" equals its figure: its built-in
/// list of known system-library leaks and the `leak:` lines embedded in the file (`S`).
/// A leaked site is suppressed when any frame's module, function or file matches a
/// pattern (LeakSanitizer's template: substring, `*` wildcard, `^` and `$` anchors).
enum HeaptrackSuppressions {
    /// heaptrack's built-in suppressions (src/analyze/suppressions.cpp).
    static let builtin = [
        "__nss_module_allocate", "__gconv_read_conf", "__new_exitfn", "tzset_internal",
        "dl_open_worker", "g_main_context_new", "g_thread_self",
    ]

    /// The pattern of an `S` line's text (`leak:<pattern>`, optionally after a hex length), or nil.
    static func pattern(ofSuppressionLine text: String) -> String? {
        guard let range = text.range(of: "leak:") else { return nil }
        let pattern = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
        return pattern.isEmpty ? nil : pattern
    }

    /// Zeroes the leaks of suppressed sites; returns the bytes and sites suppressed.
    static func apply(_ patterns: [String], to analysis: inout Analysis) -> (bytes: UInt64, sites: Int) {
        let symbols = analysis.symbols
        var matchedString: [UInt32: Bool] = [:]
        func matches(_ id: UInt32) -> Bool {
            guard id != 0 else { return false }
            if let known = matchedString[id] { return known }
            let text = Array(symbols.string(id).utf8)
            let result = patterns.contains { $0.utf8.elementsEqual(text) || templateMatch(Array($0.utf8), text) }
            matchedString[id] = result
            return result
        }
        func isSuppressed(_ stack: UInt32) -> Bool {
            symbols.frames(ofStack: stack).contains { id in
                let frame = symbols.frame(id)
                return matches(frame.module) || matches(frame.function) || matches(frame.file)
            }
        }
        if let slices = analysis.slices {
            // A range's live figures leave suppressed sites out, as a window's leaks do.
            analysis.slices?.suppress(stacks: Set(slices.slices.joined().map(\.stack)).filter(isSuppressed))
        }
        var bytes: UInt64 = 0, blocks: UInt64 = 0, sites = 0
        for i in analysis.sites.indices where analysis.sites[i].costs.leakedBytes > 0 {
            guard isSuppressed(analysis.sites[i].stack) else { continue }
            bytes += analysis.sites[i].costs.leakedBytes
            blocks += analysis.sites[i].costs.leakedBlocks
            sites += 1
            analysis.sites[i].costs.leakedBytes = 0
            analysis.sites[i].costs.leakedBlocks = 0
        }
        if sites > 0 {
            analysis.totals.leakedBytes -= bytes
            analysis.totals.leakedBlocks -= blocks
            analysis.rebuildCallTrees()
        }
        return (bytes, sites)
    }

    /// LeakSanitizer's TemplateMatch: `*` matches anything, `^` anchors the start and `$` the end.
    static func templateMatch(_ template: [UInt8], _ string: [UInt8]) -> Bool {
        guard !string.isEmpty else { return false }
        let star = UInt8(ascii: "*"), dollar = UInt8(ascii: "$")
        var t = 0, s = 0
        var anchored = false, afterStar = false
        if template.first == UInt8(ascii: "^") {
            anchored = true
            t = 1
        }
        while t < template.count {
            if template[t] == star {
                t += 1
                anchored = false
                afterStar = true
                continue
            }
            if template[t] == dollar { return s == string.count || afterStar }
            if s == string.count { return false }
            var end = t
            while end < template.count && template[end] != star && template[end] != dollar { end += 1 }
            let segment = template[t..<end]
            guard let position = firstIndex(of: segment, in: string, from: s) else { return false }
            if anchored && position != s { return false }
            s = position + segment.count
            t = end
            anchored = false
            afterStar = false
        }
        return true
    }

    private static func firstIndex(of segment: ArraySlice<UInt8>, in string: [UInt8], from start: Int) -> Int? {
        guard segment.count <= string.count - start else { return nil }
        for i in start...(string.count - segment.count) where string[i..<i + segment.count].elementsEqual(segment) {
            return i
        }
        return nil
    }
}
