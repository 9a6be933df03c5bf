import Foundation
import MemscopeAnalysis

/// Containers recognised from the functions of an allocating stack: an inference, shown
/// with its rule. The patterns match demangled names of the usual runtime functions.
struct ContainerType: Equatable {
    var name: String
    /// The rule, in words: which function on the stack gave the type away.
    var rule: String
    /// Reference-counted: its blocks are meant to be shared.
    var refcounted: Bool
}

enum ContainerTypes {
    private struct Pattern {
        var needle: String
        var name: String
        /// Take the generic argument that follows `needle` (up to its closing `>`).
        var generic: Bool
        var refcounted: Bool
    }

    /// Most specific first: the innermost frame that matches any pattern decides.
    private static let patterns: [Pattern] = [
        Pattern(needle: "alloc::rc::Rc<", name: "Rc", generic: true, refcounted: true),
        Pattern(needle: "alloc::sync::Arc<", name: "Arc", generic: true, refcounted: true),
        Pattern(needle: "alloc::rc::Rc", name: "Rc", generic: false, refcounted: true),
        Pattern(needle: "alloc::sync::Arc", name: "Arc", generic: false, refcounted: true),
        Pattern(needle: "std::__shared_count", name: "std::shared_ptr", generic: false, refcounted: true),
        Pattern(needle: "std::_Sp_counted", name: "std::shared_ptr", generic: false, refcounted: true),
        Pattern(needle: "std::make_shared<", name: "std::shared_ptr", generic: true, refcounted: true),
        Pattern(needle: "swift_allocObject", name: "Swift class instance", generic: false, refcounted: true),
        Pattern(needle: "hashbrown::", name: "HashMap (hashbrown)", generic: false, refcounted: false),
        Pattern(needle: "alloc::string::String", name: "String", generic: false, refcounted: false),
        Pattern(needle: "alloc::vec::Vec<", name: "Vec", generic: true, refcounted: false),
        Pattern(needle: "alloc::raw_vec::RawVec<", name: "Vec", generic: true, refcounted: false),
        Pattern(needle: "alloc::vec::Vec", name: "Vec", generic: false, refcounted: false),
        Pattern(needle: "alloc::raw_vec::", name: "Vec", generic: false, refcounted: false),
        Pattern(needle: "alloc::boxed::Box<", name: "Box", generic: true, refcounted: false),
        Pattern(needle: "std::vector<", name: "std::vector", generic: true, refcounted: false),
        Pattern(needle: "std::__cxx11::basic_string", name: "std::string", generic: false, refcounted: false),
        Pattern(needle: "std::basic_string", name: "std::string", generic: false, refcounted: false),
        Pattern(needle: "std::_Hashtable<", name: "std::unordered_map", generic: false, refcounted: false),
        Pattern(needle: "std::_Rb_tree<", name: "std::map node", generic: false, refcounted: false),
        Pattern(needle: "std::deque<", name: "std::deque", generic: true, refcounted: false),
    ]

    /// The container that one function of an allocating stack reveals, if any (the first
    /// pattern that matches decides).
    static func recognise(_ function: String) -> ContainerType? {
        for pattern in patterns {
            guard let range = qualifiedNameMatch(function, pattern.needle) else { continue }
            var name = pattern.name
            if pattern.generic, let argument = genericArgument(function[range.upperBound...]) {
                name += "<\(argument)>"
            }
            return ContainerType(name: name, rule: "allocated under \(shorten(function)) (matches \(pattern.needle)…)",
                                 refcounted: pattern.refcounted)
        }
        return nil
    }

    /// Where `needle` starts the function's own qualified name: at the start (after a
    /// `<` of a Rust trait impl), or after the return type of a C++ template function;
    /// never in its parameter list (`f(std::vector<int>&)` allocates no vector itself).
    private static func qualifiedNameMatch(_ function: String, _ needle: String) -> Range<String.Index>? {
        let name = function.hasPrefix("<") ? function.dropFirst() : Substring(function)
        guard let qualified = name.hasPrefix(needle) ? name : nameAfterReturnType(function), qualified.hasPrefix(needle)
        else { return nil }
        return qualified.startIndex..<qualified.index(qualified.startIndex, offsetBy: needle.count)
    }

    /// The first generic argument, up to the `,` or `>` that closes it at depth 0.
    private static func genericArgument(_ text: Substring) -> String? {
        var depth = 0
        var end = text.startIndex
        while end < text.endIndex {
            let c = text[end]
            if c == "<" { depth += 1 }
            if c == ">" || c == "," {
                if depth == 0 { break }
                if c == ">" { depth -= 1 }
            }
            end = text.index(after: end)
        }
        let argument = text[text.startIndex..<end].trimmingCharacters(in: .whitespaces)
        return argument.isEmpty || end == text.endIndex ? nil : argument
    }

    private static func shorten(_ function: String) -> String {
        function.count > 90 ? String(function.prefix(87)) + "…" : function
    }
}
