import MemscopeModel

extension Analysis {
    /// `function (file:line) [module]` for a call-tree node; `all` for the root.
    public func label(of node: CallTree.Node, isRoot: Bool = false) -> String {
        if isRoot { return "all" }
        var text = symbols.displayName(ofFrame: node.frame)
        let file = symbols.string(node.file)
        if !file.isEmpty { text += " (\(file)\(node.line > 0 ? ":\(node.line)" : ""))" }
        let module = symbols.string(node.module)
        if !module.isEmpty { text += " [\(baseName(module))]" }
        return text
    }

    /// The frames of a stack, innermost first, as `function (file:line) [module]`.
    public func describeStack(_ stack: UInt32) -> [String] {
        symbols.frames(ofStack: stack).map { frameID in
            let frame = symbols.frame(frameID)
            var text = symbols.displayName(ofFrame: frameID)
            let location = symbols.location(ofFrame: frameID)
            if !location.isEmpty { text += " (\(location))" }
            let module = symbols.string(frame.module)
            if !module.isEmpty { text += " [\(baseName(module))]" }
            return text
        }
    }

    /// The name of a thread: `4243 "worker-1"` or `4243`.
    public func threadLabel(_ thread: UInt32) -> String {
        if let stats = threads.first(where: { $0.thread == thread }), !stats.name.isEmpty {
            return "\(thread) \"\(stats.name)\""
        }
        return "\(thread)"
    }

    /// How the program ended, in words.
    public var endDescription: String {
        guard let end = processEnd else {
            return truncated ? "unknown (the dump is cut off)" : "unknown (no process_end record)"
        }
        switch end.how {
        case .exited: return "exited with status \(end.code)"
        case .signalled: return "killed by signal \(end.code)\(signalName(end.code).map { " (\($0))" } ?? "")"
        case .unknown: return "unknown"
        }
    }
}

/// The conventional name of a Linux signal number.
public func signalName(_ number: UInt32) -> String? {
    let names: [UInt32: String] = [
        1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
        8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE",
        14: "SIGALRM", 15: "SIGTERM",
    ]
    return names[number]
}
