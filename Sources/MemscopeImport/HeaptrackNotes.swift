import MemscopeAnalysis

/// What a heaptrack file can and cannot show, and the views that would be invented.
enum HeaptrackNotes {
    static func apply(to analysis: inout Analysis, reader: HeaptrackReader) {
        // The reader gives every event thread 1 and synthetic addresses; neither is data.
        analysis.threads = []
        analysis.totals.threads = 0
        analysis.crossThread = []
        analysis.addressReuse = AddressReuse.none
        var notes = InputNotes(
            source: "heaptrack data file, format \(reader.fileVersion)",
            missingViews: [
                "Threads: heaptrack records no thread ids, so there is no thread table and no cross-thread frees.",
                "Addresses: heaptrack's interpreted file names an allocation's (size, stack) class, not its address, so there is no address reuse and no double-free or invalid-free detection.",
                "Free stacks: heaptrack records where blocks were allocated, not where they were freed.",
                "Precise times: heaptrack stamps events in steps of about 10 ms; events between two stamps share a time.",
            ],
            inferred: [
                "Lifetimes: each free is matched to the latest live allocation of the same size and stack (LIFO per class); heaptrack's file does not say which block was freed.",
            ])
        if reader.attached {
            notes.missingViews.append("Allocations before heaptrack attached to the running process are not in the file.")
        }
        if reader.inlinedFrames > 0 {
            notes.inferred.append("Inlined frames: \(reader.inlinedFrames) inlined calls are shown as frames of their own, as heaptrack does.")
        }
        let suppressed = HeaptrackSuppressions.apply(HeaptrackSuppressions.builtin + reader.embeddedSuppressions, to: &analysis)
        if suppressed.sites > 0 {
            notes.inferred.append("Leaked: \(suppressed.bytes) bytes at \(suppressed.sites) sites match heaptrack's leak suppressions (its built-in list of known system-library leaks and \(reader.embeddedSuppressions.count) embedded in the file) and are not counted as leaked, as heaptrack_print does.")
        }
        let quirk = reader.infoZeroQuirkFrees
        if quirk > 0, let site = analysis.sites.firstIndex(where: { $0.stack == reader.infoZeroStack }) {
            analysis.totals.temporaryAllocations += quirk
            analysis.sites[site].costs.temporaryAllocations += quirk
            analysis.rebuildCallTrees()
            notes.inferred.append("Temporary allocations: \(quirk) frees of heaptrack's first allocation class right after another free are counted as temporary, as heaptrack_print counts them (its reader mistakes class 0 for \"no allocation\"), so the figure equals heaptrack's.")
        }
        notes.unavailable = ["threads", "errors", "cross_thread_frees"]
        analysis.notes = notes
    }
}
