/// Applies BPE codes to words, with the same segmentation as subword-nmt 0.3.8's `apply_bpe`:
/// a word is split into Unicode scalars (the last one carrying "</w>"), then, round after
/// round, the pair with the lowest merge rank is merged at every position, left to right,
/// skipping overlaps (`x x x` → `xx x`), until no pair has a rank. "</w>" is dropped from
/// the result. Pieces are plain substrings of the word: no separator is added, so marked
/// tokens keep their "▁" and detokenize by concatenation.
///
/// Results are cached per word. Words longer than `BPE.longWord` scalars take a heap-based
/// path with the same rounds in O(n log n), so a 1 MB token does not take quadratic time.
///
/// Holds a cache: not thread-safe, make one per thread (`copy()` shares nothing mutable).
package final class BPE {
    package let codes: BPECodes
    /// Words at least this long (in scalars) use the heap-based merge loop.
    package static let longWord = 48
    /// Words longer than this (in UTF-8 bytes) are not cached: rare, and they would pin memory.
    static let longestCachedBytes = 2048
    /// Words kept at most; past it the cache starts over.
    static let cacheCapacity = 1 << 20

    let table: BPETable
    private var cache: [ExactString: [String]] = [:]

    package init(codes: BPECodes) {
        self.codes = codes
        self.table = BPETable(codes)
    }

    private init(sharing other: BPE) {
        codes = other.codes
        table = other.table
    }

    /// A BPE with the same codes and its own cache (the merge tables are shared read-only).
    package func copy() -> BPE { BPE(sharing: self) }

    /// The number of cached words.
    package var cachedWords: Int { cache.count }

    /// The subword pieces of `word`, left to right (concatenated they give `word` back).
    package func segment(_ word: String) -> [String] {
        let key = ExactString(word)
        if let hit = cache[key] { return hit }
        let pieces = table.segment(word)
        if word.utf8.count <= Self.longestCachedBytes {
            if cache.count >= Self.cacheCapacity { cache.removeAll(keepingCapacity: true) }
            cache[key] = pieces
        }
        return pieces
    }

    /// BPE-dropout (Provilkov et al., 2019): each applicable merge is skipped with probability
    /// `dropout` in every round, as subword-nmt's `--dropout`; never cached. A round in which
    /// every merge is dropped ends the word, like subword-nmt. `dropout` ≤ 0 is plain `segment`.
    package func segment<R: RandomNumberGenerator>(_ word: String, dropout: Double, using rng: inout R) -> [String] {
        guard dropout > 0 else { return segment(word) }
        return table.segmentWithDropout(word, dropout: dropout, rng: &rng)
    }

    /// subword-nmt's `process_line` on one line of whitespace-separated words: every
    /// non-final piece gets `separator` ("@@"), pieces are joined by spaces, and leading and
    /// trailing "\r", "\n", " " are kept. Python's other line breaks (U+0085, U+2028, "\v", …)
    /// split the line as its codecs reader would.
    package func applyLine(_ line: String, separator: String = "@@") -> String {
        applyLine(line, separator: separator) { segment($0) }
    }

    /// `applyLine` with another segmenter per word (BPE-dropout, glossaries, vocabulary).
    package func applyLine(_ line: String, separator: String, segmenter: (String) -> [String]) -> String {
        var out = ""
        WhitespaceWords.forEachLine(line) { part in
            let scalars = Array(part)
            let strip: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\r" }
            let leading = scalars.prefix(while: strip).count
            if leading > 0 { out += String(String.UnicodeScalarView(scalars[0..<leading])) }
            var pieces: [String] = []
            for word in WhitespaceWords.words(ofLine: part) {
                let segmented = segmenter(String(word))
                for piece in segmented.dropLast() { pieces.append(piece + separator) }
                if let last = segmented.last { pieces.append(last) }
            }
            out += pieces.joined(separator: " ")
            let trailing = scalars.reversed().prefix(while: strip).count
            if trailing > 0 && trailing != scalars.count {
                out += String(String.UnicodeScalarView(scalars[(scalars.count - trailing)...]))
            }
        }
        return out
    }
}

/// The read-only merge tables: symbols interned as Int32, pair → rank, rank → merged symbol.
final class BPETable: Sendable {
    let version: BPECodes.Version
    let symbolIDs: [ExactString: Int32]
    let symbolText: [String]
    /// (left, right) → rank; the first occurrence of a duplicated merge wins, as in subword-nmt.
    let ranks: PairRanks
    let mergedID: [Int32]
    /// Single-scalar symbols, and the same scalars with "</w>", for fast word setup.
    let scalarID: ScalarTable
    let finalScalarID: ScalarTable
    let endOfWordID: Int32?

