import Foundation
@testable import MemscopeLayout
import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel
import MemscopeScene
import MemscopeTestSupport
import Testing

/// The flamegraph's details and the tables' links, in a real browser (issue 20 §3, issue 21
/// §4 and §5). In the serialized browser suite: one Chromium at a time.
extension BrowserTests {
    /// The page's flame data, from the report's `<script id="flame-data">`.
    static func flameData(_ report: String) throws -> [String: Any] {
        let html = try String(contentsOfFile: report, encoding: .utf8)
        let match = try #require(html.firstMatch(of: /<script type="application\/json" id="flame-data">(.*?)<\/script>/.dotMatchesNewlines()))
        return try #require(try JSONSerialization.jsonObject(with: Data(String(match.1).utf8)) as? [String: Any])
    }

    /// A flamegraph rebuilt from the page's arrays (names, values, folded and inlined boxes).
    static func graph(_ tree: [String: Any], strings: [String]) throws -> FlameGraph {
        let parents = try #require(tree["parent"] as? [Int]), names = try #require(tree["name"] as? [Int])
        let folded = try #require(tree["folded"] as? [Int]), inlined = tree["inlined"] as? [Int]
        let values = try #require(tree["values"] as? [[NSNumber]]).map { $0.map(\.uint64Value) }
        var nodes: [FlameNode] = []
        for (i, parent) in parents.enumerated() {
            nodes.append(FlameNode(parent: parent, depth: parent < 0 ? 0 : nodes[parent].depth + 1, name: strings[names[i]],
                                   location: "", module: "", values: values.map { $0[i] }, folded: folded[i],
                                   isInlined: inlined?[i] == 1))
        }
        return FlameGraph(direction: .topDown, nodes: nodes, maxDepth: 120, cutNodes: 0)
    }

    /// Numbers the page wrote as text (their shortest exact form), read exactly.
    static func doubles(_ value: Any?) -> [Double] { (value as? [String] ?? []).map { Double($0) ?? .nan } }

