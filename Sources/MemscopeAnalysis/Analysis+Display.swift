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
        func shorten(_ text: inout String) {
            guard text.utf8.count > maxCharacters else { return } // bytes bound characters: most strings stop here
            let shortened = Units.shortened(text, to: maxCharacters)
            if shortened != text {
                text = shortened
                cut += 1
            }
        }
        for i in copy.threads.indices { shorten(&copy.threads[i].name) }
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
        for i in copy.metadata.commandLine.indices { shorten(&copy.metadata.commandLine[i]) }
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
