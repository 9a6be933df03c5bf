import Foundation

/// The report's HTML, CSS and script, shipped as resources next to the executable.
public enum ReportTemplates {
    /// The text of a template file (`report.html`, `report.css`, `report.js`).
    /// - Throws: when the resource bundle is missing (a broken installation).
    public static func text(_ name: String) throws -> String {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let url = Bundle.module.url(forResource: parts[0], withExtension: parts[1]) else {
            throw TemplateError(name: name)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}

public struct TemplateError: Error, CustomStringConvertible {
    public var name: String
    public var description: String {
        "the report template \(name) is missing from memscope's resources; reinstall memscope"
    }
}
