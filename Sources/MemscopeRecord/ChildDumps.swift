import Foundation

/// Writes the dumps of the processes a program started (a compiler driver's cc1 and as, a
/// test runner's tests), on every core: each child's spool is converted on its own, once
/// its parent's conversion has said which blocks it inherited at the fork, so a child and
/// its siblings are written side by side. The dumps come back in the order a one-at-a-time
/// conversion gives (breadth first from the program, each parent's children by pid),
/// whatever order they were finished in.
final class ChildDumps: @unchecked Sendable {
    typealias Convert = (_ pid: UInt32, _ inherited: [InheritedBlock]) throws
        -> (dump: RecordedDump, children: [UInt32: [InheritedBlock]])?

    private struct Work {
        var path: [Int]  // child indices from the program down: the breadth-first order's key
        var pid: UInt32
        var inherited: [InheritedBlock]
    }

    private let lock = NSCondition()
    private var queue: [Work] = []
    private var running = 0
    private var started: Set<UInt32>
    private var finished: [(path: [Int], dump: RecordedDump)] = []
    private var failure: (any Error)?
    /// Threads converting a spool now (they may queue its children).
    private var converting = 0
    private let convert: Convert

    /// - Parameters:
    ///   - alreadyWritten: pids whose dumps exist (the program's).
    ///   - convert: writes one child's dump; nil when the child left no spool.
    init(alreadyWritten: Set<UInt32>, convert: @escaping Convert) {
        started = alreadyWritten
        self.convert = convert
    }

    /// Converts `children` and, as their dumps name forks, theirs, on up to `workers`
    /// threads; throws the first failure once every thread has stopped.
    func run(children: [UInt32: [InheritedBlock]], workers: Int) throws -> [RecordedDump] {
        guard !children.isEmpty else { return [] }
        lock.lock()
        enqueue(children, under: [])
        lock.unlock()
        let threads = (0..<max(1, workers)).map { _ in Thread { [self] in work() } }
        lock.lock()
        running = threads.count
        lock.unlock()
        for thread in threads { thread.start() }
        lock.lock()
        while running > 0 { lock.wait() }
        lock.unlock()
        if let failure { throw failure }
        return finished.sorted { Self.precedes($0.path, $1.path) }.map(\.dump)
    }

    /// Breadth-first order: shallower first, then the parents' order, then the pid's.
    static func precedes(_ a: [Int], _ b: [Int]) -> Bool {
        if a.count != b.count { return a.count < b.count }
        return a.lexicographicallyPrecedes(b)
    }

    /// Queues children (the lock held).
    private func enqueue(_ children: [UInt32: [InheritedBlock]], under path: [Int]) {
        for (index, child) in children.sorted(by: { $0.key < $1.key }).enumerated() {
            queue.append(Work(path: path + [index], pid: child.key, inherited: child.value))
        }
    }

    /// Takes work until nothing is queued and no other thread can queue more.
    private func work() {
        lock.lock()
        defer {
            running -= 1
            lock.broadcast()
            lock.unlock()
        }
        while true {
            while queue.isEmpty && converting > 0 && failure == nil { lock.wait() }
            guard failure == nil, !queue.isEmpty else { return }
            let item = queue.removeFirst()
            guard started.insert(item.pid).inserted else { continue }
            converting += 1
            lock.unlock()
            let outcome = Result { try convert(item.pid, item.inherited) }
            lock.lock()
            converting -= 1
            switch outcome {
            case .success(let converted?):
                finished.append((item.path, converted.dump))
                enqueue(converted.children, under: item.path)
            case .success(nil):
                break
            case .failure(let error):
                if failure == nil { failure = error }
            }
            lock.broadcast()
        }
    }

}
