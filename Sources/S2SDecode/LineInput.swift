#if canImport(Glibc)
import Glibc
#endif
import S2SText

/// Reads lines from a file descriptor (stdin) as they arrive, through `ByteLineReader`.
///
/// Lines end at `\n` (a `\r` before it is dropped); a last line without `\n` still counts. Bytes
/// that are not valid UTF-8 are replaced by U+FFFD and the line carries a warning, so every
/// input line still gives exactly one output line. A read returns as soon as any bytes are
/// there, so a line typed on a terminal or written by a pipe is available at once.
package final class LineInput {
    private let bytes: ByteLineReader
    package var linesRead: Int { bytes.lineNumber }

    package init(fileDescriptor: Int32) {
        bytes = ByteLineReader(fileDescriptor: fileDescriptor, stripLineEnd: false)
    }

    /// Whether the next line is already read (see `ByteLineReader.hasBufferedLine`).
    package var hasBufferedLine: Bool { bytes.hasBufferedLine }

    /// The next line, or nil at the end of input. Throws on a read error.
    package func next() throws(InputError) -> Translator.Line? {
        let line: UnsafeBufferPointer<UInt8>?
        do {
            line = try bytes.next()
        } catch {
            throw InputError(message: "cannot read standard input: \(error.detail)")
        }
        guard var body = line else { return nil }
        if body.last == UInt8(ascii: "\r") { body = UnsafeBufferPointer(rebasing: body.dropLast()) }
        if let text = String(validating: body, as: UTF8.self) {
            return Translator.Line(text: text, number: linesRead)
        }
        return Translator.Line(text: String(decoding: body, as: UTF8.self), number: linesRead,
                               warning: "line \(linesRead): invalid UTF-8; the bad bytes were replaced by U+FFFD")
    }
}

/// Standard input could not be read.
package struct InputError: Error, CustomStringConvertible {
    package let message: String
    package var description: String { message }
}
