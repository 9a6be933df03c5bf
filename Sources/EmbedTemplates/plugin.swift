import Foundation
import PackagePlugin

/// Compiles the report's templates (`Templates/*.html`, `*.css`, `*.js`) into the
/// MemscopeTemplates module as string literals, so a `memscope` binary copied anywhere
/// writes reports with no resource bundle beside it (the Swift counterpart of Rust's
/// `include_str!`). The templates stay plain files to edit; every build embeds them anew.
@main
struct EmbedTemplates: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let directory = context.package.directoryURL.appending(path: "Templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            .filter { $0.hasSuffix(".html") || $0.hasSuffix(".css") || $0.hasSuffix(".js") }
        let inputs = names.map { directory.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedTemplates.swift")
        return [.buildCommand(displayName: "Embedding the report templates",
                              executable: try context.tool(named: "memscope-embed").url,
                              arguments: [output.path] + inputs.map(\.path),
                              inputFiles: inputs, outputFiles: [output])]
    }
}
