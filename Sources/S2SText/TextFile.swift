#if canImport(Glibc)
import Glibc
#endif

/// Reads a text file or stdin line by line (LF-separated; a last line without LF counts),
/// checking UTF-8 and counting lines so every error can name the file and line. Streams through
/// `ByteLineReader` in 1 MiB chunks: memory stays bounded by the longest line, not the file.
/// The text is as in the file: a CR before the LF stays (subword-nmt carries it through).
package final class LineReader {
    /// The name errors use: the path, or "<stdin>".
    package let name: String
    /// With `replaceInvalid`, bad byte sequences become U+FFFD (counted in `replaced`)
    /// instead of an error.
    package let replaceInvalid: Bool
    /// The number of the line last returned (1-based; 0 before the first).
    package var lineNumber: Int { bytes.lineNumber }
    /// How many invalid UTF-8 sequences were replaced so far.
    package private(set) var replaced = 0
    /// Bytes read so far.
    package var bytesRead: Int { bytes.bytesRead }
    /// Whether the line last returned ended with "\n" (false only for a last line without
    /// one): commands that mirror subword-nmt carry the line end through instead of adding one.
    package var lastLineTerminated: Bool { bytes.lastLineTerminated }

    private let bytes: ByteLineReader

    /// Opens `path` for reading.
    package init(path: String, replaceInvalid: Bool = false) throws(TextError) {
        do {
            bytes = try ByteLineReader(path: path, dashIsStandardInput: false, stripLineEnd: false)
        } catch {
            switch error.kind {
            case .isDirectory: throw .io(path: path, reason: "is a directory, expected a text file")
            default: throw .io(path: path, reason: "cannot open: \(error.detail)")
            }
        }
        self.name = path
        self.replaceInvalid = replaceInvalid
    }

    /// Reads standard input.
    package init(standardInput: Void = (), replaceInvalid: Bool = false) {
        bytes = ByteLineReader(fileDescriptor: 0, stripLineEnd: false, bufferSize: 1 << 20)
        self.name = "<stdin>"
        self.replaceInvalid = replaceInvalid
    }

    /// The next line without its "\n", or nil at the end of the input.
    package func next() throws(TextError) -> String? {
        let line: UnsafeBufferPointer<UInt8>?
        do {
            line = try bytes.next()
        } catch {
            throw .io(path: name, reason: "read failed: \(error.detail)")
        }
        guard let line else { return nil }
        if let s = String(validating: line, as: UTF8.self) { return s }
        guard replaceInvalid else { throw .invalidUTF8(file: name, line: lineNumber) }
        replaced += FileBytes.invalidSequences(line)
        return String(decoding: line, as: UTF8.self)
    }

    /// Reads every remaining line.
    package func readAll() throws(TextError) -> [String] {
        var lines: [String] = []
        while let line = try next() { lines.append(line) }
        return lines
    }
}

/// Whole-file reads for small files (vocabularies, codes, settings).
enum FileBytes {
    static func read(_ path: String) throws(TextError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, reason: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, reason: "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
        }
    }

    /// The number of maximal invalid subsequences (each becomes one U+FFFD when decoded).
    static func invalidSequences<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var count = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .error: count += 1
            case .emptyInput: return count
            }
        }
    }

    /// The 1-based number of the first line that is not valid UTF-8 (1 if none is found).
    static func firstInvalidLine(_ bytes: [UInt8]) -> Int {
        for (k, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated()
        where String(validating: line, as: UTF8.self) == nil {
            return k + 1
        }
        return 1
    }
}

/// Writes files so a reader never sees half of one: a temp file in the same directory,
/// fsync, then rename over the target.
package enum AtomicFile {
    package static func write(_ bytes: [UInt8], to path: String) throws(TextError) {
        let temp = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, reason: "cannot create: \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(temp)
                throw .io(path: path, reason: "write failed: \(reason)")
            }
            written += n
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard synced, rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw .io(path: path, reason: "cannot finish writing: \(reason)")
        }
    }
}
