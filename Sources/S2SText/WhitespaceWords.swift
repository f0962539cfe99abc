/// Words as subword-nmt sees them: the text split into lines the way Python's codecs reader
/// splits them (at "\n", "\r", "\r\n", "\v", "\f", U+001C–U+001E, U+0085, U+2028, U+2029, the
/// break kept on the line), each line stripped of outer "\r", "\n", " " and split at single
/// spaces, empty strings dropped. This is the input of `learn_bpe` and `apply_bpe` without
/// `--dict-input`; s2s uses it to check itself against subword-nmt on the same words.
package enum WhitespaceWords {
    /// Adds the words of `text` (a whole file or any run of complete lines) to `counts`.
    package static func count(_ text: String, into counts: inout [ExactString: Int]) {
        forEachLine(text) { line in
            for word in words(ofLine: line) { counts[ExactString(String(word)), default: 0] += 1 }
        }
    }

    /// The words of one line: outer "\r", "\n", " " stripped, split at " ", empties dropped.
    package static func words(ofLine line: Substring.UnicodeScalarView) -> [Substring.UnicodeScalarView] {
        var s = line
        let strip: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\r" }
        while let c = s.first, strip(c) { s.removeFirst() }
        while let c = s.last, strip(c) { s.removeLast() }
        return s.split(separator: " ", omittingEmptySubsequences: true)
    }

    /// Calls `body` with each line of `text`, the line break included.
    package static func forEachLine(_ text: String, _ body: (Substring.UnicodeScalarView) -> Void) {
        let scalars = Substring(text).unicodeScalars
        var start = scalars.startIndex
        var i = start
        while i < scalars.endIndex {
            let c = scalars[i]
            var next = scalars.index(after: i)
            let isBreak: Bool
            switch c.value {
            case 0x0A, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029: isBreak = true
            case 0x0D:
                isBreak = true
                if next < scalars.endIndex && scalars[next] == "\n" { next = scalars.index(after: next) }
            default: isBreak = false
            }
            if isBreak {
                body(scalars[start..<next])
                start = next
            }
            i = next
        }
        if start < scalars.endIndex { body(scalars[start..<scalars.endIndex]) }
    }
}

extension String {
    init(_ scalars: Substring.UnicodeScalarView) {
        self = String(Substring(scalars))
    }
}
