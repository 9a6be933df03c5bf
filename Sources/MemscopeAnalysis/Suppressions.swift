import MemscopeModel

/// Leak suppressions in LeakSanitizer's format: `leak:PATTERN` lines, `#` comments.
///
/// A pattern matches a leak when it matches the function, file or module of any frame
/// of the leak's allocation stack: `*` stands for any run of characters, a leading `^`
/// anchors it to the start and a trailing `$` to the end; otherwise it may match anywhere.
public struct Suppressions: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var pattern: String
        /// Line in the file (for messages).
        public var line: Int
    }

    public var rules: [Rule]

    public init(rules: [Rule] = []) { self.rules = rules }

    /// Why a suppressions file could not be read.
    public struct ParseError: Error, Equatable {
        public var line: Int
        public var text: String
    }

    /// Parses the text of a suppressions file. Kinds other than `leak:` (e.g. `race:`)
    /// belong to other sanitizers and are skipped.
    public init(parsing text: String) throws(ParseError) {
        var rules: [Rule] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else { throw ParseError(line: index + 1, text: String(raw)) }
            let kind = line[..<colon]
            var pattern = String(line[line.index(after: colon)...])
            while pattern.last == " " || pattern.last == "\t" || pattern.last == "\r" { pattern.removeLast() }
            guard kind.allSatisfy({ $0.isLetter || $0 == "_" }), !pattern.isEmpty else {
                throw ParseError(line: index + 1, text: String(raw))
            }
            if kind == "leak" { rules.append(Rule(pattern: pattern, line: index + 1)) }
        }
        self.rules = rules
    }

    /// The first rule matching any frame of `stack`, or nil.
    public func match(_ stack: UInt32, in symbols: SymbolTable) -> Rule? {
        guard !rules.isEmpty else { return nil }
        for frameID in symbols.frames(ofStack: stack) {
            let frame = symbols.frame(frameID)
            let names = [symbols.displayName(ofFrame: frameID), symbols.string(frame.file), symbols.string(frame.module)]
            for rule in rules where names.contains(where: { !$0.isEmpty && Self.matches(rule.pattern, $0) }) { return rule }
        }
        return nil
    }

    /// LeakSanitizer's template matching: `*` wildcards, `^` and `$` anchors.
    static func matches(_ pattern: String, _ text: String) -> Bool {
        var p = Substring(pattern)
        let anchoredStart = p.hasPrefix("^")
        if anchoredStart { p = p.dropFirst() }
        let anchoredEnd = p.hasSuffix("$")
        if anchoredEnd { p = p.dropLast() }
        let parts = p.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(text)
        for (i, part) in parts.enumerated() {
            if part.isEmpty { continue }
            if i == 0 && anchoredStart {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if i == parts.count - 1 && anchoredEnd {
                guard rest.hasSuffix(part) else { return false }
                rest = rest.suffix(0)
                return true
            } else {
                guard let range = rest.firstRange(of: part) else { return false }
                rest = rest[range.upperBound...]
            }
        }
        return !anchoredEnd || rest.isEmpty || parts.last == ""
    }
}

/// Leaks a suppression rule took out of the leak figures.
public struct SuppressedLeaks: Sendable, Equatable {
    public var pattern: String
    public var line: Int
    public var sites: UInt64
    public var blocks: UInt64
    public var bytes: UInt64
}
