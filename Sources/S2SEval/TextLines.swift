import Foundation

/// Reads a text file as lines the way sacrebleu's command line does: UTF-8, split on "\n"
/// only (a "\r" or U+2028 inside a line stays in it), a final line without "\n" still counts,
/// and a final "\n" does not start an extra empty line.
///
/// Unlike Python, which would stop with a `UnicodeDecodeError` somewhere in a traceback, an
/// invalid byte sequence is reported with the file, the 1-based line number and the byte
/// offset of the line's start.
public enum TextLines {
    /// The lines of `path`, without their "\n".
    public static func read(path: String) throws(TextFileError) -> [String] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TextFileError(path: path, line: nil, problem: .unreadable(reason(error)))
        }
        return try split(data, path: path)
    }

    /// The lines of `data` (named `path` in errors).
    public static func split(_ data: Data, path: String) throws(TextFileError) -> [String] {
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

    private static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        if ns.domain == NSCocoaErrorDomain && ns.code == NSFileReadNoSuchFileError { return "no such file" }
        return ns.localizedDescription
    }
}

/// A text file that cannot be read as UTF-8 lines; the description is the one-line message
/// the command line prints ("hyp.txt:12: invalid UTF-8 at byte 4031").
public struct TextFileError: Error, Equatable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        case unreadable(String)
        case invalidUTF8(byteOffset: Int)
    }

    public let path: String
    /// 1-based line number, when the problem is inside the file. The byte offset of an
    /// invalid sequence counts from the start of the file.
    public let line: Int?
    public let problem: Problem

    public var description: String {
        let place = line.map { "\(path):\($0)" } ?? path
        switch problem {
        case let .unreadable(why): return "\(place): cannot read: \(why)"
        case let .invalidUTF8(offset): return "\(place): invalid UTF-8 at byte \(offset)"
        }
    }
}
