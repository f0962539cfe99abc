/// A token ↔ id table with the special tokens at fixed ids, stored as UTF-8 `token<TAB>count`
/// lines (specials first). Its `contentHash` (SHA-256 of the canonical file bytes) is what a
/// model records, so a model never runs with another vocabulary than its own.
///
/// Tokens are keyed by exact code points (`ExactString`): "é" and "e\u{301}" are two entries.
package struct Vocabulary: Sendable, Equatable {

    /// Tokens by id.
    package let tokens: [String]
    /// Training-text frequency per id (0 for the specials).
    package let counts: [Int]
    /// SHA-256 (hex) of `serialized()`.
    package let contentHash: String
    private let ids: [ExactString: Int32]

    package var count: Int { tokens.count }

    package static func == (a: Vocabulary, b: Vocabulary) -> Bool {
        a.contentHash == b.contentHash && a.tokens.count == b.tokens.count
    }

    /// Builds from token frequencies: specials, then tokens by descending count, ties in
    /// code-point order. Tokens seen fewer than `minCount` times are left out, and the table is
    /// cut to `maxSize` entries in all (specials included). Tokens spelled like a special are
    /// folded into it. Tokens in `keep` are included whatever their count (0 if unseen): the
    /// symbols BPE-dropout can produce.
    package static func build(counts: [ExactString: Int], minCount: Int = 1, maxSize: Int? = nil,
                             keep: Set<ExactString> = []) -> Vocabulary {
        let specialSet = Set(SpecialTokens.names.map { ExactString($0) })
        let floor = max(minCount, 1)
        var entries: [(token: ExactString, count: Int)] = []
        for (token, n) in counts where (n >= floor || keep.contains(token)) && !specialSet.contains(token) && !token.string.isEmpty {
            entries.append((token, n))
        }
        for token in keep where counts[token] == nil && !specialSet.contains(token) && !token.string.isEmpty {
            entries.append((token, 0))
        }
        entries.sort { a, b in a.count != b.count ? a.count > b.count : a.token < b.token }
        if let maxSize { entries = Array(entries.prefix(max(0, maxSize - SpecialTokens.names.count))) }
        let tokens: [String] = SpecialTokens.names + entries.map { $0.token.string }
        let tokenCounts: [Int] = Array(repeating: 0, count: SpecialTokens.names.count) + entries.map { $0.count }
        return Vocabulary(unchecked: tokens, counts: tokenCounts)
    }

    private init(unchecked tokens: [String], counts: [Int]) {
        self.tokens = tokens
        self.counts = counts
        var ids: [ExactString: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (i, t) in tokens.enumerated() { ids[ExactString(t)] = Int32(i) }
        self.ids = ids
        self.contentHash = SHA256.hex(Self.serialize(tokens, counts))
    }

    /// The id of `token`, or `unkID`.
    @inline(__always)
    package func id(_ token: String) -> Int32 { ids[ExactString(token)] ?? SpecialTokens.unk }

    /// Whether `token` has an id of its own.
    package func contains(_ token: String) -> Bool { ids[ExactString(token)] != nil }

    /// The token of `id` ("<unk>" for an id out of range).
    package func token(_ id: Int32) -> String {
        id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : SpecialTokens.names[Int(SpecialTokens.unk)]
    }

    /// Whether `id` is one of the four specials.
    package static func isSpecial(_ id: Int32) -> Bool { id >= 0 && id < Int32(SpecialTokens.names.count) }

    /// How much of a text (given as token frequencies) the vocabulary covers.
    package func coverage(of counts: [ExactString: Int]) -> Coverage {
        var total = 0, unknown = 0
        for (token, n) in counts {
            total += n
            if ids[token] == nil || Vocabulary.isSpecial(ids[token]!) { unknown += n }
        }
        return Coverage(tokens: total, unknown: unknown)
    }

    // MARK: File format

    /// The canonical file bytes: `token<TAB>count\n` per id.
    package func serialized() -> [UInt8] { Self.serialize(tokens, counts) }

    private static func serialize(_ tokens: [String], _ counts: [Int]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(tokens.count * 12)
        for (t, c) in zip(tokens, counts) {
            out.append(contentsOf: t.utf8)
            out.append(0x09)
            out.append(contentsOf: String(c).utf8)
            out.append(0x0A)
        }
        return out
    }

    /// Writes the file atomically (temp file + rename).
    package func write(to path: String) throws(TextError) {
        try AtomicFile.write(serialized(), to: path)
    }

    package static func load(path: String) throws(TextError) -> Vocabulary {
        try parse(try FileBytes.read(path), file: path)
    }

    /// Parses and validates a vocabulary file: every line `token<TAB>count` with a non-empty
    /// token free of tabs and line breaks and a decimal count, the four specials first in
    /// order, no duplicate, "\n" after the last line. Errors name the file and line.
    package static func parse(_ bytes: [UInt8], file: String) throws(TextError) -> Vocabulary {
        if bytes.isEmpty { throw .badVocabulary(file: file, line: 1, reason: "the file is empty") }
        if bytes.last != 0x0A {
            let line = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw .badVocabulary(file: file, line: line, reason: "the last line has no newline (truncated file?)")
        }
        var tokens: [String] = []
        var counts: [Int] = []
        var seen: [ExactString: Int] = [:]
        let lines = bytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
        for (k, line) in lines.enumerated() {
            let number = k + 1
            func bad(_ reason: String) -> TextError { .badVocabulary(file: file, line: number, reason: reason) }
            guard let text = String(validating: line, as: UTF8.self) else { throw bad("invalid UTF-8") }
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
            guard fields.count == 2 else {
                throw bad(fields.count == 1 ? "expected token<TAB>count, found no tab in '\(text.prefix(60))'"
                                            : "expected token<TAB>count, found \(fields.count - 1) tabs")
            }
            let token = String(decoding: fields[0], as: UTF8.self)
            guard !token.isEmpty else { throw bad("empty token") }
            guard !fields[0].contains(0x0D) else { throw bad("carriage return in token (CRLF line endings?)") }
            guard !fields[1].isEmpty, fields[1].count <= 18, fields[1].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let count = Int(String(decoding: fields[1], as: UTF8.self)) else {
                throw bad("count '\(String(decoding: fields[1], as: UTF8.self))' is not a non-negative integer")
            }
            if k < SpecialTokens.names.count, token != SpecialTokens.names[k] {
                throw bad("expected the special token \(SpecialTokens.names[k]) on line \(number) (specials come first: \(SpecialTokens.names.joined(separator: " ")))")
            }
            if let first = seen[ExactString(token)] { throw bad("duplicate token '\(token)' (first on line \(first))") }
            seen[ExactString(token)] = number
            tokens.append(token)
            counts.append(count)
        }
        if tokens.count < SpecialTokens.names.count {
            throw .badVocabulary(file: file, line: tokens.count + 1, reason: "missing special token \(SpecialTokens.names[tokens.count])")
        }
        return Vocabulary(unchecked: tokens, counts: counts)
    }
}

/// Coverage of a text by a vocabulary.
package struct Coverage: Sendable, Equatable, CustomStringConvertible {
    /// Tokens in the text.
    package let tokens: Int
    /// Of those, tokens that map to `<unk>`.
    package let unknown: Int

    package init(tokens: Int, unknown: Int) {
        self.tokens = tokens
        self.unknown = unknown
    }

    /// Share of `<unk>` (0 for an empty text).
    package var unknownShare: Double { tokens == 0 ? 0 : Double(unknown) / Double(tokens) }

    package var description: String {
        let percent = (unknownShare * 10000).rounded() / 100
        return "\(tokens) tokens, \(unknown) <unk> (\(percent)%)"
    }
}
