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

    /// `path` itself for a regular file (or one that does not exist: the reader reports
    /// it); else the path of a copy of what it holds.
    static func materialize(_ path: String) throws -> String {
        let source = path == "-" ? "/dev/stdin" : path
        var info = stat()
        guard stat(source, &info) == 0 else { return path }
        let type = info.st_mode & S_IFMT
        guard type == S_IFIFO || type == S_IFCHR || type == S_IFSOCK else { return path }
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

    static func removeCopies() {
        for copy in copies {
            unlink(copy)
            rmdir(String(copy[..<copy.lastIndex(of: "/")!]))
        }
        copies = []
    }
}
