#if canImport(Glibc)
import Glibc
#endif

/// Learns BPE merges from word frequencies exactly as subword-nmt 0.3.8's `learn_bpe` does:
/// the same merges in the same order, ties broken the same way, even where its pruning of the
/// pair statistics changes the outcome.
///
/// Each round takes the most frequent symbol pair (ties: the larger pair in code-point order,
/// first symbol first — Python's `max` over `(count, pair)`), writes it, merges it in every
/// word that contains it, and updates only the pair counts around the merged occurrences
/// (Sennrich's incremental statistics), so 8,000 merges need no recount. The counts live in
/// subword-nmt's two tables (`stats`, pruned below a moving threshold, and `big_stats`, the
/// full table); a lazily invalidated max-heap replaces its linear `max` scan.
package enum BPELearner {
    /// Learns up to `merges` merges. Stops early, like subword-nmt, when no pair occurs at
    /// least `minFrequency` times. `wordCounts`: each word (a token or a whitespace-separated
    /// string) with its frequency; words are split into Unicode scalars, the last carrying
    /// "</w>".
    package static func learn<S: Sequence>(wordCounts: S, merges: Int, minFrequency: Int = 2) -> BPECodes
    where S.Element == (key: String, value: Int) {
        var state = LearnerState()
        for (word, count) in wordCounts where !word.isEmpty && count > 0 { state.addWord(word, count: count) }
        return BPECodes(merges: state.run(merges: merges, minFrequency: minFrequency))
    }

    /// `--total-symbols`: the distinct word-internal characters and the distinct word-final
    /// ones (a character that ends some word and sits inside another counts in both), by code
    /// point; subword-nmt subtracts their sum from the number of merges.
    package static func characterSymbols<S: Sequence>(in words: S) -> (internal: Int, final: Int) where S.Element == String {
        var inner = Set<UInt32>(), last = Set<UInt32>()
        for word in words {
            let scalars = Array(word.unicodeScalars)
            guard let end = scalars.last else { continue }
            for s in scalars.dropLast() { inner.insert(s.value) }
            last.insert(end.value)
        }
        return (inner.count, last.count)
    }

    /// Convenience for a dictionary of counts.
    package static func learn(counts: [ExactString: Int], merges: Int, minFrequency: Int = 2) -> BPECodes {
        learn(wordCounts: counts.lazy.map { (key: $0.key.string, value: $0.value) }, merges: merges, minFrequency: minFrequency)
    }
}

/// The mutable tables of one learning run (subword-nmt's `sorted_vocab`, `stats`,
/// `big_stats`, `indices`), with symbols interned as Int32 ids.
struct LearnerState {
    // Symbols: Python compares strings by code point, which is UTF-8 byte order.
    var symbolIDs: [ExactString: Int32] = [:]
    var symbolText: [String] = []
    var symbolBytes: [[UInt8]] = []

    var words: [[Int32]] = []
    var freqs: [Int] = []
    /// Words holding a character Python's regex counts as whitespace: subword-nmt merges them
    /// with a regex over the space-joined symbols, which can match across symbol edges.
    var needsRegex: [Bool] = []

    var stats: [UInt64: Int] = [:]
    var bigStats: [UInt64: Int] = [:]
    var indices: [UInt64: [Int32: Int]] = [:]
    var heap = PairHeap()

    mutating func intern(_ s: String) -> Int32 {
        if let id = symbolIDs[ExactString(s)] { return id }
        let id = Int32(symbolText.count)
        symbolIDs[ExactString(s)] = id
        symbolText.append(s)
        symbolBytes.append(Array(s.utf8))
        return id
    }

    @inline(__always) static func key(_ a: Int32, _ b: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
    }
    @inline(__always) static func first(_ key: UInt64) -> Int32 { Int32(bitPattern: UInt32(key >> 32)) }
    @inline(__always) static func second(_ key: UInt64) -> Int32 { Int32(bitPattern: UInt32(key & 0xFFFF_FFFF)) }

    mutating func addWord(_ word: String, count: Int) {
        let scalars = Array(word.unicodeScalars)
        var symbols: [Int32] = []
        symbols.reserveCapacity(scalars.count)
        for (k, scalar) in scalars.enumerated() {
            symbols.append(intern(k == scalars.count - 1 ? String(scalar) + "</w>" : String(scalar)))
        }
        words.append(symbols)
        freqs.append(count)
        needsRegex.append(scalars.contains(where: PythonWhitespace.contains))
    }

    // MARK: The loop (learn_bpe)

