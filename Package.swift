// swift-tools-version:6.0
import PackageDescription

/// memscope: memory-profiling dumps in, one offline HTML report out.
///
/// One module per pipeline stage. Imports go one way only:
/// Format → Model, Analysis → Model, Record → Format + Model, Render → the report stages,
/// memscope (CLI) → all.

/// The streaming stages (reading, importing, analysing, the model's record batches, and
/// the recorder's spool reader and dump writer)
/// check exclusive access at compile time only in release builds: their per-event state
/// lives in class instances, and the run-time checks cost about 7% of reading a heaptrack
/// file (11% more when record batches kept them). Debug builds, and so the tests, keep the
/// run-time checks. Overflow checks stay on everywhere, bounds checks everywhere but in the
/// raw per-event tables (`UncheckedStore` in MemscopeAnalysis).
let streamingStage: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "memscope",
    products: [
        .executable(name: "memscope", targets: ["memscope"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C libraries, found through pkg-config at build time.
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo",
                       providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]),
        .systemLibrary(name: "CGraphviz", pkgConfig: "libgvc", providers: [.apt(["libgraphviz-dev"])]),

        // Pipeline stages.
        .target(name: "MemscopeModel", swiftSettings: streamingStage),
        .target(name: "MemscopeFormat", dependencies: ["MemscopeModel", "CZstd", "CZlib"], swiftSettings: streamingStage),
        // A cache hint for the heaptrack reader's table lookups.
        .target(name: "CPrefetch"),
        .target(name: "MemscopeAnalysis", dependencies: ["MemscopeModel", "CPrefetch"], swiftSettings: streamingStage),
        // Other tools' files (heaptrack, massif, DHAT, memscope-rs, folded stacks) → Analysis.
        .target(name: "MemscopeImport", dependencies: ["MemscopeModel", "MemscopeFormat", "MemscopeAnalysis", "CPrefetch"],
                swiftSettings: streamingStage),
        // Who holds whom: ownership inferred from the events and the recorder's observations.
        .target(name: "MemscopeOwnership", dependencies: ["MemscopeModel", "MemscopeAnalysis", "CPrefetch"]),
        .target(name: "MemscopeScene"),
        .target(name: "MemscopeLayout", dependencies: ["MemscopeAnalysis", "MemscopeScene"]),
        // The ownership graph's picture: Graphviz places, the scene builder draws.
        .target(name: "MemscopeGraphLayout", dependencies: ["MemscopeOwnership", "MemscopeScene", "MemscopeLayout", "CGraphviz"]),
        // cairo's PNG bytes with each row's filter chosen once (libpng writes them).
        .target(name: "CPNGWriter", linkerSettings: [.linkedLibrary("png16")]),
        .target(name: "MemscopeCairo", dependencies: ["MemscopeScene", "MemscopeLayout", "CPangoCairo", "CPNGWriter"]),
        // The report's templates, compiled in as string literals by EmbedTemplates (no resource bundle to ship).
        .target(name: "MemscopeTemplates", path: "Templates",
                exclude: ["report.html", "report.css", "report.js", "timeline.js", "timeline.css", "diff.html", "diff.js"], plugins: ["EmbedTemplates"]),
        .executableTarget(name: "memscope-embed", path: "Sources/memscope-embed"),
        .plugin(name: "EmbedTemplates", capability: .buildTool(), dependencies: ["memscope-embed"], path: "Sources/EmbedTemplates"),
        .target(name: "MemscopeReport", dependencies: ["MemscopeModel", "MemscopeAnalysis", "MemscopeLayout", "MemscopeTemplates",
                                                      "MemscopeOwnership", "MemscopeGraphLayout"]),
        // A render as one stage: a plain RenderPlan in, reports out (single, batch, diff).
        .target(name: "MemscopeRender", dependencies: ["CPrefetch", "MemscopeModel", "MemscopeFormat", "MemscopeAnalysis", "MemscopeImport",
                                                      "MemscopeLayout", "MemscopeScene", "MemscopeCairo", "MemscopeReport",
                                                      "MemscopeOwnership", "MemscopeGraphLayout"]),

        // The recorder: spool → symbolized .msd (libdw, libiberty, the Swift demangler).
        .target(
            name: "CMemscopeNative",
            linkerSettings: [.linkedLibrary("dw"), .linkedLibrary("elf"), .linkedLibrary("iberty"), .linkedLibrary("z")]
        ),
        .target(name: "MemscopeRecord", dependencies: ["MemscopeModel", "MemscopeFormat", "CMemscopeNative"],
                swiftSettings: streamingStage),
        // Compiles Sources/MemscopePreload/*.c into libmemscope-preload.so with the C compiler (no Swift runtime).
        .plugin(name: "BuildPreloadLibrary", capability: .buildTool(), path: "Sources/BuildPreloadLibrary"),

        // Executables.
        .executableTarget(
            name: "memscope",
            dependencies: [
                "MemscopeModel", "MemscopeFormat", "MemscopeAnalysis", "MemscopeImport", "MemscopeLayout", "MemscopeCairo",
                "MemscopeReport", "MemscopeRender", "MemscopeRecord", "MemscopeOwnership", "MemscopeGraphLayout", "CMemscopeNative",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["BuildPreloadLibrary"]
        ),
        .executableTarget(
            name: "memscope-samples",
            dependencies: ["MemscopeModel", "MemscopeFormat"]
        ),
        .executableTarget(
            name: "memscope-ownership-eval",
            dependencies: ["MemscopeModel", "MemscopeAnalysis", "MemscopeImport", "MemscopeOwnership"]
        ),
        // Fuzz targets for every reader, the analysis and the report (MEMSCOPE_FUZZ_TARGET);
        // built with libFuzzer by scripts/fuzz.sh, built normally it replays inputs.
        .executableTarget(
            name: "memscope-fuzz",
            dependencies: ["MemscopeModel", "MemscopeFormat", "MemscopeAnalysis", "MemscopeImport", "MemscopeLayout", "MemscopeReport"]
        ),
        .executableTarget(
            name: "memscope-bench",
            dependencies: ["MemscopeModel", "MemscopeFormat", "MemscopeAnalysis"]
        ),

        // Tests.
        .target(
            name: "MemscopeTestSupport",
            dependencies: ["MemscopeModel", "MemscopeFormat", "MemscopeAnalysis"],
            path: "Tests/MemscopeTestSupport"
        ),
        .testTarget(name: "MemscopeFormatTests", dependencies: ["MemscopeFormat", "MemscopeTestSupport"]),
        .testTarget(name: "MemscopeAnalysisTests", dependencies: ["MemscopeAnalysis", "MemscopeFormat", "MemscopeTestSupport"]),
        .testTarget(
            name: "MemscopeLayoutTests",
            dependencies: ["MemscopeLayout", "MemscopeTestSupport"],
            exclude: ["Snapshots"]
        ),
        .testTarget(name: "MemscopeCairoTests", dependencies: ["MemscopeCairo", "MemscopeLayout", "MemscopeTestSupport", "CPangoCairo"]),
        .testTarget(name: "MemscopeReportTests", dependencies: ["MemscopeReport", "MemscopeLayout", "MemscopeTestSupport"]),
        .testTarget(name: "MemscopeRenderTests", dependencies: ["MemscopeRender", "MemscopeTestSupport"]),
        .testTarget(name: "MemscopeImportTests", dependencies: ["MemscopeImport", "MemscopeTestSupport"]),
        .testTarget(name: "MemscopeOwnershipTests", dependencies: ["MemscopeOwnership", "MemscopeTestSupport"]),
        .testTarget(name: "MemscopeGraphLayoutTests", dependencies: ["MemscopeGraphLayout", "MemscopeLayout", "MemscopeAnalysis"]),
        .testTarget(name: "MemscopeCLITests", dependencies: ["MemscopeTestSupport", "MemscopeRender", "memscope", "memscope-bench", "memscope-fuzz",
                                                     .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "MemscopeRecordTests", dependencies: ["MemscopeTestSupport", "MemscopeRecord", "memscope", "memscope-ownership-eval"]),
    ]
)

// The fuzz build (scripts/fuzz.sh sets MEMSCOPE_FUZZ_BUILD=1, with its own scratch path):
// libFuzzer's coverage and AddressSanitizer in every library module and in memscope-fuzz,
// which links libFuzzer. Not through -Xswiftc, which would also reach the build-tool
// executable memscope-embed, whose own main clashes with libFuzzer's.
if Context.environment["MEMSCOPE_FUZZ_BUILD"] == "1" {
    let sanitize: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]
    for target in package.targets where target.type == .regular || target.name == "memscope-fuzz" {
        target.swiftSettings = (target.swiftSettings ?? []) + sanitize
    }
    let fuzz = package.targets.first { $0.name == "memscope-fuzz" }!
    fuzz.swiftSettings! += [.define("FUZZING")]
    fuzz.linkerSettings = [.unsafeFlags(["-sanitize=fuzzer,address"])]
}
