import MemscopeModel

/// A stable text rendering of an ``Analysis`` for `memscope inspect --stage analyze`
/// and golden tests: every figure, integers only, sorted, no wall clock.
public enum AnalysisDump {
    public static func render(_ a: Analysis) -> String {
        var out: [String] = []
        let t = a.totals
        out.append("totals")
        out.append("  events \(t.events)")
        out.append("  allocations \(t.allocations)")
        out.append("  frees \(t.frees)")
        out.append("  reallocs \(t.reallocs)")
        out.append("  bytes_allocated \(t.bytesAllocated)")
        out.append("  peak_bytes \(t.peakBytes) at \(t.peakTimeNanoseconds) ns")
        out.append("  leaked \(t.leakedBytes) bytes in \(t.leakedBlocks) blocks")
        out.append("  suppressed \(t.suppressedBytes) bytes in \(t.suppressedBlocks) blocks")
        out.append("  temporary_allocations \(t.temporaryAllocations)")
        out.append("  distinct_stacks \(t.distinctStacks)")
        out.append("  threads \(t.threads)")
        out.append("  errors \(t.errors)")
        out.append("  cross_thread_frees \(t.crossThreadFrees)")
        out.append("  failed_allocations \(t.failedAllocations)")
        out.append("  null_frees \(t.nullFrees)")
        out.append("  duration \(t.durationNanoseconds) ns")
        out.append("  end \(a.endDescription)")
        out.append("  truncated \(a.truncated)")
        out.append("  sizes \(zip(a.sizes.counts, a.sizes.bytes).enumerated().filter { $0.element.0 > 0 }.map { "\(SizeBuckets.labels[$0.offset])=\($0.element.0)/\($0.element.1)" }.joined(separator: " "))")

        out.append("sites")
        for site in a.sites {
            let c = site.costs
            let l = site.lifetimes
            out.append("  stack \(site.stack): \(costText(c)), frees \(site.frees), reallocs \(site.reallocs)")
            out.append("    lifetimes n=\(l.count) min=\(l.minNanoseconds) mean=\(l.meanNanoseconds) max=\(l.maxNanoseconds) buckets=\(l.buckets.map(String.init).joined(separator: ","))")
            let lane = site.lane.reversed().drop { $0 == 0 }.reversed()
            out.append("    sizes \(site.sizes.counts.enumerated().filter { $0.element > 0 }.map { "\(SizeBuckets.labels[$0.offset])=\($0.element)" }.joined(separator: " "))")
            out.append("    lane every \(a.laneIntervalNanoseconds) ns: \(lane.map(String.init).joined(separator: ","))")
            for frame in a.describeStack(site.stack) { out.append("    at \(frame)") }
        }

        for tree in [a.topDown, a.bottomUp] {
            out.append("\(tree.direction.rawValue)")
            appendTree(tree, node: 0, into: &out, analysis: a)
        }

        out.append("timeline interval \(a.timeline.intervalNanoseconds) ns, \(a.timeline.points.count) points")
        var previous: Timeline.Point?
        for point in a.timeline.points {
            let same = previous.map {
                $0.maxLiveBytes == point.maxLiveBytes && $0.endLiveBytes == point.endLiveBytes && point.allocations == 0 && point.frees == 0
            } ?? false
            previous = point
            if same { continue }
            out.append("  \(point.timeNanoseconds) ns: max \(point.maxLiveBytes) min \(point.minLiveBytes) end \(point.endLiveBytes) allocations \(point.allocations) bytes \(point.bytesAllocated) frees \(point.frees)")
        }

        let r = a.addressReuse
        out.append("address_reuse distinct \(r.distinctAddresses) reused \(r.reusedAddresses) allocations_at_reused \(r.allocationsAtReusedAddresses) max_generation \(r.maxGeneration)")
        let ch = a.reallocChains
        out.append("realloc_chains chains \(ch.chains) reallocs \(ch.reallocs) moves \(ch.moves) longest \(ch.longest) root_stack \(ch.longestRootStack)")
        out.append("cross_thread")
        for pair in a.crossThread {
            out.append("  \(a.threadLabel(pair.allocatingThread)) -> \(a.threadLabel(pair.freeingThread)): \(pair.blocks) blocks, \(pair.bytes) bytes")
        }
        out.append("threads")
        for thread in a.threads {
            out.append("  \(a.threadLabel(thread.thread)): first \(thread.firstSeenNanoseconds) ns, last \(thread.lastSeenNanoseconds) ns, started \(thread.started), exited \(thread.exited), allocations \(thread.allocations), bytes \(thread.bytesAllocated), frees \(thread.frees), peak \(thread.peakBytes), live \(thread.liveBytes)")
        }
        out.append("errors")
        for error in a.errors {
            out.append("  \(error.kind.rawValue) x\(error.count) first at \(Units.hex(error.firstAddress)), \(error.firstTimeNanoseconds) ns, thread \(error.firstThread)")
            if let side = error.side {
                out.append("    \(error.bytesDamaged) bytes changed, \(error.offset) bytes \(side.name) a block of size \(error.blockSize)\(error.foundStack == 0 ? ", found at exit" : "")")
            }
            for frame in a.describeStack(error.stack) { out.append("    at \(frame)") }
            if error.allocationStack != 0 {
                out.append("    allocated at:")
                for frame in a.describeStack(error.allocationStack) { out.append("      \(frame)") }
            }
            if error.firstFreeStack != 0 {
                out.append("    first freed at:")
                for frame in a.describeStack(error.firstFreeStack) { out.append("      \(frame)") }
            }
        }
        out.append("modules")
        for m in a.modules {
            out.append("  \(m.path.isEmpty ? "(unknown)" : m.path): allocations \(m.allocations), bytes \(m.bytesAllocated), frees \(m.frees), leaked \(m.leakedBytes) in \(m.leakedBlocks)")
        }
        for h in a.moduleHandOffs {
            out.append("  hand-off \(h.allocatingModule) -> \(h.freeingModule): \(h.blocks) blocks, \(h.bytes) bytes")
        }
        for l in a.crossModuleLeaks {
            out.append("  leak \(l.allocatingModule) held by \(l.holderModule) (\(l.holder.rawValue)): \(l.blocks) blocks, \(l.bytes) bytes")
        }
        out.append("warnings")
        for line in a.diagnostics.lines { out.append("  \(line)") }
        return out.joined(separator: "\n") + "\n"
    }

    static func costText(_ c: Costs) -> String {
        "allocations \(c.allocations), bytes \(c.bytesAllocated), peak \(c.peakBytes), leaked \(c.leakedBytes) in \(c.leakedBlocks), temporary \(c.temporaryAllocations)"
    }

    private static func appendTree(_ tree: CallTree, node: Int, into out: inout [String], analysis: Analysis) {
        var stack: [Int] = [node]
        while let current = stack.popLast() {
            let n = tree.nodes[current]
            let indent = String(repeating: "  ", count: n.depth + 1)
            out.append("\(indent)\(analysis.label(of: n, isRoot: current == 0)): \(costText(n.totalCosts)); self \(n.selfCosts.allocations)/\(n.selfCosts.bytesAllocated)")
            stack.append(contentsOf: n.children.reversed())
        }
    }
}
