/// Sentence pairs from files: two line-aligned files, or one tab-separated file. A source of
/// pairs for `VocabularyBuilder` (the corpus database will be another).
package enum ParallelText {
    /// Calls `body` with each (source, target) line pair of two aligned files. Throws
    /// `.emptyInput` for an empty file, `.lineCountMismatch` when one file ends first (with
    /// both line counts), `.invalidUTF8` naming the file and line (unless `replaceInvalid`).
    /// Returns the number of pairs and of replaced invalid sequences.
    @discardableResult
    package static func forEachPair(source: String, target: String, replaceInvalid: Bool = false,
                                   _ body: (String, String) throws -> Void) throws -> (pairs: Int, replaced: Int) {
        let s = try LineReader(path: source, replaceInvalid: replaceInvalid)
        let t = try LineReader(path: target, replaceInvalid: replaceInvalid)
        var pairs = 0
        while true {
            let a = try s.next(), b = try t.next()
            if let a, let b {
                try body(a, b)
                pairs += 1
                continue
            }
            if s.bytesRead == 0 { throw TextError.emptyInput(file: source) }
            if t.bytesRead == 0 { throw TextError.emptyInput(file: target) }
            if a == nil && b == nil { break }
            let longer = a == nil ? t : s
            while try longer.next() != nil {}
            throw TextError.lineCountMismatch(source: source, sourceLines: s.lineNumber, target: target, targetLines: t.lineNumber)
        }
        return (pairs, s.replaced + t.replaced)
    }

    /// Calls `body` with each pair of a `source<TAB>target` file (a TAB inside the target is
    /// kept). A line without a tab is an error naming the file and line.
    @discardableResult
    package static func forEachPair(tsv path: String, replaceInvalid: Bool = false,
                                   _ body: (String, String) throws -> Void) throws -> (pairs: Int, replaced: Int) {
        let reader = try LineReader(path: path, replaceInvalid: replaceInvalid)
        var pairs = 0
        while let line = try reader.next() {
            guard let tab = line.utf8.firstIndex(of: 0x09) else {
                throw TextError.badSetting(name: "\(path):\(reader.lineNumber)", value: String(line.prefix(40)),
                                           reason: "expected source<TAB>target, found no tab")
            }
            try body(String(line[..<tab]), String(line[line.utf8.index(after: tab)...]))
            pairs += 1
        }
        if reader.bytesRead == 0 { throw TextError.emptyInput(file: path) }
        return (pairs, reader.replaced)
    }
}
