import Foundation
import MemscopeFormat

/// Reads a JSON document with Foundation and gives typed, located access to its members,
/// so every importer words a missing or mistyped key the same way.
struct JSONDocument {
    let path: String
    let format: InputFormat

    static func parse(_ bytes: [UInt8], path: String, format: InputFormat) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw ImportError(path: path, problem: .invalidJSON(format: format, reason: reason))
        }
    }

    func object(_ value: Any?, _ key: String) throws -> [String: Any] {
        guard let value else { throw ImportError(path: path, problem: .missingKey(format: format, key: key)) }
        guard let object = value as? [String: Any] else { throw mistyped(key, "an object", value) }
        return object
    }

    func array(_ value: Any?, _ key: String) throws -> [Any] {
        guard let value else { throw ImportError(path: path, problem: .missingKey(format: format, key: key)) }
        guard let array = value as? [Any] else { throw mistyped(key, "an array", value) }
        return array
    }

    /// A non-negative integer; `nil` (and no error) when absent and `optional`.
    func integer(_ value: Any?, _ key: String) throws -> UInt64 {
        guard let value else { throw ImportError(path: path, problem: .missingKey(format: format, key: key)) }
        if type(of: value) != Bool.self, let number = value as? NSNumber {
            // Integers above 2^53 (ns timestamps, thread hashes) must not go through Double.
            let integer = number.uint64Value
            if number.int64Value >= 0 || integer > UInt64(Int64.max), Double(integer) == number.doubleValue { return integer }
        }
        throw mistyped(key, "a non-negative integer", value)
    }

    func optionalInteger(_ value: Any?, _ key: String) throws -> UInt64? {
        guard let value, !(value is NSNull) else { return nil }
        return try integer(value, key)
    }

    func string(_ value: Any?, _ key: String) throws -> String {
        guard let value else { throw ImportError(path: path, problem: .missingKey(format: format, key: key)) }
        guard let string = value as? String else { throw mistyped(key, "a string", value) }
        return string
    }

    private func mistyped(_ key: String, _ expected: String, _ value: Any) -> ImportError {
        var shown = "\(value)"
        if shown.count > 40 { shown = String(shown.prefix(40)) + "…" }
        return ImportError(path: path, problem: .expected(format: format, what: "\(expected) at '\(key)'", found: shown))
    }
}
