import ArgumentParser
import MemscopeFormat
import MemscopeModel

/// A point in a dump's run: `12.5s`, `850ms`, `40us`, `1200ns`, or `25%` of the run.
struct TimeArgument: ExpressibleByArgument, Equatable {
    enum Value: Equatable {
        case nanoseconds(UInt64)
        case percent(Double)
    }

    var value: Value

    init?(argument: String) {
        let text = argument.trimmingSpaces.lowercased()
        if text.hasSuffix("%") {
            guard let p = Double(text.dropLast()), p >= 0, p <= 100 else { return nil }
            value = .percent(p)
            return
        }
        let digits = text.prefix { $0.isNumber || $0 == "." }
        guard let number = Double(digits), number >= 0 else { return nil }
        let scale: Double
        switch text.dropFirst(digits.count) {
        case "s": scale = 1e9
        case "ms": scale = 1e6
        case "us", "µs": scale = 1e3
        case "ns": scale = 1
        default: return nil
        }
        guard number * scale < 1.8e19 else { return nil }
        value = .nanoseconds(UInt64((number * scale).rounded()))
    }

    /// Nanoseconds since the start; `duration` resolves percentages.
    func nanoseconds(duration: () throws -> UInt64) rethrows -> UInt64 {
        switch value {
        case .nanoseconds(let ns): ns
        case .percent(let p): UInt64((Double(try duration()) * p / 100).rounded())
        }
    }
}

/// The last timestamp of a dump in ns (a quick pass, for percentages of the run).
func duration(of path: String, format: DumpFormat?) throws -> UInt64 {
    let reader = try DumpOpener.open(path: path, format: format)
    var unit: UInt64 = 1
    var last: UInt64 = 0
    try reader.forEach { record in
        switch record {
        case .meta(let m): unit = m.clockUnitNanoseconds
        case .alloc(let a): last = max(last, a.timestamp)
        case .free(let f): last = max(last, f.timestamp)
        case .realloc(let r): last = max(last, r.timestamp)
        case .processEnd(let e): last = max(last, e.timestamp)
        case .threadStart(let ts, _, _), .threadName(let ts, _, _), .threadExit(let ts, _): last = max(last, ts)
        default: break
        }
    }
    let (product, overflow) = last.multipliedReportingOverflow(by: unit)
    return overflow ? .max : product
}
