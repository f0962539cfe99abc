#if canImport(Glibc)
import Glibc
#endif

/// Reads lines from a file descriptor (stdin) as they arrive.
///
/// Lines end at `\n` (a `\r` before it is dropped); a last line without `\n` still counts. Bytes
/// that are not valid UTF-8 are replaced by U+FFFD and the line carries a warning, so every
/// input line still gives exactly one output line. `read(2)` returns as soon as any bytes are
/// there, so a line typed on a terminal or written by a pipe is available at once.
public final class LineInput {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0   // bytes from `start` already known to hold no newline
    private var eof = false
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    public private(set) var linesRead = 0

    public init(fileDescriptor: Int32) { fd = fileDescriptor }

    /// The next line, or nil at the end of input. Throws on a read error.
    public func next() throws(InputError) -> Translator.Line? {
        while true {
            if let nl = buffer[(start + scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = makeLine(buffer[start..<nl])
                start = nl + 1
                scanned = 0
                if start > 1 << 16 && start * 2 > buffer.count {
                    buffer.removeFirst(start)
                    start = 0
                }
                return line
            }
            scanned = buffer.count - start
            if eof {
                guard start < buffer.count else { return nil }
                let line = makeLine(buffer[start...])
                start = buffer.count
                scanned = 0
                return line
            }
            try fill()
        }
    }

    private func fill() throws(InputError) {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { return }
            throw InputError(message: "cannot read standard input: \(String(cString: strerror(errno)))")
        }
        if n == 0 { eof = true; return }
        buffer.append(contentsOf: chunk[0..<n])
    }

    private func makeLine(_ bytes: ArraySlice<UInt8>) -> Translator.Line {
        linesRead += 1
        var body = bytes
        if body.last == UInt8(ascii: "\r") { body = body.dropLast() }
        if let text = String(validating: body, as: UTF8.self) {
            return Translator.Line(text: text, number: linesRead)
        }
        return Translator.Line(text: String(decoding: body, as: UTF8.self), number: linesRead,
                               warning: "line \(linesRead): invalid UTF-8; the bad bytes were replaced by U+FFFD")
    }
}

/// Standard input could not be read.
public struct InputError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