    /// Issue 20 §3, one layout: the page lays out, draws and fills exactly the boxes
    /// `FlameLayout` does for the same tree, cost and width, in both orientations, with
    /// every parameter taken from the page's data (which are `FlameLayoutOptions.default`).
    @Test(arguments: ["server-leak.msd", "recorded/minihttpd.msd", "inlined"])
    func pageLaysOutTheSwiftBoxes(sample: String) throws {
        let report = try Self.render(sample == "inlined" ? Self.inlinedDump() : TestPaths.sample(sample))
        let data = try Self.flameData(report)
        let strings = try #require(data["strings"] as? [String])
        let trees = try #require(data["trees"] as? [String: Any])
        let result = try Self.selftest(report)
        let check = try #require(result["layoutCheck"] as? [String: Any])
        let l = try #require(check["layout"] as? [String: Any])
        func n(_ key: String) -> Double { (l[key] as? NSNumber)?.doubleValue ?? .nan }
        func options(width: Double, icicle: Bool) -> FlameLayoutOptions {
            FlameLayoutOptions(width: width, rowHeight: n("rowHeight"), fontSize: n("fontSize"), minimumLabelWidth: n("minimumLabelWidth"),
                               minimumBoxWidth: n("minimumBoxWidth"), boxGap: n("boxGap"), rowGap: n("rowGap"),
                               labelInset: n("labelInset"), outlineWidth: n("outlineWidth"), icicle: icicle)
        }
        #expect(options(width: n("width"), icicle: true) == .default, "the page's data carries every layout parameter")
        let cases = try #require(check["cases"] as? [[String: Any]])
        #expect(cases.count >= 8)
        var outlines = 0
        for c in cases {
            let dir = try #require(c["dir"] as? String), key = try #require(c["cost"] as? String)
            let width = try #require((c["width"] as? NSNumber)?.doubleValue), icicle = try #require(c["icicle"] as? Bool)
            let cost = try #require(FlameCost(rawValue: key))
            let graph = try Self.graph(try #require(trees[dir] as? [String: Any]), strings: strings)
            let o = options(width: width, icicle: icicle)
            let label = "\(sample) \(dir) \(key) \(width) \(icicle ? "icicle" : "flame")"
            let boxes = FlameLayout.boxes(graph, cost: cost, options: o)
            #expect(Self.doubles(c["x"]) == boxes.map(\.x), "x: \(label)")
            #expect(Self.doubles(c["w"]) == boxes.map(\.width), "widths: \(label)")
            #expect(Self.doubles(c["y"]) == boxes.map(\.y), "y: \(label)")
            #expect(c["rows"] as? Int == FlameLayout.visibleRows(graph, cost: cost, options: o), "rows: \(label)")
            let scene = FlameLayout.scene(graph, cost: cost, measurer: FixedAdvanceMeasurer(), options: o)
            var rects: [[Double]] = [], fills: [String] = [], sceneOutlines: [[Double]] = []
            for shape in scene.shapes {
                if case .rect(let r, let fill) = shape { rects.append([r.x, r.y, r.width, r.height]); fills.append(fill.hexString) }
                if case .outline(let r, _, let w) = shape {
                    #expect(w == o.outlineWidth)
                    sceneOutlines.append([r.x, r.y, r.width, r.height])
                }
            }
            #expect((c["rects"] as? [Any] ?? []).map(Self.doubles) == rects, "drawn rectangles: \(label)")
            #expect(c["fills"] as? [String] == fills, "fills: \(label)")
            #expect((c["outlines"] as? [Any] ?? []).map(Self.doubles) == sceneOutlines, "inlined outlines: \(label)")
            outlines += sceneOutlines.count
        }
        if sample == "inlined" { #expect(outlines > 0, "the inlined frame's outline is compared") }
        // The page's script holds no layout number of its own.
        let script = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("Templates/report.js"), encoding: .utf8)
        let constants = [
            ("0.3 px box", #"\b0\.3\b"#), ("24 px label", #">= 24\b"#), ("3 px inset", #"\+ 3\b"#), ("6 px padding", #"w - 6\b"#),
            ("0.5 px gap", #"w - 0\.5\b"#), ("1 px row gap", #"rowHeight - 1\b"#), ("outline", #"\b(0\.75|1\.5|2\.5)\b"#),
            ("text colour", "#1f2328|#59636e"),
        ]
        for (what, pattern) in constants {
            #expect(script.firstMatch(of: try Regex(pattern)) == nil, "report.js has a layout constant of its own: \(what)")
        }
    }

    /// A program with code of each origin, two threads, one function called from two places
    /// (`handle`, from `main` and from `worker`), and fourteen sites. Sizes are in bytes
    /// below 1 KiB, so the page's figures are exact.
    static func detailsDump() throws -> String {
        var dump = DumpBuilder(metadata: Metadata(producer: "test", producerVersion: "1", pid: 7, commandLine: ["/srv/app/server"]))
        let app = "/srv/app/server", own = "/srv/app/libstore.so.2", zlib = "/usr/lib/x86_64-linux-gnu/libz.so.1"
        let libc = "/lib/x86_64-linux-gnu/libc.so.6"
        var offset: UInt64 = 0x1000
        func frame(_ name: String, _ module: String) -> UInt32 {
            offset += 0x100
            return dump.codeFrame(name, module: module, offset: offset, file: "src.c", line: UInt32(offset / 0x100))
        }
        let main = frame("main", app), worker = frame("worker", app), handle = frame("handle", app), parse = frame("parse", app)
        let store = frame("store_put", own), deflate = frame("deflateInit2_", zlib), qsort = frame("qsort", libc)
        let compare = frame("compare", app), function = frame("std::function<void ()>::operator()() const", app)
        let callback = frame("callback", app)
        var address: UInt64 = 0x10000
        var ts: UInt64 = 0
        func alloc(_ frames: [UInt32], _ size: UInt64, thread: UInt32 = 1) {
            ts += 10
            address += 0x100
            dump.alloc(ts: ts, thread: thread, address: address, size: size, stack: dump.stack(frames: frames))
        }
        dump.threadName(ts: 1, thread: 2, "worker-2")
        alloc([main, handle, parse], 100)
        alloc([main, handle], 40)
        alloc([main, worker, handle, store], 60, thread: 2)
        alloc([main, worker, deflate], 30, thread: 2)
        alloc([main, worker, function, callback], 20)
        alloc([main, qsort, compare], 10)
        for i in 0..<8 { alloc([main, frame("step\(i)", app)], 5) }
        dump.end(ts: ts + 10)
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("details.msd").path
        try Data(encodeBinary(dump.records)).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func inlinedDump() throws -> String {
        var dump = DumpBuilder()
        let main = dump.codeFrame("main", module: "/bin/shapes", offset: 0x1000, file: "main.rs", line: 50)
        let index = dump.codeFrame("shapes::build_index", module: "/bin/shapes", offset: 0x2000, file: "main.rs", line: 30)
        let insert = dump.codeFrame("shapes::Table<K,V>::insert", module: "/bin/shapes", offset: 0x2000, file: "map.rs", line: 1296, inlined: true)
        dump.alloc(ts: 1, address: 0x10, size: 600, stack: dump.stack(frames: [main, index, insert]))
        dump.alloc(ts: 2, address: 0x20, size: 400, stack: dump.stack(frames: [main]))
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("inlined-layout.msd").path
        try Data(encodeBinary(dump.records)).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Issue 21 §4: the tooltip gives self and total, exact; the thread where the view is one
    /// thread's; colour by module paints each box in its module's colour (by origin: the
    /// program, its libraries, system libraries, runtimes, with runtime code compiled into
    /// the program in the runtime colour), with a legend, in the URL; the graph reflows.
    @Test func flamegraphDetails() throws {
        // At 1,024 px the page draws every box itself (the Cairo picture is 1,200 px wide).
        let result = try Self.selftest(Self.render(Self.detailsDump()), flags: ["--window-size=1024,900"])
        let details = try #require(result["details"] as? [String: Any])
        let tips = try #require(details["tips"] as? [String: [String: String]])
        let parse = try #require(tips["parse"]), handle = try #require(tips["handle"])
        #expect(parse["cost"]?.hasSuffix(": 100 B (33.33% of total)") == true, "\(parse)")
        #expect(parse["self"]?.hasPrefix("self: 100 B (33.33%)") == true, "\(parse)")
        #expect(handle["function"] == "the function in all its 2 boxes: self 40 B (13.33%), total 200 B (66.67%)", "\(handle)")
        #expect(tips["main"]?["self"]?.hasPrefix("self: 0 B (0.00%)") == true, "\(tips["main"] ?? [:])")
        #expect(tips["main"]?["cost"]?.hasSuffix(": 300 B (100.00% of total)") == true, "\(tips["main"] ?? [:])")
        #expect(tips["store_put"]?["origin"] == "code of its own libraries")
        #expect(tips["deflateInit2_"]?["origin"] == "code of system libraries")
        #expect(tips["qsort"]?["origin"] == "code of libc, loader and language runtimes")
        #expect(tips["std::function<void ()>::operator()() const"]?["origin"] == "code of libc, loader and language runtimes")
        #expect(tips["compare"]?["origin"] == "code of the program")
        let threadTip = try #require(details["threadTip"] as? [String: String], "a thread's view")
        #expect(threadTip["thread"]?.hasPrefix("thread ") == true && threadTip["thread"]?.hasSuffix(" alone") == true, "\(threadTip)")
        #expect(tips["parse"]?["thread"] == nil, "no thread line in the whole run's view")

        let byFunction = try #require(details["functionColours"] as? [String: [String: Any]])
        let byModule = try #require(details["moduleColours"] as? [String: [String: Any]])
        let expected: [String: Colour] = [
            "handle": Palette.module("server", origin: .application), "parse": Palette.module("server", origin: .application),
            "store_put": Palette.module("libstore.so.2", origin: .ownLibrary),
            "deflateInit2_": Palette.module("libz.so.1", origin: .systemLibrary),
            "qsort": Palette.module("libc.so.6", origin: .runtime),
            "std::function<void ()>::operator()() const": Palette.origin(.runtime),
        ]
        for (name, colour) in expected {
            #expect(byModule[name]?["fill"] as? String == colour.hexString, "\(name) by module")
            #expect(byFunction[name]?["fill"] as? String == Palette.flame(name).hexString, "\(name) by function")
        }
        #expect(Set(expected.values.map(\.hexString)).count == expected.count - 1, "modules and origins have colours of their own")
        #expect(details["pictureShownByModule"] as? Bool == false)
        #expect(details["legendHeightByFunction"] as? Double == 0, "no module legend while colouring by function")
        #expect((details["hash"] as? String)?.contains("colour=module") == true)
        let legend = try #require(details["legend"] as? [String])
        #expect(legend.contains("the program: server"), "\(legend)")
        #expect(legend.contains("its own libraries: libstore.so.2"), "\(legend)")
        #expect(legend.contains("system libraries: libz.so.1"), "\(legend)")
        #expect(legend.contains("libc, loader and language runtimes: libc.so.6"), "\(legend)")

        let reflow = try #require(details["reflow"] as? [String: [String: Double]])
        let before = try #require(reflow["before"]), narrow = try #require(reflow["narrow"]), after = try #require(reflow["after"])
        #expect(narrow["view"]! < before["view"]! - 100, "\(reflow)")
        #expect(narrow["canvas"] == narrow["view"] && narrow["scroll"] == narrow["view"], "the graph reflows to the narrower view: \(reflow)")
        #expect(after["canvas"] == before["canvas"], "and back: \(reflow)")
    }

    /// Issue 21 §5: a large table filters its rows by text; a site's link selects its
    /// function in the flamegraph (outlined, in sight, in the URL) with its callers and
    /// callees merged over the graph, exact; clicking a box and "show in table" brings its
    /// row back into sight, clearing a filter that hid it.
    @Test func tablesLeadSomewhere() throws {
        let result = try Self.selftest(Self.render(Self.detailsDump()), flags: ["--window-size=1300,900"])
        let tables = try #require(result["tables"] as? [String: Any])
        let filter = try #require(tables["filter"] as? [String: Any], "the top-sites table has a filter box")
        // The page's own self-test sorted the table by site, descending, before: store_put is first.
        #expect(filter["needle"] as? String == "store_put")
        #expect(filter["rows"] as? Int == 14 && filter["shown"] as? Int == 1, "\(filter)")
        #expect(filter["status"] as? String == "1 of 14 rows")
        let toFlame = try #require(tables["toFlame"] as? [String: Any])
        #expect(toFlame["selected"] as? String == "handle", "\(toFlame)")
        #expect((toFlame["hash"] as? String)?.contains("frame=handle") == true)
        #expect(toFlame["boxInSight"] as? Bool == true, "the page scrolled to the box")
        let select = try #require(toFlame["select"] as? String)
        #expect(toFlame["edge"] as? String == select, "the function's box is outlined: \(toFlame)")
        #expect(tables["callers"] as? [[String]] == [["main", "140 B", "70.00%"], ["worker", "60 B", "30.00%"]])
        #expect(tables["callees"] as? [[String]] == [["parse", "100 B", "50.00%"], ["store_put", "60 B", "30.00%"],
                                                    ["— allocated in the function itself", "40 B", "20.00%"]])
        #expect((toFlame["panel"] as? String)?.contains("total 200 B (66.67%), self 40 B (13.33%), in 2 boxes") == true, "\(toFlame)")
        #expect(tables["clickSelected"] as? String == "handle")
        #expect(tables["toTableEnabled"] as? Bool == true)
        let row = try #require(tables["toTable"] as? [String: Any])
        #expect(row["table"] as? String == "sites-table" && row["frame"] as? String == "handle", "\(row)")
        #expect(row["hidden"] as? Bool == false, "the filter that hid the row is cleared")
        #expect(row["inSight"] as? Bool == true)
    }
}
