#if canImport(Glibc)
import Glibc
#endif

/// A file written under a temporary name in the target directory and renamed into
/// place by ``commit()``, so a killed writer never leaves half a file behind.
///
/// A target that exists and is not a regular file (a device such as `/dev/stdout`, a
/// FIFO, a socket) is written into directly, never replaced.
public final class AtomicOutputFile {
    public let path: String
    private let temporaryPath: String
    private let fd: Int32
    private var committed = false
    /// Writing straight into a device, FIFO or socket.
    private let direct: Bool
    /// The temporary file's slot in ``TemporaryFiles`` (removed on SIGINT, SIGTERM, SIGHUP).
    private var cleanupSlot: Int?

    /// Whether writing `path` would replace an existing regular file (what --force is for).
    public static func wouldReplaceFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Creates the temporary file. With `overwrite == false` an existing `path` is refused.
    public init(path: String, overwrite: Bool = true) throws {
        self.path = path
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            guard (info.st_mode & S_IFMT) != S_IFDIR else {
                throw DumpError(path: path, problem: .writeFailed(reason: "it is a directory"))
            }
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw DumpError(path: path, problem: .writeFailed(reason: String(cString: strerror(errno)))) }
            self.fd = fd
            temporaryPath = ""
            direct = true
            return
        }
        direct = false
        if !overwrite && access(path, F_OK) == 0 {
            throw DumpError(path: path, problem: .outputExists)
        }
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let name = path.contains("/") ? String(path[path.index(after: path.lastIndex(of: "/")!)...]) : path
        var template = Array("\(directory.isEmpty ? "/" : directory)/.\(name).tmp-XXXXXX".utf8CString)
        var fd: Int32 = -1
        let (created, slot) = TemporaryFiles.create {
            fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            return fd >= 0 ? template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } : nil
        }
        guard let created else {
            throw DumpError(path: path, problem: .writeFailed(reason: String(cString: strerror(errno))))
        }
        self.fd = fd
        self.temporaryPath = created
        cleanupSlot = slot
        fchmod(fd, 0o644)
    }

    deinit {
        if !committed {
            close(fd)
            if !direct { unlink(temporaryPath) }
        }
        TemporaryFiles.unregister(cleanupSlot)
    }

    /// Appends bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw DumpError(path: path, problem: .writeFailed(reason: String(cString: strerror(errno))))
            }
            offset += n
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Flushes, closes and renames the file into place.
    public func commit() throws {
        guard !committed else { return }
        committed = true
        if direct {
            guard close(fd) == 0 else { throw DumpError(path: path, problem: .writeFailed(reason: String(cString: strerror(errno)))) }
            return
        }
        let failed = close(fd) != 0
        defer {
            TemporaryFiles.unregister(cleanupSlot)
            cleanupSlot = nil
        }
        if failed || rename(temporaryPath, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw DumpError(path: path, problem: .writeFailed(reason: reason))
        }
    }
}

extension AtomicOutputFile {
    /// Writes every file or none: each is written under a temporary name by its `write`,
    /// and only once all are written are they renamed into place. A failed write (a full
    /// disk) leaves the targets as they were; the temporary files remove themselves.
    public static func writeAll(_ files: [(path: String, write: (AtomicOutputFile) throws -> Void)]) throws {
        var staged: [AtomicOutputFile] = []
        for (path, write) in files {
            let file = try AtomicOutputFile(path: path)
            try write(file)
            staged.append(file)
        }
        for file in staged { try file.commit() }
    }
}
