/// The page's own script and stylesheet without what only their readers need: indentation,
/// blank lines and whole-line `//` comments (scripts) go; every line break stays, so no
/// statement changes meaning. The templates hold no multi-line template literals (a test
/// checks), the one construct where leading spaces are content.
enum Compact {
    static func script(_ text: String) -> String {
        lines(text) { !$0.hasPrefix("//") }
    }

    static func style(_ text: String) -> String {
        lines(text) { _ in true }
    }

    private static func lines(_ text: String, keep: (Substring) -> Bool) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.drop { $0 == " " || $0 == "\t" } }
            .filter { !$0.isEmpty && keep($0) }
            .joined(separator: "\n")
    }
}
