/// Shortens C++ and Rust function names the way people read them, when a name does not
/// fit: first without its parameter list and leading return type, then with template and
/// generic arguments elided (`std::vector<…>::_M_realloc_insert`), and only then cut in
/// the middle, never at the tail, which is what tells methods apart (`…::_M_run`).
/// The full name stays in tooltips, stack lists and exports.
///
/// The report's script (`Templates/report.js`, `readableForms`) applies the same steps.
public enum ReadableName {
    /// The ever shorter forms of `name`, longest first, without repeats.
    public static func forms(_ name: String) -> [String] {
        var forms = [name]
        let bare = withoutParameters(name)
        if bare != forms.last! { forms.append(bare) }
        let elided = elidingArguments(bare)
        if elided != forms.last! { forms.append(elided) }
        return forms
    }

    /// `name` in at most `limit` characters: the first form that fits, else the shortest
    /// cut in the middle (a head, "…", and a longer tail).
    public static func short(_ name: String, limit: Int) -> String {
        let all = forms(name)
        if let fitting = all.first(where: { $0.count <= limit }) { return fitting }
        return middleCut(all.last!, limit: limit)
    }

    /// `text` with characters taken out of its middle so that it is `limit` long with
    /// the "…": two fifths kept at the head, three fifths at the tail.
    public static func middleCut(_ text: String, limit: Int) -> String {
        // No more bytes than the limit: no more characters either (most titles; the
        // characters of every site's title were an array each).
        if text.utf8.count <= limit { return text }
        let kept = limit - 1
        let head = kept * 2 / 5
        let tail = kept - head
        // ASCII without carriage returns: a character per byte (a C++ name is nearly always).
        if limit >= 3, text.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
            let bytes = text.utf8
            return String(decoding: bytes.prefix(head), as: UTF8.self) + "…" + String(decoding: bytes.suffix(tail), as: UTF8.self)
        }
        let characters = Array(text)
        guard characters.count > limit, limit >= 3 else { return characters.count > limit ? String(characters.prefix(limit)) : text }
        return String(characters[..<head]) + "…" + String(characters[(characters.count - tail)...])
    }

    /// The name without a trailing parameter list (and what follows it, like `const`),
    /// and without a leading return type. Rust closures' `{closure#0}` and names without
    /// a top-level `(` are kept whole.
    static func withoutParameters(_ name: String) -> String {
        let qualified = returnTypeEnd(name).map { String(name[$0...]) } ?? name
        var depth = 0
        var index = qualified.startIndex
        var previous: Character = " "
        while index < qualified.endIndex {
            let c = qualified[index]
            switch c {
            case "<" where !isOperatorSymbol(qualified, at: index): depth += 1
            case ">" where !isOperatorSymbol(qualified, at: index) && previous != "-": depth = max(0, depth - 1)
            case "(" where depth == 0 && index > qualified.startIndex && !isOperatorCall(qualified, at: index):
                let head = qualified[..<index]
                return head.isEmpty ? qualified : String(head)
            default: break
            }
            previous = c
            index = qualified.index(after: index)
        }
        return qualified
    }

    /// The name with the contents of every template or generic argument list (a `<`
    /// right after a name) replaced by "…". A Rust qualified path's leading `<T as
    /// Trait>` keeps its shape, its own arguments elided.
    static func elidingArguments(_ name: String) -> String {
        var out = ""
        var depth = 0
        var previous: Character = " "
        var index = name.startIndex
        while index < name.endIndex {
            let c = name[index]
            let isArgumentsStart = c == "<" && (previous.isLetter || previous.isNumber || previous == "_" || previous == ">")
                && !isOperatorSymbol(name, at: index)
            if depth > 0 {
                if c == "<" { depth += 1 } else if c == ">" { depth -= 1 }
                if depth == 0 { out += "…>" }
            } else if isArgumentsStart {
                depth = 1
                out.append("<")
            } else {
                out.append(c)
            }
            previous = c
            index = name.index(after: index)
        }
        return depth > 0 ? out + "…>" : out
    }

    /// Where the qualified name starts after a leading return type (`void std::…`): after
    /// the last space outside `<…>` before the parameter list, other than `operator new`'s.
    static func returnTypeEnd(_ name: String) -> String.Index? {
        var depth = 0
        var lastSpace: String.Index?
        var index = name.startIndex
        while index < name.endIndex {
            let c = name[index]
            if c == "<" { depth += 1 } else if c == ">" { depth -= 1 } else if c == "(" && depth == 0 { break }
            else if c == " " && depth == 0 && !name[..<index].hasSuffix("operator") { lastSpace = index }
            index = name.index(after: index)
        }
        guard let lastSpace, name.index(after: lastSpace) < name.endIndex else { return nil }
        return name.index(after: lastSpace)
    }

    /// Whether the `<` or `>` at `index` is part of an operator's name (`operator<<`).
    private static func isOperatorSymbol(_ name: String, at index: String.Index) -> Bool {
        var start = index
        while start > name.startIndex, "<>=".contains(name[name.index(before: start)]) { start = name.index(before: start) }
        return name[..<start].hasSuffix("operator")
    }

    /// Whether the `(` at `index` names `operator()` rather than opening parameters.
    private static func isOperatorCall(_ name: String, at index: String.Index) -> Bool {
        name[..<index].hasSuffix("operator") && name[index...].hasPrefix("()(")
    }
}
