/// The blocks covering each 4 KiB page of the address space, so that a word pointing into a
/// block (an intrusive list's link, a member inside an object) finds the block it points
/// into. Kept for the blocks alive and for the freed blocks a dangling word may still name.
/// A block is entered in the pages of its first 256 KiB: a pointer deeper into a larger
/// block is not resolved.
struct InteriorIndex {
    struct Entry: Equatable {
        var start: UInt64
        var size: UInt64
        var serial: UInt64
    }

    private var pages = WordMap<[Entry]>()
    static let pageShift: UInt64 = 12
    static let maximumPages: UInt64 = 64

    private static func pageRange(_ start: UInt64, _ size: UInt64) -> ClosedRange<UInt64> {
        let first = start >> pageShift
        let end = size == 0 ? start : start &+ min(size, maximumPages << pageShift) &- 1
        let last = max(first, end >> pageShift)
        return first...last
    }

    mutating func insert(_ entry: Entry) {
        for page in Self.pageRange(entry.start, entry.size) { pages[page, default: []].append(entry) }
    }

    mutating func remove(start: UInt64, size: UInt64, serial: UInt64) {
        for page in Self.pageRange(start, size) {
            // In place, in one lookup of the page (a copy of the page's entries out of the map
            // would share its buffer, and removing from it would copy the buffer); an emptied
            // page is dropped.
            Self.remove(start: start, serial: serial, from: &pages[page])
        }
    }

    /// A block is entered once per page (a realloc in place removes its entry before entering
    /// it again), so the entry is the one match, looked for from the newest end: blocks mostly
    /// die young, and a page of small blocks holds a hundred entries.
    private static func remove(start: UInt64, serial: UInt64, from entries: inout [Entry]?) {
        guard entries != nil, let i = entries!.lastIndex(where: { $0.start == start && $0.serial == serial }) else { return }
        entries!.remove(at: i)
        if entries!.isEmpty { entries = nil }
    }

    /// The entry whose block contains `address` (past its start), if one was entered.
    func containing(_ address: UInt64) -> Entry? {
        guard let entries = pages[address >> Self.pageShift] else { return nil }
        return entries.last { $0.start < address && address &- $0.start < $0.size }
    }
}
