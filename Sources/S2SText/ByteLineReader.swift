#if canImport(Glibc)
import Glibc
#endif

/// Reads a file, or a file descriptor such as stdin, line by line through one reusable buffer,
/// handing out each line as bytes without allocating: the one line reader of s2s. `LineReader`
/// (text files as checked UTF-8), the corpus importer and `s2s translate`'s stdin all read
/// through it. (S2SEval's `TextLines` splits whole files as sacrebleu does and may not import
/// this module.)
///
/// Lines end at LF; a last line without one still counts. With `stripLineEnd`, a CR before the
/// LF (CRLF files) and a UTF-8 BOM at the start of the first line are not part of the text.
///
/// Reading a pipe or terminal waits in `poll` with a short timeout and asks `isCancelled` in
/// between, so Ctrl-C stops a read that is waiting for more input. (Relying on EINTR is not
/// enough: the signal may be delivered to another thread of the process, e.g. an OpenMP worker.)
/// A read returns as soon as any bytes are there, so a line typed on a terminal is available at
/// once.
package final class ByteLineReader {
    /// Why a read failed; `detail` is the system's reason.
    package struct Failure: Error, Sendable {
        package enum Kind: Sendable { case open, isDirectory, read, interrupted }
        package let kind: Kind
        package let detail: String
    }

    /// The name used in error messages: the path, or `<stdin>`.
    package let name: String
    /// 1-based number of the line returned last (0 before the first).
    package private(set) var lineNumber = 0
    /// Bytes read from the input so far.
    package private(set) var bytesRead = 0
    /// Whether the line returned last ended with LF (false only for a last line without one).
    package private(set) var lastLineTerminated = true
    private let stripLineEnd: Bool
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

    /// Opens `path` ("-" reads stdin, unless `dashIsStandardInput` is false).
    package convenience init(path: String, dashIsStandardInput: Bool = true, stripLineEnd: Bool = true, bufferSize: Int = 1 << 20,
                            isCancelled: @escaping () -> Bool = { false }) throws(Failure) {
        if path == "-" && dashIsStandardInput {
            self.init(fileDescriptor: 0, stripLineEnd: stripLineEnd, bufferSize: bufferSize, isCancelled: isCancelled)
            return
        }
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else { throw Failure(kind: .open, detail: String(cString: strerror(errno))) }
        var info = stat()
        if fstat(opened, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(opened)
            throw Failure(kind: .isDirectory, detail: String(cString: strerror(EISDIR)))
        }
        self.init(descriptor: opened, owned: true, name: path, stripLineEnd: stripLineEnd, bufferSize: bufferSize,
                  isCancelled: isCancelled)
    }

    /// Reads an open descriptor (not closed here), e.g. stdin.
    package convenience init(fileDescriptor: Int32, name: String = "<stdin>", stripLineEnd: Bool = true, bufferSize: Int = 1 << 16,
                            isCancelled: @escaping () -> Bool = { false }) {
        self.init(descriptor: fileDescriptor, owned: false, name: name, stripLineEnd: stripLineEnd, bufferSize: bufferSize,
                  isCancelled: isCancelled)
    }

    private init(descriptor: Int32, owned: Bool, name: String, stripLineEnd: Bool, bufferSize: Int,
                 isCancelled: @escaping () -> Bool) {
        fd = descriptor
        ownsDescriptor = owned
        self.name = name
        var info = stat()
        mayBlock = fstat(fd, &info) != 0 || (info.st_mode & S_IFMT) != S_IFREG
        self.stripLineEnd = stripLineEnd
        capacity = max(bufferSize, 16)
        buffer = .allocate(capacity: capacity)
        self.isCancelled = isCancelled
    }

    deinit {
        buffer.deallocate()
        if ownsDescriptor { close(fd) }
    }

    /// The next line without its terminator, valid until the next call; nil at end of input.
    package func next() throws(Failure) -> UnsafeBufferPointer<UInt8>? {
        while true {
            let from = start + scanned
            if from < end, let hit = memchr(buffer + from, 0x0A, end - from) {
                let newline = hit.assumingMemoryBound(to: UInt8.self) - buffer
                let line = makeLine(from: start, to: newline)
                start = newline + 1
                scanned = 0
                lastLineTerminated = true
                return line
            }
            scanned = end - start
            if atEOF {
                guard start < end else { return nil }
                let line = makeLine(from: start, to: end)
                start = end
                scanned = 0
                lastLineTerminated = false
                return line
            }
            try fill()
        }
    }

    /// Whether `next()` can return a line without reading: a whole line is in the buffer, or the
    /// end of input has been seen with bytes left. Lets a streaming reader gather the lines that
    /// arrived together without ever waiting for more.
    package var hasBufferedLine: Bool {
        let from = start + scanned
        if from < end, memchr(buffer + from, 0x0A, end - from) != nil { return true }
        return atEOF && start < end
    }

    /// Counts the lines left (to report both counts when aligned files differ in length).
    package func countRemaining() throws(Failure) -> Int {
        var count = 0
        while try next() != nil { count += 1 }
        return count
    }

    private func makeLine(from lineStart: Int, to lineEnd: Int) -> UnsafeBufferPointer<UInt8> {
        lineNumber += 1
        var s = lineStart, e = lineEnd
        if stripLineEnd {
            if e > s && buffer[e - 1] == 0x0D { e -= 1 }
            if lineNumber == 1 && e - s >= 3 && buffer[s] == 0xEF && buffer[s + 1] == 0xBB && buffer[s + 2] == 0xBF { s += 3 }
        }
        return UnsafeBufferPointer(start: buffer + s, count: e - s)
    }

    /// Moves the unread tail to the front, grows the buffer for a line longer than it, reads more.
    private func fill() throws(Failure) {
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
                if isCancelled() { throw Failure(kind: .interrupted, detail: "interrupted") }
                if ready == 0 || (ready < 0 && errno == EINTR) { continue }
            }
            let n = read(fd, buffer + end, capacity - end)
            if n > 0 { end += n; bytesRead += n; return }
            if n == 0 { atEOF = true; return }
            if errno == EINTR {
                if isCancelled() { throw Failure(kind: .interrupted, detail: "interrupted") }
                continue
            }
            throw Failure(kind: .read, detail: String(cString: strerror(errno)))
        }
    }
}
