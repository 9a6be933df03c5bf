import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeImport
import MemscopeLayout
import MemscopeModel
import MemscopeReport

/// The fuzz targets, by the name `MEMSCOPE_FUZZ_TARGET` (or a replayed file's
/// `NAME--` prefix) gives.
enum Target: String, CaseIterable {
    // Each reader alone, from memory, reading only.
    case msd, jsonl, heaptrack, massif, dhat, folded
    case memscopeRsJSON = "memscope-rs-json"
    case memscopeRsBinary = "memscope-rs-binary"
    /// Records made from the input, through the analysis, the summary and the pure layouts.
    case analysis
    /// A tiny analysis whose every string comes from the input, rendered to the report's
    /// HTML; an element or attribute the template does not produce is a finding.
    case report
    /// Any reader (the input's first byte picks it) from a file, through the whole pipeline.
    case pipeline

    func run(_ bytes: UnsafeRawBufferPointer) {
        switch self {
        case .analysis: fuzzAnalysis(bytes)
        case .report: fuzzReport(bytes)
        case .pipeline: fuzzPipeline(bytes, scratch: scratch)
        default:
            do {
                _ = try InMemoryReader.read(Array(bytes), as: InMemoryReader.Kind(rawValue: rawValue)!)
            } catch {
                _ = "\(error)"
            }
        }
    }
}

/// The analysis, the summary and the pure layouts (no Cairo) of `analysis`: their
/// arithmetic meets the input's times and sizes.
func exerciseAnalysis(_ analysis: Analysis, format: String) {
    _ = Summary(analysis: analysis, format: format, path: "input").text()
    _ = Summary(analysis: analysis, format: format, path: "input").json
    let filtered = FrameFilter().apply(to: analysis)
    let measurer = FixedAdvanceMeasurer()
    _ = TimelineLayout.scene(filtered, measurer: measurer)
    _ = LifetimeLayout.lanes(filtered, sites: LifetimeLayout.topSites(filtered), measurer: measurer)
    _ = LifetimeLayout.threadLanes(filtered, measurer: measurer)
    let graph = FlameGraphBuilder.build(filtered, direction: .topDown)
    _ = FlameLayout.scene(graph, cost: .bytesAllocated, measurer: measurer)
}

func fuzzAnalysis(_ bytes: UnsafeRawBufferPointer) {
    var input = FuzzBytes(bytes)
    var options = AnalysisOptions()
    options.timelinePoints = 1 + Int(input.byte())
    options.timelineSlices = Int(input.byte() % 4) * 16
    var maker = RecordMaker(&input)
    while !input.isEmpty && maker.records.count < 4096 { maker.next(&input) }
    let analyzer = Analyzer(options: options)
    analyzer.consume(maker.records)
    exerciseAnalysis(analyzer.finish(), format: "msd")
}

/// The report target's records: eight names from the input as functions, files, modules,
/// thread names (and the meta record's), on two threads with leaks, a double free and a
/// realloc; then up to 15 more records of any kind.
func reportRecords(_ bytes: UnsafeRawBufferPointer, rename: @escaping (String) -> String) -> [Record] {
    var input = FuzzBytes(bytes)
    var maker = RecordMaker(&input, rename: rename)
    let names = (0..<8).map { _ in maker.string(input.string()) }
    let frames = (0..<4).map { k in
        maker.frame(function: names[k], file: names[4 + k], line: UInt32(k + 1), module: names[(k + 5) % 8], ip: 0x1000 + UInt64(k))
    }
    let a = maker.stack(parent: 0, frame: frames[0])
    let b = maker.stack(parent: a, frame: frames[1])
    let c = maker.stack(parent: b, frame: frames[2])
    let d = maker.stack(parent: a, frame: frames[3])
    maker.append(.threadName(timestamp: 0, thread: 1, name: names[6]))
    maker.append(.threadName(timestamp: 0, thread: 2, name: names[7]))
    for i in 0..<UInt64(8) {
        let stack = [b, c, d][Int(i % 3)]
        maker.append(.alloc(Alloc(timestamp: 10 * i, thread: 1 + UInt32(i % 2), address: 0x100 * (i + 1), size: 16 << i, stack: stack)))
        if i % 3 != 0 { maker.append(.free(Free(timestamp: 10 * i + 5, thread: 1, address: 0x100 * (i + 1), stack: c))) }
    }
    maker.append(.free(Free(timestamp: 100, thread: 2, address: 0x200, stack: d)))  // freed twice
    maker.append(.realloc(Realloc(timestamp: 110, thread: 1, oldAddress: 0x100, newAddress: 0x5000, newSize: 4096, stack: c)))
    for _ in 0..<Int(input.byte() % 16) { maker.next(&input) }
    maker.append(.processEnd(ProcessEnd(timestamp: 200, how: .exited, code: 0)))
    return maker.records
}

