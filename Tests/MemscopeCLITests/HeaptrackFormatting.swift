import Foundation

/// heaptrack_print's byte formatting: decimal K/M/G with two decimals, trailing zeros dropped.
func heaptrackRounded(_ bytes: Int) -> String {
    var value = Double(bytes)
    var unit = "B"
    for next in ["K", "M", "G", "T"] where value >= 1000 {
        value /= 1000
        unit = next
    }
    var text = String(format: "%.2f", value)
    while text.contains(".") && (text.hasSuffix("0") || text.hasSuffix(".")) { text.removeLast() }
    return text + unit
}