    init(_ codes: BPECodes) {
        var ids: [ExactString: Int32] = [:]
        var text: [String] = []
        func intern(_ s: String) -> Int32 {
            if let id = ids[ExactString(s)] { return id }
            let id = Int32(text.count)
            ids[ExactString(s)] = id
            text.append(s)
            return id
        }
        var ranks: [UInt64: Int32] = [:]
        var merged: [Int32] = []
        for (rank, merge) in codes.merges.enumerated() {
            let a = intern(merge.left), b = intern(merge.right)
            let key = LearnerState.key(a, b)
            if ranks[key] == nil { ranks[key] = Int32(rank) }
            merged.append(intern(merge.left + merge.right))
        }
        var scalar: [UInt32: Int32] = [:], final: [UInt32: Int32] = [:]
        for (s, id) in ids {
            let scalars = Array(s.string.unicodeScalars)
            if scalars.count == 1 { scalar[scalars[0].value] = id }
            if scalars.count == 5 && s.string.utf8.hasEndOfWord { final[scalars[0].value] = id }
        }
        version = codes.version
        symbolIDs = ids
        symbolText = text
        self.ranks = PairRanks(ranks)
        mergedID = merged
        scalarID = ScalarTable(scalar)
        finalScalarID = ScalarTable(final)
        endOfWordID = ids[ExactString("</w>")]
    }

    /// The symbols a word starts as. Scalars the codes never mention get ids below zero
    /// (no pair has a rank with them); `extra` keeps their text.
    func initialSymbols(_ scalars: [Unicode.Scalar], extra: inout [String]) -> [Int32] {
        var word: [Int32] = []
        word.reserveCapacity(scalars.count + 1)
        func unknown(_ s: String) -> Int32 {
            extra.append(s)
            return -Int32(extra.count)
        }
        for (k, s) in scalars.enumerated() {
            let isLast = k == scalars.count - 1
            if isLast && version == .v02 {
                word.append(finalScalarID[s.value] ?? unknown(String(s) + "</w>"))
            } else {
                word.append(scalarID[s.value] ?? unknown(String(s)))
            }
        }
        if version == .v01 { word.append(endOfWordID ?? unknown("</w>")) }
        return word
    }

    @inline(__always) func rank(_ a: Int32, _ b: Int32) -> Int32? {
        guard a >= 0, b >= 0 else { return nil }
        return ranks.rank(LearnerState.key(a, b))
    }

    /// Symbols → output pieces: "</w>" dropped (a lone "</w>" symbol, or the suffix).
    func pieces(_ word: [Int32], extra: [String]) -> [String] {
        var out = word.map { $0 >= 0 ? symbolText[Int($0)] : extra[Int(-$0) - 1] }
        if let last = out.last, last.utf8.elementsEqual("</w>".utf8) {
            out.removeLast()
        } else if let last = out.last, last.utf8.hasEndOfWord {
            var scalars = last.unicodeScalars
            scalars.removeLast(4)
            out[out.count - 1] = String(scalars)
        }
        return out
    }

    func segment(_ word: String) -> [String] {
        let scalars = Array(word.unicodeScalars)
        if scalars.count <= 1 { return scalars.isEmpty ? [] : [word] }
        var extra: [String] = []
        var symbols = initialSymbols(scalars, extra: &extra)
        if symbols.count >= BPE.longWord {
            mergeWithHeap(&symbols)
        } else {
            mergeRounds(&symbols)
        }
        return pieces(symbols, extra: extra)
    }

    /// subword-nmt's loop: each round merges every occurrence of the lowest-ranked pair.
    /// Pair ranks are kept in `rank[i]` (pair i, i+1) and looked up again only next to a merge.
    func mergeRounds(_ word: inout [Int32]) {
        var n = word.count
        guard n > 1 else { return }
        let none = Int32.max
        var ranks = [Int32](repeating: none, count: n)
        var changed = [Bool](repeating: false, count: n)
        for i in 0..<(n - 1) { ranks[i] = rank(word[i], word[i + 1]) ?? none }
        while n > 1 {
            var best = none
            for i in 0..<(n - 1) where ranks[i] < best { best = ranks[i] }
            if best == none { break }
            let symbol = mergedID[Int(best)]
            // Merge in place (the write index never passes the read index); a pair keeps its
            // rank unless one of its symbols was just made.
            var i = 0, w = 0
            while i < n {
                if i + 1 < n && ranks[i] == best {
                    word[w] = symbol
                    changed[w] = true
                    ranks[w] = i + 2 < n ? ranks[i + 2] : none // pair (new, next) is recomputed below
                    i += 2
                } else {
                    word[w] = word[i]
                    changed[w] = false
                    ranks[w] = ranks[i]
                    i += 1
                }
                w += 1
            }
            n = w
            for k in 0..<n where changed[k] {
                if k > 0 { ranks[k - 1] = rank(word[k - 1], word[k]) ?? none }
                ranks[k] = k + 1 < n ? rank(word[k], word[k + 1]) ?? none : none
            }
        }
        word.removeLast(word.count - n)
    }

