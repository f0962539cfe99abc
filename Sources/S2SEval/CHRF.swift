/// chrF (Popović 2015), identical to sacrebleu 2.6.0's `CHRF`: character n-grams of orders
/// 1...charOrder (default 6) over the line with all whitespace removed (kept with
/// `whitespace`), word n-grams of orders 1...wordOrder (0 = chrF, 2 = chrF++), recall weight β
/// (default 2), optional lowercasing (Python `str.lower()`), and sacrebleu's "effective order"
/// averaging: precision and recall are averaged over the orders where both hypothesis and
/// reference have n-grams, then combined into one F-β — or, with `epsSmoothing`, chrF++.py's
/// average of per-order F-scores with ε for empty orders.
///
/// Corpus chrF sums per-segment statistics first (three numbers per order: hypothesis
/// n-grams, reference n-grams, matches) and scores the sums, as sacrebleu does. With several
/// references a segment takes the statistics of the reference with the best F-score.
package struct CHRF: Sendable {
    /// Character n-gram order (≥ 1).
    package let charOrder: Int
    /// Word n-gram order (0 = chrF, 2 = chrF++).
    package let wordOrder: Int
    /// Recall weight.
    package let beta: Int
    /// Lowercase both sides first (sacrebleu `--chrf-lowercase`).
    package let lowercase: Bool
    /// Keep whitespace inside character n-grams (sacrebleu `--chrf-whitespace`).
    package let whitespace: Bool
    /// chrF++.py/NLTK/Moses ε smoothing instead of effective order (`--chrf-eps-smoothing`).
    package let epsSmoothing: Bool

    package init(charOrder: Int = 6, wordOrder: Int = 0, beta: Int = 2,
                lowercase: Bool = false, whitespace: Bool = false, epsSmoothing: Bool = false) {
        precondition(charOrder >= 1, "CHRF: charOrder must be at least 1, got \(charOrder)")
        precondition(wordOrder >= 0 && beta >= 0, "CHRF: negative wordOrder or beta")
        self.charOrder = charOrder
        self.wordOrder = wordOrder
        self.beta = beta
        self.lowercase = lowercase
        self.whitespace = whitespace
        self.epsSmoothing = epsSmoothing
    }

    /// The metric's name as sacrebleu prints it: "chrF2", "chrF2++".
    package var name: String { "chrF\(beta)" + String(repeating: "+", count: wordOrder) }

    /// sacrebleu's signature string for this configuration with one reference.
    package var signature: String { signature(references: 1) }

    /// sacrebleu's signature with `references` references per segment.
    package func signature(references: Int, short: Bool = false, extra: [(String, String)] = []) -> String {
        SacreBLEUSignature(references: references, extra: extra, fields: [
            .init("case", lowercase ? "lc" : "mixed"), .init("eff", epsSmoothing ? "no" : "yes"),
            .init("nc", "\(charOrder)"), .init("nw", "\(wordOrder)"), .init("space", whitespace ? "yes" : "no"),
        ]).format(short: short)
    }

    /// Corpus chrF over aligned hypothesis and reference lines.
    package func corpusScore(hypotheses: [String], references: [String]) throws(EvalError) -> CHRFScore {
        try corpusScore(hypotheses: hypotheses, referenceSets: [references])
    }

    /// Corpus chrF with several references: `referenceSets[k][i]` is the k-th reference of line i.
    package func corpusScore(hypotheses: [String], referenceSets: [[String]]) throws(EvalError) -> CHRFScore {
        var total = CHRFStatistics(orders: charOrder + wordOrder)
        for s in try corpusStatistics(hypotheses: hypotheses, referenceSets: referenceSets) { total.add(s) }
        return score(total)
    }

    /// Per-segment statistics of a corpus.
    package func corpusStatistics(hypotheses: [String], referenceSets: [[String]]) throws(EvalError) -> [CHRFStatistics] {
        try EvalError.checkAligned(hypotheses, referenceSets)
        return hypotheses.indices.map { i in statistics(hypothesis: hypotheses[i], references: referenceSets.map { $0[i] }) }
    }

    /// chrF of one segment against its reference.
    package func sentenceScore(hypothesis: String, reference: String) -> CHRFScore {
        score(statistics(hypothesis: hypothesis, reference: reference))
    }

    /// chrF of one segment against several references.
    package func sentenceScore(hypothesis: String, references: [String]) -> CHRFScore {
        score(statistics(hypothesis: hypothesis, references: references))
    }

    /// Per-order statistics of one segment (`_compute_segment_statistics` with one reference).
    package func statistics(hypothesis: String, reference: String) -> CHRFStatistics {
        statistics(hypothesis: hypothesis, references: [reference])
    }

    /// The statistics against the reference with the highest F-score (the first on a tie).
    package func statistics(hypothesis: String, references: [String]) -> CHRFStatistics {
        let hyp = preprocess(hypothesis)
        var best = CHRFStatistics(orders: charOrder + wordOrder), bestF = -1.0
        for reference in references {
            let stats = statistics(hyp, preprocess(reference))
            let f = fScore(stats)
            if f > bestF { bestF = f; best = stats }
        }
        return best
    }

    private func preprocess(_ line: String) -> Scalars {
        let s = PythonText.scalars(line)
        return lowercase ? PythonText.lower(s) : s
    }

    private func statistics(_ hyp: Scalars, _ ref: Scalars) -> CHRFStatistics {
        var stats = CHRFStatistics(orders: charOrder + wordOrder)
        let hypChars = whitespace ? hyp : PythonText.removingSpaces(hyp)
        let refChars = whitespace ? ref : PythonText.removingSpaces(ref)
        var hypGrams: [CharGram] = [], refGrams: [CharGram] = []
        for n in 1...charOrder {
            if n <= CharGram.maxOrder {
                CharGram.sortedGrams(hypChars, order: n, into: &hypGrams)
                CharGram.sortedGrams(refChars, order: n, into: &refGrams)
                stats.set(order: n - 1, CharGram.match(hypGrams, refGrams))
            } else {
                stats.set(order: n - 1, Self.match(Self.charCounts(hypChars, order: n), Self.charCounts(refChars, order: n)))
            }
        }
        if wordOrder > 0 {
            let hypWords = Self.removePunctuation(hyp)
            let refWords = Self.removePunctuation(ref)
            for n in 1...wordOrder {
                let s = Self.match(Self.wordCounts(hypWords, order: n), Self.wordCounts(refWords, order: n))
                stats.set(order: charOrder + n - 1, s)
            }
        }
        return stats
    }

    /// Character n-grams longer than `CharGram` packs, counted by their code points.
    static func charCounts(_ s: Scalars, order n: Int) -> [ArraySlice<UInt32>: Int] {
        var out: [ArraySlice<UInt32>: Int] = [:]
        guard s.count >= n else { return out }
        for i in 0...(s.count - n) { out[s[i..<(i + n)], default: 0] += 1 }
        return out
    }

    /// The segment score sacrebleu compares references by (`_compute_f_score`).
    func fScore(_ stats: CHRFStatistics) -> Double { score(stats).score }

    /// `_compute_f_score`: F-β of the precision and recall averaged over the orders where both
    /// sides have n-grams, or with ε smoothing the mean of per-order F-β; same operations, same
    /// order, as sacrebleu.
    package func score(_ stats: CHRFStatistics) -> CHRFScore {
        let factor = Double(beta * beta)
        let eps = 1e-16
        var avgPrec = 0.0, avgRec = 0.0, epsScore = 0.0
        var effective = 0
        for i in 0..<stats.orders {
            let nHyp = stats.hyp[i], nRef = stats.ref[i], nMatch = stats.match[i]
            let prec = nHyp > 0 ? Double(nMatch) / Double(nHyp) : eps
            let rec = nRef > 0 ? Double(nMatch) / Double(nRef) : eps
            let denom = factor * prec + rec
            epsScore += denom > 0 ? (1 + factor) * prec * rec / denom : eps
            if nHyp > 0 && nRef > 0 {
                avgPrec += prec
                avgRec += rec
                effective += 1
            }
        }
        if epsSmoothing { return CHRFScore(score: 100 * epsScore / Double(stats.orders), name: name) }
        if effective == 0 {
            avgPrec = 0; avgRec = 0
        } else {
            avgPrec /= Double(effective)
            avgRec /= Double(effective)
        }
        var value = 0.0
        if avgPrec + avgRec != 0 {
            var f = (1 + factor) * avgPrec * avgRec
            f /= (factor * avgPrec) + avgRec
            value = 100 * f
        }
        return CHRFScore(score: value, name: name)
    }

    /// `_get_match_statistics`: hypothesis count (0 when the reference has no n-gram of this
    /// order), reference count, clipped matches.
    static func match<K: Hashable>(_ hyp: [K: Int], _ ref: [K: Int]) -> (hyp: Int, ref: Int, match: Int) {
        var matches = 0, hypCount = 0
        for (g, c) in hyp {
            hypCount += c
            if let r = ref[g] { matches += min(c, r) }
        }
        let refCount = ref.values.reduce(0, +)
        return (ref.isEmpty ? 0 : hypCount, refCount, matches)
    }

    /// ASCII punctuation (`string.punctuation`), split off word edges for chrF++.
    static func isPunct(_ c: UInt32) -> Bool {
        (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E)
    }

    /// `_remove_punctuation`: one trailing, else one leading, punctuation mark becomes its own
    /// word (so "(hi)" gives "(hi" and ")" as in sacrebleu).
    static func removePunctuation(_ s: Scalars) -> [ArraySlice<UInt32>] {
        var out: [ArraySlice<UInt32>] = []
        for w in PythonText.split(s) {
            if w.count == 1 {
                out.append(w)
            } else if let last = w.last, isPunct(last) {
                out.append(w.dropLast()); out.append(w.suffix(1))
            } else if let first = w.first, isPunct(first) {
                out.append(w.prefix(1)); out.append(w.dropFirst())
            } else {
                out.append(w)
            }
        }
        return out
    }

    /// `extract_word_ngrams`: n-grams keyed by their words joined with single spaces.
    static func wordCounts(_ words: [ArraySlice<UInt32>], order n: Int) -> [Scalars: Int] {
        var out: [Scalars: Int] = [:]
        guard words.count >= n else { return out }
        for i in 0...(words.count - n) {
            var key = Scalars()
            for j in i..<(i + n) {
                if j > i { key.append(0x20) }
                key.append(contentsOf: words[j])
            }
            out[key, default: 0] += 1
        }
        return out
    }
}