func reportHTML(_ records: [Record]) throws -> String {
    var options = AnalysisOptions()
    options.timelinePoints = 64
    options.timelineSlices = 64
    let analyzer = Analyzer(options: options)
    analyzer.consume(records)
    let analysis = analyzer.finish()
    let topDown = FlameGraphBuilder.buildWithNodeMap(analysis, direction: .topDown)
    let bottomUp = FlameGraphBuilder.buildWithNodeMap(analysis, direction: .bottomUp)
    // Cairo's pictures are left out: their text is drawn as glyphs, and painting costs more than the page.
    let pictures = ReportPictures(timelineSVG: "<svg></svg>", lifetimeHistogramSVG: "<svg></svg>", lanesSVG: "<svg></svg>",
                                  sizeHistogramSVG: "<svg></svg>", flamePNGs: [.peak: [0x89, 0x50]])
    var input = ReportInput(analysis: analysis, inputPath: "input.msd", format: "msd", version: "fuzz",
                            topDown: topDown.graph, bottomUp: bottomUp.graph, flameLayout: .default, flameOptions: .default,
                            pictures: pictures, defaultCost: .peak)
    input.timeline = TimelineOverlay(analysis, filter: .none, topDownBoxOfNode: topDown.boxOfTreeNode,
                                     bottomUpBoxOfNode: bottomUp.boxOfTreeNode)
    return try HTMLReport.render(input)
}

/// The same records with every string replaced by a neutral name (equal strings by equal
/// names, the empty string kept): what the template produces for this analysis.
func neutralTags(_ bytes: UnsafeRawBufferPointer) -> HTMLTags? {
    var names: [String: String] = [:]
    let records = reportRecords(bytes) { text in
        if text.isEmpty { return text }
        if let name = names[text] { return name }
        let name = "name\(names.count)"
        names[text] = name
        return name
    }
    return (try? reportHTML(records)).map(HTMLTags.init)
}

/// The same records with each string kept but unable to open a tag: a `<` before a letter,
/// `/`, `!` or `?` becomes `‹`, unless it follows a name character (C++ and Rust generics,
/// `Rc<T>`, which the report reads). Names keep their meaning (an allocator's `strdup`, a
/// frame with no symbol above it), so markup the template adds because of what a name
/// means is produced here too; markup made of the input is not.
func defusedTags(_ bytes: UnsafeRawBufferPointer) -> HTMLTags? {
    let records = reportRecords(bytes) { text in
        var out = ""
        var previous: Character = " "
        var characters = text.makeIterator()
        var next = characters.next()
        while let c = next {
            next = characters.next()
            let opensTag = c == "<" && next.map { $0.isLetter || $0 == "/" || $0 == "!" || $0 == "?" } == true
            let afterName = previous.isLetter || previous.isNumber || previous == "_" || previous == ":"
            out.append(opensTag && !afterName ? "‹" : c)
            previous = c
        }
        return out
    }
    return (try? reportHTML(records)).map(HTMLTags.init)
}

/// Element and attribute names the template is known to produce (grown from neutral renders).
nonisolated(unsafe) var templateTags: HTMLTags?

func fuzzReport(_ bytes: UnsafeRawBufferPointer) {
    guard let html = try? reportHTML(reportRecords(bytes, rename: { $0 })) else { return }
    let tags = HTMLTags(html)
    if templateTags == nil {
        let neutral = neutralTags(UnsafeRawBufferPointer(start: nil, count: 0)) ?? HTMLTags("")
        // The check itself: markup added to a neutral page is seen.
        let injected = HTMLTags("<p class='<b>'>x</p><iframe srcdoc=x onmouseover=alert(1)></iframe>").extra(beyond: neutral)
        if injected != ["element <iframe>", "attribute onmouseover", "attribute srcdoc"] || !neutral.elements.contains("script") {
            fatalError("the report target's tag check misses markup: \(injected), of \(neutral)")
        }
        templateTags = neutral
    }
    guard !tags.extra(beyond: templateTags!).isEmpty else { return }
    if let neutral = neutralTags(bytes) { templateTags!.formUnion(neutral) }
    if !tags.extra(beyond: templateTags!).isEmpty, let defused = defusedTags(bytes) { templateTags!.formUnion(defused) }
    let extra = tags.extra(beyond: templateTags!)
    if !extra.isEmpty {
        fatalError("the report holds markup from its input: \(extra.joined(separator: ", "))")
    }
}

/// Runs one input through its reader (the first byte picks it), the analysis and the
/// summary, from a file: errors are the expected outcome of most inputs, traps are findings.
let pipelineReaders: [InputFormat?] = [nil, .msd, .jsonl, .heaptrack, .massif, .dhat, .memscopeRs, .folded]

func fuzzPipeline(_ bytes: UnsafeRawBufferPointer, scratch: String) {
    guard let first = bytes.first else { return }
    let format = pipelineReaders[Int(first) % pipelineReaders.count]
    let body = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
    guard let file = fopen(scratch, "wb") else { return }
    if body.count > 0 { fwrite(body.baseAddress, 1, body.count, file) }
    fclose(file)
    do {
        var options = AnalysisOptions()
        options.timelinePoints = 64
        let (analysis, detected) = try InputLoader.analyze(path: scratch, format: format, options: options)
        exerciseAnalysis(analysis, format: detected.rawValue)
    } catch {
        _ = "\(error)"
    }
}

let scratch = (NSTemporaryDirectory() as NSString).appendingPathComponent("memscope-fuzz-\(getpid())")
