import Foundation
import MemscopeFormat

#if canImport(Glibc)
import Glibc
#endif

/// Inputs that are not regular files (`-`, `/dev/stdin`, a FIFO, process substitution):
/// their bytes are read once, as they come, into a temporary file, which the readers then
/// use like any other (format detection reads a file's first bytes, then the reader
/// starts over: a pipe cannot be read twice). The copy takes disk, not memory, and is
/// removed when memscope exits. A FIFO whose writer is gone ends with what it held.
enum PipedInput {
    nonisolated(unsafe) private static var copies: [String] = []
    /// What to call a path materialize returned in messages and reports: the name the user
    /// gave, not the temporary copy's.
    nonisolated(unsafe) private static var shownNames: [String: String] = [:]

    /// `path` itself for a regular file (or one that does not exist: the reader reports
    /// it); `/dev/stdin` for `-` when standard input is a regular file (`< dump.msd`);
    /// else the path of a copy of what it holds.
    static func materialize(_ path: String) throws -> String {
        let source = path == "-" ? "/dev/stdin" : path
        var info = stat()
        guard stat(source, &info) == 0 else { return path }
        let type = info.st_mode & S_IFMT
        guard type == S_IFIFO || type == S_IFCHR || type == S_IFSOCK else {
            if path == "-" { shownNames[source] = shownName(of: path) }
            return path == "-" ? source : path
        }
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw DumpError(path: path, problem: .cannotOpen(reason: String(cString: strerror(errno)))) }
        defer { close(input) }
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("memscope-input-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw DumpError(path: path, problem: .cannotOpen(reason: "cannot make a temporary directory: \(String(cString: strerror(errno)))"))
        }
        let directory = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let name = path == "-" || path == "/dev/stdin" ? "stdin" : URL(fileURLWithPath: path).lastPathComponent
        let copy = directory + "/" + name
        let output = open(copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw DumpError(path: path, problem: .cannotOpen(reason: String(cString: strerror(errno)))) }
        defer { close(output) }
        if copies.isEmpty { atexit { PipedInput.removeCopies() } }
        copies.append(copy)
        shownNames[copy] = shownName(of: path)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw DumpError(path: path, problem: .cannotOpen(reason: String(cString: strerror(errno))))
            }
            var written = 0
            while written < n {
                let w = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, n - written) }
                guard w > 0 else {
                    throw DumpError(path: copy, problem: .writeFailed(reason: String(cString: strerror(errno))))
                }
                written += w
            }
        }
        return copy
    }

    /// The name to show for `path`, a path materialize returned: "standard input" for `-`
    /// and `/dev/stdin`, else the path the user gave.
    static func displayName(_ path: String) -> String { shownNames[path] ?? path }

    /// `text` with every copy's path replaced by the name the user knows it by (error
    /// messages and warnings name the file they read).
    static func unmask(_ text: String) -> String {
        var text = text
        for (copy, name) in shownNames.sorted(by: { $0.key.count > $1.key.count }) where copy != name {
            text = text.replacingOccurrences(of: copy, with: name)
        }
        return text
    }

    private static func shownName(of path: String) -> String {
        path == "-" || path == "/dev/stdin" ? "standard input" : path
    }

    static func removeCopies() {
        for copy in copies {
            unlink(copy)
            rmdir(String(copy[..<copy.lastIndex(of: "/")!]))
        }
        copies = []
    }
}
