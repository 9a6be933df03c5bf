import Foundation
@testable import MemscopeRecord
import MemscopeModel
import Synchronization
import Testing

/// Child dumps are written on several threads, each once its parent's conversion has named
/// it, and listed in the order a one-at-a-time conversion gives.
@Suite struct ChildDumpsTests {
    /// A process tree: pid → its children's pids (the program is 1).
    private static let tree: [UInt32: [UInt32]] = [
        1: [30, 10, 20], 10: [13, 11], 20: [], 30: [31], 11: [], 13: [14], 31: [], 14: [],
    ]

    private static func dump(_ pid: UInt32) -> RecordedDump {
        RecordedDump(path: "d.\(pid)", pid: pid, parentPid: 0, commandLine: ["p\(pid)"], events: 0,
                     processEnd: ProcessEnd(timestamp: 0, how: .exited, code: 0), spoolOverflowed: false)
    }

    private static func children(of pid: UInt32) -> [UInt32: [InheritedBlock]] {
        Dictionary(uniqueKeysWithValues: (tree[pid] ?? []).map { ($0, []) })
    }

    @Test(arguments: [1, 2, 4])
    func dumpsComeBackBreadthFirstWhateverFinishesFirst(workers: Int) throws {
        let converted = Mutex<[UInt32]>([])
        let dumps = ChildDumps(alreadyWritten: [1]) { pid, _ in
            // Later pids finish first, so the order of finishing is not the order listed.
            usleep(useconds_t(40 - min(pid, 39)) * 200)
            converted.withLock { $0.append(pid) }
            return (Self.dump(pid), Self.children(of: pid))
        }
        let listed = try dumps.run(children: Self.children(of: 1), workers: workers).map(\.pid)
        #expect(listed == [10, 20, 30, 11, 13, 31, 14])
        #expect(converted.withLock { $0.sorted() } == [10, 11, 13, 14, 20, 30, 31])
    }

    @Test func aChildIsConvertedOnceAndOnlyAfterItsParent() throws {
        let seen = Mutex<[UInt32]>([])
        let dumps = ChildDumps(alreadyWritten: [1, 20]) { pid, _ in
            seen.withLock { $0.append(pid) }
            // 13 is named twice (by 10 and by 30): written once.
            var children = Self.children(of: pid)
            if pid == 30 { children[13] = [] }
            return (Self.dump(pid), children)
        }
        let listed = try dumps.run(children: Self.children(of: 1), workers: 2).map(\.pid)
        #expect(!listed.contains(20), "already written")
        #expect(listed.count == Set(listed).count)
        let order = seen.withLock { $0 }
        for (child, parent) in [(11, 10), (13, 10), (14, 13), (31, 30)] as [(UInt32, UInt32)] {
            let c = try #require(order.firstIndex(of: child)), p = try #require(order.firstIndex(of: parent))
            #expect(p < c, "\(child) converted before its parent \(parent)")
        }
    }

    @Test func aMissingSpoolIsSkippedAndAFailureIsThrown() throws {
        struct Broken: Error {}
        let skipping = ChildDumps(alreadyWritten: [1]) { pid, _ in
            pid == 10 ? nil : (Self.dump(pid), Self.children(of: pid))
        }
        #expect(try skipping.run(children: Self.children(of: 1), workers: 2).map(\.pid) == [20, 30, 31])
        let failing = ChildDumps(alreadyWritten: [1]) { pid, _ in
            if pid == 13 { throw Broken() }
            return (Self.dump(pid), Self.children(of: pid))
        }
        #expect(throws: Broken.self) { try failing.run(children: Self.children(of: 1), workers: 2) }
    }
}
