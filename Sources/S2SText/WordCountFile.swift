/// subword-nmt's `word count` files: the input of `learn-bpe --dict-input` and the
/// `--vocabulary` of `apply-bpe` (what `get-vocab` writes). Each line, split the way Python's
/// codecs reader splits lines and stripped of outer "\r", "\n", " ", must be exactly two fields
/// separated by one space, the second an integer; anything else stops with the file and line
/// (subword-nmt prints "Failed reading vocabulary file at line …" or raises).
package enum WordCountFile {
    /// The (word, count) lines of `path` ("-" or nil: stdin), in file order.
    package static func read(path: String?) throws(TextError) -> [(word: String, count: Int)] {
        let reader = try path.map { p throws(TextError) in p == "-" ? LineReader() : try LineReader(path: p) } ?? LineReader()
        var entries: [(word: String, count: Int)] = []
        var failure: TextError?
        var lineNumber = 0
        while failure == nil, let text = try reader.next() {
            WhitespaceWords.forEachLine(text) { line in
                guard failure == nil else { return }
                lineNumber += 1
                var s = line
                let strip: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\r" }
                while let c = s.first, strip(c) { s.removeFirst() }
                while let c = s.last, strip(c) { s.removeLast() }
                let fields = s.split(separator: " ", omittingEmptySubsequences: false)
                guard fields.count == 2, let count = Int(String(fields[1])) else {
                    failure = .badVocabulary(file: reader.name, line: lineNumber,
                                             reason: "expected 'word count' (two fields separated by one space), found '\(String(line))'")
                    return
                }
                entries.append((String(fields[0]), count))
            }
        }
        if let failure { throw failure }
        return entries
    }

    /// `get_vocabulary(is_dict=True)`: counts summed over repeated words.
    package static func counts(path: String?) throws(TextError) -> [ExactString: Int] {
        var counts: [ExactString: Int] = [:]
        for (word, count) in try read(path: path) { counts[ExactString(word), default: 0] += count }
        return counts
    }

    /// `read_vocabulary`: the words of lines whose own count reaches `threshold` (every word
    /// without one). Words compare by code points, as Python's set does.
    package static func vocabulary(path: String, threshold: Int?) throws(TextError) -> Set<ExactString> {
        var out = Set<ExactString>()
        for (word, count) in try read(path: path) where threshold.map({ count >= $0 }) ?? true { out.insert(ExactString(word)) }
        return out
    }
}
