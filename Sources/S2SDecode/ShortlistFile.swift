import Foundation

/// A shortlist file that cannot be used, naming the file and line.
package struct ShortlistError: Error, CustomStringConvertible, Equatable {
    package let description: String
    init(_ path: String, line: Int? = nil, _ message: String) {
        description = line.map { "\(path):\($0): \(message)" } ?? "\(path): \(message)"
    }
}

/// `shortlist.txt` beside a model (`s2s model shortlist` writes it, `--shortlist` reads it):
///
///     s2s-shortlist 1 source-vocabulary=8000 target-vocabulary=8000
///     always 2 3
///     frequent 4 5 9 …
///     17<TAB>402 77 1290 …        (one line per source id with candidates)
///
/// Text, so a user can read why a token was or was not a candidate.
extension Shortlist {
    package static let fileName = "shortlist.txt"
    static let magic = "s2s-shortlist 1"

    package func write(to path: String) throws(ShortlistError) {
        var text = "\(Self.magic) source-vocabulary=\(lists.count) target-vocabulary=\(targetVocabulary)\n"
        text += "always " + always.map(String.init).joined(separator: " ") + "\n"
        text += "frequent " + frequent.map(String.init).joined(separator: " ") + "\n"
        for (s, list) in lists.enumerated() where !list.isEmpty {
            text += "\(s)\t" + list.map(String.init).joined(separator: " ") + "\n"
        }
        // Whole or not at all: a temporary file renamed over the target.
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
            throw ShortlistError(path, "cannot write (\(String(cString: strerror(errno))))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ShortlistError(path, "cannot write (\(reason))")
        }
    }

    /// Reads a shortlist for a model of the given vocabulary sizes; any id out of range, or a
    /// file for other sizes, is an error naming the line.
    package static func read(path: String, sourceVocabulary: Int, targetVocabulary: Int) throws(ShortlistError) -> Shortlist {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShortlistError(path, "cannot read (no such file, or not readable)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ShortlistError(path, "not UTF-8 text") }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let head = lines.first, head.hasPrefix(magic) else {
            throw ShortlistError(path, line: 1, "not an s2s shortlist (expected a first line starting '\(magic)')")
        }
        let expected = "\(magic) source-vocabulary=\(sourceVocabulary) target-vocabulary=\(targetVocabulary)"
        guard head == expected else {
            throw ShortlistError(path, line: 1, "made for another vocabulary: '\(head)', the model needs '\(expected)'")
        }
        func ids(_ field: Substring, line: Int, limit: Int) throws(ShortlistError) -> [Int32] {
            var out: [Int32] = []
            for word in field.split(separator: " ") {
                guard let v = Int32(word), v >= 0, Int(v) < limit else {
                    throw ShortlistError(path, line: line, "'\(word)' is not a token id below \(limit)")
                }
                out.append(v)
            }
            return out
        }
        var always: [Int32] = [], frequent: [Int32] = []
        var lists = [[Int32]](repeating: [], count: sourceVocabulary)
        for (i, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let number = i + 1
            if line.hasPrefix("always ") || line == "always" {
                always = try ids(line.dropFirst(6), line: number, limit: targetVocabulary)
            } else if line.hasPrefix("frequent ") || line == "frequent" {
                frequent = try ids(line.dropFirst(8), line: number, limit: targetVocabulary)
            } else {
                let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, let s = Int(parts[0]), s >= 0, s < sourceVocabulary else {
                    throw ShortlistError(path, line: number, "expected 'SOURCE-ID<TAB>TARGET-IDS' with a source id below \(sourceVocabulary)")
                }
                lists[s] = try ids(parts[1], line: number, limit: targetVocabulary)
            }
        }
        return Shortlist(targetVocabulary: targetVocabulary, frequent: frequent, lists: lists, always: always)
    }
}
