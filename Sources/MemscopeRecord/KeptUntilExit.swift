import Foundation

/// Objects left for the process's exit to reclaim (``RecordOptions/keepStateUntilExit``): a
/// command-line recording ends right after writing its dumps, and freeing the symbolizers'
/// and converters' tables piece by piece only delayed that end.
enum KeptUntilExit {
    nonisolated(unsafe) private static var objects: [AnyObject] = []
    private static let lock = NSLock()

    static func keep(_ object: AnyObject) {
        lock.lock()
        objects.append(object)
        lock.unlock()
    }

    /// How many objects are kept (for tests).
    static var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return objects.count
    }
}
