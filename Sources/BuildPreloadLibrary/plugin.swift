import Foundation
import PackagePlugin

/// Builds the recorder's LD_PRELOAD library (`Sources/MemscopePreload/*.c`) with the system C
/// compiler, so that it links only libc and libunwind. A SwiftPM dynamic-library
/// product would link the Swift runtime into every traced program.
///
/// The library lands in the `memscope` target's resource directory, next to the
/// executable: `.build/<config>/memscope_memscope.resources/libmemscope-preload.so`.
@main
struct BuildPreloadLibrary: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let sourceDirectory = context.package.directoryURL.appending(path: "Sources/MemscopePreload")
        let names = try FileManager.default.contentsOfDirectory(atPath: sourceDirectory.path).sorted()
        let sources = names.filter { $0.hasSuffix(".c") }.map { sourceDirectory.appending(path: $0) }
        let headers = names.filter { $0.hasSuffix(".h") }.map { sourceDirectory.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "libmemscope-preload.so")
        let compiler = ["/usr/bin/cc", "/usr/bin/gcc"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let executable = try compiler.map { URL(fileURLWithPath: $0) } ?? context.tool(named: "clang").url
        let arguments = [
            "-shared", "-fPIC", "-O2", "-g", "-std=gnu11", "-fvisibility=hidden",
            "-fno-omit-frame-pointer", "-ftls-model=initial-exec", "-Wall", "-Wextra",
            "-Wl,-z,now", "-Wl,--as-needed", "-o", output.path,
        ] + sources.map(\.path) + ["-lunwind"]
        return [.buildCommand(displayName: "Building the recorder's preload library",
                              executable: executable, arguments: arguments,
                              inputFiles: sources + headers, outputFiles: [output])]
    }
}
