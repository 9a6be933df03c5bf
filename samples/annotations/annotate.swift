// Annotations from Swift: swiftc -g samples/annotations/annotate.swift -o annotate-swift
// then: memscope record -o annotate-swift.msd -- ./annotate-swift
#if canImport(Glibc)
import Glibc
#endif

/// memscope's entry points, found with dlsym; nil when the program runs without memscope.
enum Memscope {
    typealias Annotate = @convention(c) (UnsafeRawPointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void
    typealias ScopeEnter = @convention(c) (UnsafePointer<CChar>?) -> Void
    typealias ScopeExit = @convention(c) () -> Void

    static func lookup<T>(_ name: String, as type: T.Type) -> T? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }

    static func annotate(_ pointer: UnsafeRawPointer, name: String, type: String) {
        lookup("memscope_annotate", as: Annotate.self)?(pointer, name, type)
    }

    static func scope<R>(_ name: String, _ body: () -> R) -> R {
        lookup("memscope_scope_enter", as: ScopeEnter.self)?(name)
        defer { lookup("memscope_scope_exit", as: ScopeExit.self)?() }
        return body()
    }
}

final class Node {
    var children: [Node] = []
}

let root = Memscope.scope("build_tree") { () -> Node in
    let root = Node()
    for _ in 0..<10 { root.children.append(Node()) }
    Memscope.annotate(Unmanaged.passUnretained(root).toOpaque(), name: "root", type: "Node")
    return root
}
print("\(root.children.count) children")
