/// The report's HTML, CSS and script, compiled into the binary (the EmbedTemplates build
/// plugin turns the files beside this one into `embedded`): a `memscope` copied anywhere
/// needs no resource directory.
public enum ReportTemplates {
    /// The text of a template file (`report.html`, `report.css`, `report.js`, `diff.html`, `diff.js`).
    /// - Throws: ``TemplateError`` for a name that is not a template.
    public static func text(_ name: String) throws -> String {
        guard let text = embedded[name] else { throw TemplateError(name: name) }
        return text
    }
}

public struct TemplateError: Error, CustomStringConvertible {
    public var name: String
    public var description: String {
        "memscope has no report template named \(name) (it embeds \(ReportTemplates.embedded.keys.sorted().joined(separator: ", ")))"
    }
}
