#if canImport(Glibc)
import Glibc
#endif
import S2SText

/// The importer reads through S2SText's `ByteLineReader` (stdin for "-", CR and BOM dropped,
/// Ctrl-C noticed while waiting on a pipe); these put its failures in the importer's words.
extension ByteLineReader {
    convenience init(corpusInput path: String, isCancelled: @escaping () -> Bool) throws(CorpusError) {
        do {
            try self.init(path: path, isCancelled: isCancelled)
        } catch {
            throw CorpusError.reading(error, path)
        }
    }

    /// The next line, or nil at the end of the input.
    func nextLine() throws(CorpusError) -> UnsafeBufferPointer<UInt8>? {
        do { return try next() } catch { throw CorpusError.reading(error, name) }
    }

    /// The lines left.
    func linesRemaining() throws(CorpusError) -> Int {
        do { return try countRemaining() } catch { throw CorpusError.reading(error, name) }
    }
}

extension CorpusError {
    static func reading(_ failure: ByteLineReader.Failure, _ path: String) -> CorpusError {
        switch failure.kind {
        case .open: return .io(path: path, message: "cannot open: \(failure.detail)")
        case .isDirectory: return .io(path: path, message: "is a directory")
        case .read: return .io(path: path, message: "read failed: \(failure.detail)")
        case .interrupted: return .interrupted
        }
    }
}

/// Writes a file through a temporary sibling and renames it into place on `commit()`, so a
/// failed or interrupted export never leaves a half-written file under the real name.
final class AtomicFileWriter {
    let path: String
    private let temporaryPath: String
    private var fd: Int32
    private var pending: [UInt8] = []
    private var committed = false

    init(path: String) throws(CorpusError) {
        self.path = path
        temporaryPath = "\(path).tmp-\(getpid())"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .posix(path, "cannot create") }
        pending.reserveCapacity(1 << 20)
    }

    deinit { if !committed { abandon() } }

    func write(_ bytes: UnsafeRawBufferPointer) throws(CorpusError) {
        pending.append(contentsOf: bytes)
        if pending.count >= 1 << 20 { try flush() }
    }

    func write(byte: UInt8) throws(CorpusError) {
        pending.append(byte)
    }

    private func flush() throws(CorpusError) {
        var offset = 0
        while offset < pending.count {
            let n = pending.withUnsafeBytes { bytes in
                bytes.baseAddress.map { Glibc.write(fd, $0 + offset, bytes.count - offset) } ?? 0
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .posix(path, "write failed")
            }
            offset += n
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the file into place.
    func commit() throws(CorpusError) {
        try flush()
        guard fsync(fd) == 0 else { throw .posix(path, "fsync failed") }
        close(fd)
        fd = -1
        guard rename(temporaryPath, path) == 0 else { throw .posix(path, "cannot rename into place") }
        committed = true
    }

    /// Drops the temporary file.
    func abandon() {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(temporaryPath)
    }
}

enum FileIO {
    /// `path` made absolute against the working directory (for provenance notes).
    static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/"), let cwd = getcwd(nil, 0) else { return path }
        defer { free(cwd) }
        return String(cString: cwd) + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }

    /// `mkdir -p` for the directory holding `path`.
    static func makeDirectories(parentOf path: String) throws(CorpusError) {
        var components = path.split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast()
        var current = path.hasPrefix("/") ? "" : "."
        for component in components where !component.isEmpty {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw .posix(current, "cannot create directory")
            }
        }
    }
}
