import Foundation

/// One frame as Valgrind prints it in massif trees and DHAT frame tables:
/// `0x401136: main (demo.c:12)`, `0x4A1D9F: fn (in /lib/x.so)`, `0x…: ??? (in …)`.
struct ValgrindFrameLabel {
    var address: UInt64 = 0
    var function = ""
    var file = ""
    var line: UInt32 = 0
    var module = ""

    init(_ label: Substring) {
        var rest = label
        if rest.hasPrefix("0x"), let colon = rest.firstIndex(of: ":") {
            address = UInt64(rest[rest.index(rest.startIndex, offsetBy: 2)..<colon], radix: 16) ?? 0
            rest = rest[rest.index(after: colon)...].drop { $0 == " " }
        }
        if rest.hasSuffix(")"), let open = rest.range(of: " (", options: .backwards) {
            let inside = rest[open.upperBound..<rest.index(before: rest.endIndex)]
            if inside.hasPrefix("in ") {
                module = String(inside.dropFirst(3))
            } else if let colon = inside.lastIndex(of: ":"), let number = UInt32(inside[inside.index(after: colon)...]) {
                file = String(inside[..<colon])
                line = number
            } else {
                file = String(inside)
            }
            rest = rest[..<open.lowerBound]
        }
        function = rest == "???" ? "" : String(rest)
    }

    var key: SymbolInterner.FrameKey {
        // Symbolized frames merge by name and place; unknown ones keep their address.
        SymbolInterner.FrameKey(function: function, file: file, line: line, module: module,
                                address: function.isEmpty ? address : 0)
    }
}
