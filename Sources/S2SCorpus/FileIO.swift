#if canImport(Glibc)
import Glibc
#endif

/// Reads a file (or stdin, path "-") line by line through one reusable buffer, handing out
/// each line as bytes without allocating. A trailing CR (CRLF files) and a UTF-8 BOM on the
/// first line are not part of the text. A last line without a newline still counts.
///
/// Reading a pipe or terminal waits in `poll` with a short timeout and asks `isCancelled` in
/// between, so Ctrl-C stops an import that is waiting for more input. (Relying on EINTR is not
/// enough: the signal may be delivered to another thread of the process, e.g. an OpenMP worker.)
final class LineReader {
    /// The name used in error messages: the path, or `<stdin>`.
    let name: String
    /// 1-based number of the line returned last.
    private(set) var lineNumber = 0
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    /// Bytes from `start` already known to hold no newline (so a long line is scanned once).
    private var scanned = 0
    private var atEOF = false
    /// A pipe, FIFO, socket or terminal: a read may block indefinitely.
    private let mayBlock: Bool
    private let isCancelled: () -> Bool

    init(path: String, bufferSize: Int = 1 << 20, isCancelled: @escaping () -> Bool = { false }) throws(CorpusError) {
        if path == "-" {
            fd = 0
            ownsDescriptor = false
            name = "<stdin>"
        } else {
            let opened = open(path, O_RDONLY | O_CLOEXEC)
            guard opened >= 0 else { throw .posix(path, "cannot open") }
            var info = stat()
            if fstat(opened, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
                close(opened)
                throw .io(path: path, message: "is a directory")
            }
            fd = opened
            ownsDescriptor = true
            name = path
        }
        var info = stat()
        mayBlock = fstat(fd, &info) != 0 || (info.st_mode & S_IFMT) != S_IFREG
        capacity = bufferSize
        buffer = .allocate(capacity: bufferSize)
        self.isCancelled = isCancelled
    }

    deinit {
        buffer.deallocate()
        if ownsDescriptor { close(fd) }
    }

    /// The next line without its terminator, valid until the next call; nil at end of input.
    func next() throws(CorpusError) -> UnsafeBufferPointer<UInt8>? {
        while true {
            let from = start + scanned
            if from < end, let hit = memchr(buffer + from, 0x0A, end - from) {
                let newline = hit.assumingMemoryBound(to: UInt8.self) - buffer
                let line = makeLine(from: start, to: newline)
                start = newline + 1
                scanned = 0
                return line
            }
            scanned = end - start
            if atEOF {
                guard start < end else { return nil }
                let line = makeLine(from: start, to: end)
                start = end
                scanned = 0
                return line
            }
            try fill()
        }
    }

    /// Counts the lines left (to report both counts when aligned files differ in length).
    func countRemaining() throws(CorpusError) -> Int {
        var count = 0
        while try next() != nil { count += 1 }
        return count
    }

    private func makeLine(from lineStart: Int, to lineEnd: Int) -> UnsafeBufferPointer<UInt8> {
        lineNumber += 1
        var s = lineStart, e = lineEnd
        if e > s && buffer[e - 1] == 0x0D { e -= 1 }
        if lineNumber == 1 && e - s >= 3 && buffer[s] == 0xEF && buffer[s + 1] == 0xBB && buffer[s + 2] == 0xBF { s += 3 }
        return UnsafeBufferPointer(start: buffer + s, count: e - s)
    }

    /// Moves the unread tail to the front, grows the buffer for a line longer than it, reads more.
    private func fill() throws(CorpusError) {
        if start > 0 {
            memmove(buffer, buffer + start, end - start)
            end -= start
            start = 0
        }
        if end == capacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        while true {
            if mayBlock {
                var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&waiting, 1, 100)
                if isCancelled() { throw .interrupted }
                if ready == 0 || (ready < 0 && errno == EINTR) { continue }
            }
            let n = read(fd, buffer + end, capacity - end)
            if n > 0 { end += n; return }
            if n == 0 { atEOF = true; return }
            if errno == EINTR {
                if isCancelled() { throw .interrupted }
                continue
            }
            throw .posix(name, "read failed")
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
