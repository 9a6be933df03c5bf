import MemscopeModel

extension Analysis {
    /// The longest string a report shows: function, file and module names, thread names
    /// and command-line arguments longer than this are cut in the middle.
    public static let displayedStringLimit = 4096

    /// A copy for pages and pictures, with every string from the input longer than
    /// `maxCharacters` shortened (``Units/shortened(_:to:)``) and a note saying so; the
    /// full strings stay in `summary --json`, `export` and `inspect`.
    public func shortenedForDisplay(maxCharacters: Int = Analysis.displayedStringLimit) -> Analysis {
        var copy = self
        var cut = copy.symbols.shortenStrings(to: maxCharacters)
        for i in copy.threads.indices where copy.threads[i].name.utf8.count > maxCharacters {
            copy.threads[i].name = Units.shortened(copy.threads[i].name, to: maxCharacters)
            cut += 1
        }
        func shorten(_ text: inout String) {
            guard text.utf8.count > maxCharacters else { return }
            text = Units.shortened(text, to: maxCharacters)
            cut += 1
        }
        for i in copy.modules.indices { shorten(&copy.modules[i].path) }
        for i in copy.moduleHandOffs.indices {
            shorten(&copy.moduleHandOffs[i].allocatingModule)
            shorten(&copy.moduleHandOffs[i].freeingModule)
        }
        for i in copy.crossModuleLeaks.indices {
            shorten(&copy.crossModuleLeaks[i].allocatingModule)
            shorten(&copy.crossModuleLeaks[i].holderModule)
        }
        for i in copy.contexts.indices { shorten(&copy.contexts[i].name) }
        for i in copy.metadata.commandLine.indices where copy.metadata.commandLine[i].utf8.count > maxCharacters {
            copy.metadata.commandLine[i] = Units.shortened(copy.metadata.commandLine[i], to: maxCharacters)
            cut += 1
        }
        if cut > 0 {
            copy.diagnostics.warn(key: "long-strings",
                                  "strings longer than \(Units.count(UInt64(maxCharacters))) characters (names, paths or arguments) "
                                  + "are shown shortened in the middle",
                                  at: "the input's string table",
                                  hint: "memscope summary --json, export --csv and inspect print them whole")
        }
        return copy
    }
}