    mutating func run(merges numSymbols: Int, minFrequency: Int) -> [BPEMerge] {
        // get_pair_statistics
        for j in words.indices {
            let w = words[j]
            guard w.count > 1 else { continue }
            for i in 1..<w.count {
                let k = Self.key(w[i - 1], w[i])
                stats[k, default: 0] += freqs[j]
                indices[k, default: [:]][Int32(j), default: 0] += 1
            }
        }
        guard let initialMax = stats.values.max() else { return [] }
        bigStats = stats
        rebuildHeap()
        var threshold = Double(initialMax) / 10
        var out: [BPEMerge] = []
        var i = 0
        while i < numSymbols {
            var best: UInt64? = stats.isEmpty ? nil : bestPair()
            if best == nil || (i > 0 && Double(stats[best!] ?? 0) < threshold) {
                // "we probably missed the best pair because of pruning; go back to full statistics"
                prune(threshold)
                stats = bigStats
                rebuildHeap()
                guard let b = bestPair() else { break }
                best = b
                threshold = Double((stats[b] ?? 0) * i) / (Double(i) + 10000.0)
                prune(threshold)
            }
            guard let pair = best else { break }
            let count: Int
            if let c = stats[pair] { count = c } else { stats[pair] = 0; heap.push(0, pair, symbolBytes); count = 0 }
            if count < minFrequency { break }
            out.append(BPEMerge(symbolText[Int(Self.first(pair))], symbolText[Int(Self.second(pair))]))
            let changes = replacePair(pair)
            updatePairStatistics(pair, changes)
            stats[pair] = 0
            heap.push(0, pair, symbolBytes)
            if i % 100 == 0 { prune(threshold) }
            i += 1
        }
        return out
    }

    /// The pair Python's `max(stats, key=lambda x: (stats[x], x))` returns.
    mutating func bestPair() -> UInt64? {
        while let top = heap.top {
            if let v = stats[top.key], v == top.count { return top.key }
            heap.pop(symbolBytes)
        }
        return nil
    }

    mutating func rebuildHeap() {
        heap.rebuild(from: stats, symbolBytes)
    }

    /// prune_stats: pairs below the threshold leave `stats`; `big_stats` keeps their count
    /// (a negative count is a pending decrement and is added instead — subword-nmt's rule).
    mutating func prune(_ threshold: Double) {
        var removed: [UInt64] = []
        for (k, v) in stats where Double(v) < threshold {
            removed.append(k)
            if v < 0 { bigStats[k, default: 0] += v } else { bigStats[k] = v }
        }
        for k in removed { stats.removeValue(forKey: k) }
        if heap.count > 4 * stats.count + 4096 { rebuildHeap() }
    }

    // MARK: replace_pair

    /// Merges `pair` in every word the index lists; returns (word, old symbols) per change.
    mutating func replacePair(_ pair: UInt64) -> [(Int32, [Int32])] {
        let a = Self.first(pair), b = Self.second(pair)
        let merged = intern(symbolText[Int(a)] + symbolText[Int(b)])
        var changes: [(Int32, [Int32])] = []
        guard let entries = indices[pair] else { return changes }
        for (j, n) in entries where n >= 1 {
            let old = words[Int(j)]
            let new: [Int32]
            if needsRegex[Int(j)] {
                new = regexMerge(old, a, b)
            } else {
                var w: [Int32] = []
                w.reserveCapacity(old.count)
                var i = 0
                while i < old.count {
                    if i + 1 < old.count && old[i] == a && old[i + 1] == b {
                        w.append(merged)
                        i += 2
                    } else {
                        w.append(old[i])
                        i += 1
                    }
                }
                new = w
            }
            words[Int(j)] = new
            changes.append((j, old))
        }
        return changes
    }

