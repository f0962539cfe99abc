import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a text file as lines the way sacrebleu's command line does: UTF-8, split on "\n"
/// only (a "\r" or U+2028 inside a line stays in it), a final line without "\n" still counts,
/// and a final "\n" does not start an extra empty line.
///
/// Unlike Python, which would stop with a `UnicodeDecodeError` somewhere in a traceback, an
/// invalid byte sequence is reported with the file, the 1-based line number and the byte
/// offset of the line's start.
package enum TextLines {
    /// Python's `line.rstrip()` (what sacrebleu's command line does to every line it reads).
    package static func rstrip(_ line: String) -> String {
        PythonText.string(PythonText.rstrip(PythonText.scalars(line)))
    }

    /// The lines of `path`, without their "\n".
    package static func read(path: String) throws(TextFileError) -> [String] {
        try split(readBytes(path: path), path: path)
    }

    /// The whole file, read with POSIX calls so failures carry the system's reason
    /// ("No such file or directory", "Is a directory", "Permission denied").
    package static func readBytes(path: String) throws(TextFileError) -> Data {
        func fail(_ why: String) -> TextFileError { TextFileError(path: path, line: nil, problem: .unreadable(why)) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fail(errnoText()) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw fail(errnoText()) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw fail(String(cString: strerror(EISDIR))) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail(errnoText())
            }
            if n == 0 { break }
            data.append(contentsOf: chunk[0..<n])
        }
        return data
    }

    /// Writes `text` to `path` atomically: a temp file in the same directory, fsync, rename.
    /// On failure `path` keeps what it held and the temp file is removed.
    package static func writeAtomically(_ text: String, to path: String) throws(TextFileError) {
        func fail(_ why: String) -> TextFileError { TextFileError(path: path, line: nil, problem: .unwritable(why)) }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temp = "\(directory)/.\(base).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw fail(errnoText()) }
        var ok = false
        defer { if !ok { close(fd); unlink(temp) } }
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail(errnoText())
            }
            done += n
        }
        guard fsync(fd) == 0 else { throw fail(errnoText()) }
        guard rename(temp, path) == 0 else { throw fail(errnoText()) }
        ok = true
        close(fd)
    }

    /// The lines of `data` (named `path` in errors).
    package static func split(_ data: Data, path: String) throws(TextFileError) -> [String] {
        var lines: [String] = []
        var failure: TextFileError?
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            var lineNumber = 1
            let n = bytes.count
            while start < n {
                var end = start
                while end < n && bytes[end] != 0x0A { end += 1 }
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
                guard let line = String(validating: slice, as: UTF8.self) else {
                    let bad = start + firstInvalidByte(slice)
                    failure = TextFileError(path: path, line: lineNumber, problem: .invalidUTF8(byteOffset: bad))
                    return
                }
                lines.append(line)
                start = end + 1
                lineNumber += 1
            }
        }
        if let failure { throw failure }
        return lines
    }

    /// Index of the first byte that does not start a valid UTF-8 sequence.
    static func firstInvalidByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .error: return offset
            case .emptyInput: return offset
            }
        }
    }
}

private func errnoText() -> String { String(cString: strerror(errno)) }

/// A text file that cannot be read as UTF-8 lines; the description is the one-line message
/// the command line prints ("hyp.txt:12: invalid UTF-8 at byte 4031").
package struct TextFileError: Error, Equatable, CustomStringConvertible {
    package enum Problem: Equatable, Sendable {
        case unreadable(String)
        case unwritable(String)
        case invalidUTF8(byteOffset: Int)
    }

    package let path: String
    /// 1-based line number, when the problem is inside the file. The byte offset of an
    /// invalid sequence counts from the start of the file.
    package let line: Int?
    package let problem: Problem

    package var description: String {
        let place = line.map { "\(path):\($0)" } ?? path
        switch problem {
        case let .unreadable(why): return "\(place): cannot read: \(why)"
        case let .unwritable(why): return "\(place): cannot write: \(why)"
        case let .invalidUTF8(offset): return "\(place): invalid UTF-8 at byte \(offset)"
        }
    }
}