/// chrF's sufficient statistics: per order, hypothesis n-grams, reference n-grams, matches.
package struct CHRFStatistics: Sendable, Equatable {
    package private(set) var hyp: [Int]
    package private(set) var ref: [Int]
    package private(set) var match: [Int]
    package var orders: Int { hyp.count }

    package init(orders: Int) {
        hyp = Array(repeating: 0, count: orders)
        ref = hyp
        match = hyp
    }

    mutating func set(order i: Int, _ s: (hyp: Int, ref: Int, match: Int)) {
        hyp[i] = s.hyp; ref[i] = s.ref; match[i] = s.match
    }

    package mutating func add(_ other: CHRFStatistics) {
        precondition(other.orders == orders, "CHRFStatistics.add: \(other.orders) orders into \(orders)")
        for i in 0..<orders {
            hyp[i] += other.hyp[i]; ref[i] += other.ref[i]; match[i] += other.match[i]
        }
    }
}

/// A chrF result.
package struct CHRFScore: Sendable, Equatable {
    /// chrF in 0...100.
    package let score: Double
    /// "chrF2" (or "chrF2++").
    package let name: String

    /// sacrebleu's `Score.format`: "chrF2 = 87.97", or with a signature "chrF2|nrefs:1|… = 87.97".
    package func formatted(width: Int = 2, signature: String? = nil) -> String {
        let label = signature.map { "\(name)|\($0)" } ?? name
        return "\(label) = \(ScoreFormat.fixed(score, width))"
    }
}