    /// subword-nmt's `re.sub(r'(?<!\S)' + re.escape(a + ' ' + b) + r'(?!\S)', a + b, ' '.join(word))`
    /// followed by `.split(' ')`, scalar by scalar.
    mutating func regexMerge(_ word: [Int32], _ a: Int32, _ b: Int32) -> [Int32] {
        var joined: [Unicode.Scalar] = []
        for (k, s) in word.enumerated() {
            if k > 0 { joined.append(" ") }
            joined.append(contentsOf: symbolText[Int(s)].unicodeScalars)
        }
        let pattern = Array((symbolText[Int(a)] + " " + symbolText[Int(b)]).unicodeScalars)
        var out: [Unicode.Scalar] = []
        var i = 0
        while i < joined.count {
            if (i == 0 || PythonWhitespace.contains(joined[i - 1]))
                && i + pattern.count <= joined.count
                && joined[i..<(i + pattern.count)].elementsEqual(pattern)
                && (i + pattern.count == joined.count || PythonWhitespace.contains(joined[i + pattern.count])) {
                out.append(contentsOf: pattern.filter { $0 != " " })
                i += pattern.count
            } else {
                out.append(joined[i])
                i += 1
            }
        }
        // `.split(' ')` on code points. Splitting the joined `String` would split at
        // `Character` " ", and a space followed by a combining mark (" \u{301}") is one
        // grapheme, not " ": the symbol after it would swallow the space (issue 21).
        return out.split(separator: " ", omittingEmptySubsequences: false).map { piece in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: piece)
            return intern(String(view))
        }
    }

    // MARK: update_pair_statistics

    @inline(__always) mutating func add(_ k: UInt64, _ delta: Int, word j: Int32, _ touched: inout Set<UInt64>) {
        stats[k, default: 0] += delta
        indices[k, default: [:]][j, default: 0] += delta > 0 ? 1 : -1
        touched.insert(k)
    }

    mutating func updatePairStatistics(_ pair: UInt64, _ changes: [(Int32, [Int32])]) {
        stats[pair] = 0
        indices[pair] = [:]
        let first = Self.first(pair), second = Self.second(pair)
        let newSymbol = intern(symbolText[Int(first)] + symbolText[Int(second)])
        var touched = Set<UInt64>()
        for (j, old) in changes {
            let freq = freqs[Int(j)]
            let n = old.count
            var i = 0
            while true {
                while i < n && old[i] != first { i += 1 }
                if i >= n { break }
                if i < n - 1 && old[i + 1] == second {
                    if i > 0 { add(Self.key(old[i - 1], old[i]), -freq, word: j, &touched) }
                    if i < n - 2 {
                        if old[i + 2] != first || i >= n - 3 || old[i + 3] != second {
                            add(Self.key(old[i + 1], old[i + 2]), -freq, word: j, &touched)
                        }
                    }
                    i += 2
                } else {
                    i += 1
                }
            }
            let word = words[Int(j)]
            let m = word.count
            i = 0
            while true {
                while i < m && word[i] != newSymbol { i += 1 }
                if i >= m { break }
                if i > 0 { add(Self.key(word[i - 1], word[i]), freq, word: j, &touched) }
                if i < m - 1 && word[i + 1] != newSymbol {
                    add(Self.key(word[i], word[i + 1]), freq, word: j, &touched)
                }
                i += 1
            }
        }
        for k in touched { if let v = stats[k] { heap.push(v, k, symbolBytes) } }
    }
}

/// The characters Python 3's `str.isspace()` (and regex `\s`) treats as whitespace.
enum PythonWhitespace {
    static func contains(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}

/// A binary max-heap of (count, pair) entries ordered like Python's `(count, pair)` tuples.
/// Entries go stale when a count changes; `LearnerState.bestPair` skips them.
struct PairHeap {
    struct Entry { var count: Int; var key: UInt64 }
    private(set) var items: [Entry] = []
    var count: Int { items.count }
    var top: Entry? { items.first }

    @inline(__always)
    static func higher(_ x: Entry, _ y: Entry, _ symbols: [[UInt8]]) -> Bool {
        if x.count != y.count { return x.count > y.count }
        let xa = LearnerState.first(x.key), ya = LearnerState.first(y.key)
        if xa != ya { return compareBytes(symbols[Int(xa)], symbols[Int(ya)]) > 0 }
        let xb = LearnerState.second(x.key), yb = LearnerState.second(y.key)
        if xb != yb { return compareBytes(symbols[Int(xb)], symbols[Int(yb)]) > 0 }
        return false
    }

    @inline(__always)
    static func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let n = min(a.count, b.count)
        let c = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in memcmp(pa.baseAddress!, pb.baseAddress!, n) } }
        if c != 0 { return Int(c) }
        return a.count - b.count
    }

    mutating func push(_ count: Int, _ key: UInt64, _ symbols: [[UInt8]]) {
        items.append(Entry(count: count, key: key))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if Self.higher(items[i], items[parent], symbols) {
                items.swapAt(i, parent)
                i = parent
            } else { break }
        }
    }

    mutating func pop(_ symbols: [[UInt8]]) {
        let last = items.removeLast()
        guard !items.isEmpty else { return }
        items[0] = last
        siftDown(0, symbols)
    }

    mutating func rebuild(from stats: [UInt64: Int], _ symbols: [[UInt8]]) {
        items = stats.map { Entry(count: $0.value, key: $0.key) }
        if items.count > 1 {
            for i in stride(from: items.count / 2 - 1, through: 0, by: -1) { siftDown(i, symbols) }
        }
    }

    private mutating func siftDown(_ start: Int, _ symbols: [[UInt8]]) {
        var i = start
        let n = items.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < n && Self.higher(items[l], items[best], symbols) { best = l }
            if r < n && Self.higher(items[r], items[best], symbols) { best = r }
            if best == i { return }
            items.swapAt(i, best)
            i = best
        }
    }
}