    /// Merges every (non-overlapping, left to right) occurrence of the pair with `rank`;
    /// `keep[i]` false skips the occurrence starting at i (dropout).
    func merge(_ word: inout [Int32], rank best: Int32, keep: [Bool]?) {
        // In place: the write index never passes the read index.
        let n = word.count
        var i = 0, w = 0
        while i < n {
            if i + 1 < n, rank(word[i], word[i + 1]) == best, keep?[i] ?? true {
                word[w] = mergedID[Int(best)]
                i += 2
            } else {
                word[w] = word[i]
                i += 1
            }
            w += 1
        }
        word.removeLast(n - w)
    }

    func segmentWithDropout<R: RandomNumberGenerator>(_ word: String, dropout: Double, rng: inout R) -> [String] {
        let scalars = Array(word.unicodeScalars)
        if scalars.count <= 1 { return scalars.isEmpty ? [] : [word] }
        var extra: [String] = []
        var symbols = initialSymbols(scalars, extra: &extra)
        var keep = [Bool](repeating: false, count: symbols.count)
        while symbols.count > 1 {
            var best = Int32.max
            for i in 1..<symbols.count {
                keep[i - 1] = false
                guard let r = rank(symbols[i - 1], symbols[i]) else { continue }
                // subword-nmt keeps a pair when random() > dropout.
                if Double(rng.next() >> 11) * 0x1p-53 > dropout {
                    keep[i - 1] = true
                    if r < best { best = r }
                }
            }
            if best == Int32.max { break }
            merge(&symbols, rank: best, keep: Array(keep[0..<symbols.count]))
        }
        return pieces(symbols, extra: extra)
    }
}

extension String.UTF8View {
    /// Ends with subword-nmt's "</w>" (by bytes: `String.hasSuffix` compares characters, and a
    /// prepended mark could glue "<" to the symbol before it).
    var hasEndOfWord: Bool {
        count >= 4 && self.suffix(4).elementsEqual("</w>".utf8)
    }
}

/// Pair → rank, open addressing over UInt64 keys with a multiplicative hash: the applier's
/// inner loop looks pairs up constantly, and Swift's seeded SipHash was its largest cost.
struct PairRanks: Sendable {
    private let keys: [UInt64]
    private let values: [Int32]
    private let mask: Int
    private static let empty = UInt64.max

    init(_ ranks: [UInt64: Int32]) {
        var size = 16
        while size < ranks.count * 2 { size *= 2 }
        var keys = [UInt64](repeating: Self.empty, count: size)
        var values = [Int32](repeating: 0, count: size)
        for (k, v) in ranks {
            var slot = Self.slot(k, size - 1)
            while keys[slot] != Self.empty { slot = (slot + 1) & (size - 1) }
            keys[slot] = k
            values[slot] = v
        }
        self.keys = keys
        self.values = values
        mask = size - 1
    }

    @inline(__always) private static func slot(_ k: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    @inline(__always) func rank(_ k: UInt64) -> Int32? {
        var slot = Self.slot(k, mask)
        while true {
            let key = keys[slot]
            if key == k { return values[slot] }
            if key == Self.empty { return nil }
            slot = (slot + 1) & mask
        }
    }
}

/// Scalar → symbol id: a flat array below U+3000 (Latin, Greek, Cyrillic, …, where nearly all
/// lookups fall), a dictionary above.
struct ScalarTable: Sendable {
    private static let flatLimit: UInt32 = 0x3000
    private let flat: [Int32]
    private let rest: [UInt32: Int32]

    init(_ table: [UInt32: Int32]) {
        var flat = [Int32](repeating: -1, count: Int(Self.flatLimit))
        var rest: [UInt32: Int32] = [:]
        for (scalar, id) in table {
            if scalar < Self.flatLimit { flat[Int(scalar)] = id } else { rest[scalar] = id }
        }
        self.flat = flat
        self.rest = rest
    }

    @inline(__always) subscript(scalar: UInt32) -> Int32? {
        if scalar < Self.flatLimit {
            let id = flat[Int(scalar)]
            return id >= 0 ? id : nil
        }
        return rest[scalar]
    }
}