/// A character n-gram of up to `maxOrder` (6) code points packed into 128 bits (21 bits each); the order is
/// implied by the list it sits in.
///
/// Counting goes by sorting rather than hashing: a sentence has a few dozen n-grams per order,
/// and sorting two short arrays and walking them together (clipped matches = Σ min of equal
/// runs) is several times faster than filling two dictionaries, with identical counts.
struct CharGram: Comparable {
    static let maxOrder = 6
    var hi: UInt64
    var lo: UInt64

    static func < (a: CharGram, b: CharGram) -> Bool { a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo }

    /// Every `order`-long substring of `s` (`extract_all_char_ngrams` for one order), sorted.
    static func sortedGrams(_ s: Scalars, order n: Int, into out: inout [CharGram]) {
        out.removeAll(keepingCapacity: true)
        guard s.count >= n else { return }
        for i in 0...(s.count - n) {
            var g = CharGram(hi: 0, lo: 0)
            for j in 0..<n {
                let c = UInt64(s[i + j])
                if j < 3 { g.lo |= c << UInt64(21 * j) } else { g.hi |= c << UInt64(21 * (j - 3)) }
            }
            out.append(g)
        }
        out.sort()
    }

    /// `_get_match_statistics` on sorted lists: hypothesis count (0 when the reference has none
    /// of this order), reference count, and clipped matches.
    static func match(_ hyp: [CharGram], _ ref: [CharGram]) -> (hyp: Int, ref: Int, match: Int) {
        var i = 0, j = 0, matches = 0
        while i < hyp.count && j < ref.count {
            if hyp[i] < ref[j] { i += 1; continue }
            if ref[j] < hyp[i] { j += 1; continue }
            let g = hyp[i]
            var a = 0, b = 0
            while i < hyp.count && hyp[i] == g { a += 1; i += 1 }
            while j < ref.count && ref[j] == g { b += 1; j += 1 }
            matches += min(a, b)
        }
        return (ref.isEmpty ? 0 : hyp.count, ref.count, matches)
    }
}
