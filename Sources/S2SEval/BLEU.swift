#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Corpus and sentence BLEU, identical to sacrebleu 2.6.0: 13a tokenization (or any other
/// `BLEUTokenizer`), and sacrebleu's options — lowercasing (Python `str.lower()`), the smoothing
/// methods `exp` (NIST/mteval: the k-th order with no match counts as 1/(2^k · total), the
/// default), `floor`, `add-k` and `none`, any maximum n-gram order (default 4), and several
/// references per segment (n-gram counts clipped by the maximum over the references, the closest
/// reference length).
///
/// Corpus BLEU sums the per-segment statistics (`BLEUStatistics`) and scores the sums, as
/// sacrebleu does; `sentenceScore` scores one segment. sacrebleu's `sentence_bleu()` turns on
/// effective order (`BLEU(effectiveOrder: true)`): orders the hypothesis has no n-grams of are
/// left out of the geometric mean instead of zeroing it.
package struct BLEU: Sendable {
    /// sacrebleu's default highest n-gram order (`MAX_NGRAM_ORDER`).
    package static let maxOrder = 4
    /// Python's `my_log(0)`: the log of a zero precision, large and negative, so `exp` gives 0.
    static let logOfZero: Double = -9_999_999_999

    /// Leave out n-gram orders with no hypothesis n-grams (sacrebleu `effective_order`).
    package var effectiveOrder: Bool
    /// Lowercase both sides before tokenizing (sacrebleu `--lowercase`).
    package var lowercase: Bool
    /// How orders without a match are scored (sacrebleu `--smooth-method/--smooth-value`).
    package var smoothing: BLEUSmoothing
    /// The highest n-gram order (sacrebleu's `max_ngram_order`).
    package var maxNgramOrder: Int
    /// sacrebleu's `tokenize`: how segments become the tokens of the n-grams.
    package var tokenizer: BLEUTokenizer
    /// The papers' preprocessing (Moses normalization, lowercase, Moses tokenization) before
    /// `tokenizer`, which is then `.none` (`BLEU.paperStyle`).
    package var moses: MosesBLEUPreprocessing?

    package init(effectiveOrder: Bool = false, lowercase: Bool = false, smoothing: BLEUSmoothing = .exp,
                maxNgramOrder: Int = BLEU.maxOrder, tokenizer: BLEUTokenizer = .thirteenA) {
        precondition(maxNgramOrder >= 1, "BLEU: maxNgramOrder must be at least 1, got \(maxNgramOrder)")
        self.effectiveOrder = effectiveOrder
        self.lowercase = lowercase
        self.smoothing = smoothing
        self.maxNgramOrder = maxNgramOrder
        self.tokenizer = tokenizer
    }

    /// sacrebleu's signature string for this configuration with one reference.
    package var signature: String { signature(references: 1) }

    /// sacrebleu's signature with `references` references per segment ("nrefs:2|case:lc|…").
    package func signature(references: Int, short: Bool = false, extra: [(String, String)] = []) -> String {
        SacreBLEUSignature(references: references, extra: extra, fields: [
            .init("case", lowercase || moses != nil ? "lc" : "mixed"), .init("eff", effectiveOrder ? "yes" : "no"),
            .init("tok", moses?.name ?? tokenizer.rawValue), .init("smooth", smoothing.signature),
        ]).format(short: short)
    }

    /// Corpus BLEU over aligned hypothesis and reference lines.
    package func corpusScore(hypotheses: [String], references: [String]) throws(EvalError) -> BLEUScore {
        try corpusScore(hypotheses: hypotheses, referenceSets: [references])
    }

    /// Corpus BLEU with several references: `referenceSets[k][i]` is the k-th reference of line i.
    package func corpusScore(hypotheses: [String], referenceSets: [[String]]) throws(EvalError) -> BLEUScore {
        score(try corpusStatistics(hypotheses: hypotheses, referenceSets: referenceSets).reduce(into: BLEUStatistics(order: maxNgramOrder)) { $0.add($1) })
    }

    /// Per-segment statistics of a corpus (summed they give the corpus score; resampled they
    /// give the significance tests).
    package func corpusStatistics(hypotheses: [String], referenceSets: [[String]]) throws(EvalError) -> [BLEUStatistics] {
        try EvalError.checkAligned(hypotheses, referenceSets)
        var interner = TokenInterner()
        return hypotheses.indices.map { i in
            statistics(hypothesis: hypotheses[i], references: referenceSets.map { $0[i] }, interner: &interner)
        }
    }

    /// BLEU of a single segment against its reference.
    package func sentenceScore(hypothesis: String, reference: String) -> BLEUScore {
        score(statistics(hypothesis: hypothesis, reference: reference))
    }

    /// BLEU of a single segment against several references.
    package func sentenceScore(hypothesis: String, references: [String]) -> BLEUScore {
        var interner = TokenInterner()
        return score(statistics(hypothesis: hypothesis, references: references, interner: &interner))
    }

    /// The sufficient statistics of one segment: lengths and clipped n-gram matches.
    package func statistics(hypothesis: String, reference: String) -> BLEUStatistics {
        var interner = TokenInterner()
        return statistics(hypothesis: hypothesis, references: [reference], interner: &interner)
    }

    /// sacrebleu's `_preprocess_segment`: lowercase if asked, rstrip, then tokenize (after the
    /// papers' preprocessing, if any).
    func tokenIDs(_ line: String, interner: inout TokenInterner) -> [Int32] {
        var s = PythonText.scalars(line)
        if let moses { s = moses.apply(s) }
        if lowercase { s = PythonText.lower(s) }
        return interner.ids(tokenizer.tokens(PythonText.rstrip(s)))
    }

    func statistics(hypothesis: String, references: [String], interner: inout TokenInterner) -> BLEUStatistics {
        let hyp = tokenIDs(hypothesis, interner: &interner)
        // _extract_reference_info: per n-gram the maximum count over the references.
        var refCounts: [NGram: Int] = [:]
        var refLengths: [Int] = []
        for reference in references {
            let ref = tokenIDs(reference, interner: &interner)
            refLengths.append(ref.count)
            for (gram, count) in NGram.counts(ref, maxOrder: maxNgramOrder) where count > refCounts[gram, default: 0] {
                refCounts[gram] = count
            }
        }
        var stats = BLEUStatistics(order: maxNgramOrder)
        stats.sysLen = hyp.count
        stats.refLen = Self.closestReferenceLength(hyp.count, refLengths)
        for (gram, count) in NGram.counts(hyp, maxOrder: maxNgramOrder) {
            let n = gram.order - 1
            stats.totals[n] += count
            if let r = refCounts[gram] { stats.counts[n] += min(count, r) }
        }
        return stats
    }

    /// `_get_closest_ref_len`: the reference length nearest the hypothesis', the shorter on a tie.
    static func closestReferenceLength(_ hypLen: Int, _ refLengths: [Int]) -> Int {
        var closestDiff = -1, closestLen = -1
        for len in refLengths {
            let diff = abs(hypLen - len)
            if closestDiff == -1 || diff < closestDiff {
                closestDiff = diff
                closestLen = len
            } else if diff == closestDiff && len < closestLen {
                closestLen = len
            }
        }
        return closestLen
    }

    /// `BLEU.compute_bleu`: the score from summed statistics, with the same operations in the
    /// same order as sacrebleu so the result is bit-identical.
    package func score(_ stats: BLEUStatistics) -> BLEUScore {
        let sysLen = stats.sysLen, refLen = stats.refLen
        var bp = 1.0
        if sysLen < refLen {
            bp = sysLen > 0 ? exp(1 - Double(refLen) / Double(sysLen)) : 0.0
        }
        let order = maxNgramOrder
        var precisions = [Double](repeating: 0, count: order)
        // sacrebleu #141: no match of any order gives 0 outright.
        guard stats.counts.contains(where: { $0 != 0 }) else {
            return BLEUScore(score: 0, counts: stats.counts, totals: stats.totals, precisions: precisions,
                             bp: bp, sysLen: sysLen, refLen: refLen)
        }
        // add-k adds k to the counts and totals of orders 2 and up (floats in sacrebleu).
        var correct = stats.counts.map(Double.init), total = stats.totals.map(Double.init)
        var smoothMteval = 1.0
        var effOrder = order
        for n in 1...order {
            if case let .addK(k) = smoothing, n > 1 {
                correct[n - 1] += k
                total[n - 1] += k
            }
            if total[n - 1] == 0 { break }
            if effectiveOrder { effOrder = n }
            if correct[n - 1] == 0 {
                switch smoothing {
                case .exp:
                    smoothMteval *= 2
                    precisions[n - 1] = 100.0 / (smoothMteval * total[n - 1])
                case let .floor(value):
                    precisions[n - 1] = 100.0 * value / total[n - 1]
                case .none, .addK:
                    break
                }
            } else {
                precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1]
            }
        }
        var logSum = 0.0
        for p in precisions[0..<effOrder] { logSum += p == 0 ? Self.logOfZero : log(p) }
        let value = bp * exp(logSum / Double(effOrder))
        return BLEUScore(score: value, counts: stats.counts, totals: stats.totals, precisions: precisions,
                         bp: bp, sysLen: sysLen, refLen: refLen)
    }
}

/// BLEU's sufficient statistics; they add up over segments.
package struct BLEUStatistics: Sendable, Equatable {
    /// Hypothesis length in tokens.
    package var sysLen: Int = 0
    /// Reference length in tokens (the closest one's, with several references).
    package var refLen: Int = 0
    /// Clipped matching n-grams for orders 1...order.
    package var counts: [Int]
    /// Hypothesis n-grams for orders 1...order.
    package var totals: [Int]

    package init(order: Int = BLEU.maxOrder) {
        counts = Array(repeating: 0, count: order)
        totals = counts
    }

    package mutating func add(_ other: BLEUStatistics) {
        sysLen += other.sysLen
        refLen += other.refLen
        for n in counts.indices {
            counts[n] += other.counts[n]
            totals[n] += other.totals[n]
        }
    }
}

/// A BLEU result with everything sacrebleu's `BLEUScore` carries.
package struct BLEUScore: Sendable, Equatable {
    /// BLEU in 0...100.
    package let score: Double
    package let counts: [Int]
    package let totals: [Int]
    /// Per-order precisions in percent (smoothed where a count was 0).
    package let precisions: [Double]
    /// Brevity penalty.
    package let bp: Double
    package let sysLen: Int
    package let refLen: Int

    /// `sys_len / ref_len`, or 0 without reference tokens (as sacrebleu).
    package var ratio: Double { refLen != 0 ? Double(sysLen) / Double(refLen) : 0 }

    /// The part after the score: "98.3/81.6/72.3/65.0 (BP = 0.943 ratio = 0.945 hyp_len = … ref_len = …)".
    package var verbose: String {
        let prec = precisions.map { ScoreFormat.fixed($0, 1) }.joined(separator: "/")
        return "\(prec) (BP = \(ScoreFormat.fixed(bp, 3)) ratio = \(ScoreFormat.fixed(ratio, 3)) "
            + "hyp_len = \(sysLen) ref_len = \(refLen))"
    }

    /// sacrebleu's `Score.format(width, signature=…)`: "BLEU = 73.91 98.3/…" or, with a
    /// signature, "BLEU|nrefs:1|… = 73.91 98.3/…".
    package func formatted(width: Int = 2, signature: String? = nil) -> String {
        let name = signature.map { "BLEU|\($0)" } ?? "BLEU"
        return "\(name) = \(ScoreFormat.fixed(score, width)) \(verbose)"
    }
}

/// Gives each distinct token (compared code point by code point, like Python) a small integer,
/// so n-grams hash as a few integers instead of strings.
struct TokenInterner {
    private var table: [ArraySlice<UInt32>: Int32] = [:]

    mutating func ids(_ tokens: [ArraySlice<UInt32>]) -> [Int32] {
        tokens.map { tok in
            if let id = table[tok] { return id }
            let id = Int32(table.count)
            table[tok] = id
            return id
        }
    }
}

/// A word n-gram as token ids: the first four in fixed slots (unused ones are -1), any
/// further ones in `tail` (empty, so no allocation, at sacrebleu's default order 4).
struct NGram: Hashable {
    var order: Int
    var a: Int32, b: Int32, c: Int32, d: Int32
    var tail: [Int32] = []

    /// `extract_all_word_ngrams(line, 1, maxOrder)`: counts of every n-gram, orders 1 to maxOrder.
    static func counts(_ ids: [Int32], maxOrder: Int = BLEU.maxOrder) -> [NGram: Int] {
        var out: [NGram: Int] = [:]
        out.reserveCapacity(ids.count * maxOrder)
        for n in 1...maxOrder where ids.count >= n {
            for i in 0...(ids.count - n) {
                var g = NGram(order: n, a: ids[i],
                              b: n > 1 ? ids[i + 1] : -1,
                              c: n > 2 ? ids[i + 2] : -1,
                              d: n > 3 ? ids[i + 3] : -1)
                if n > 4 { g.tail = Array(ids[(i + 4)..<(i + n)]) }
                out[g, default: 0] += 1
            }
        }
        return out
    }
}

/// The sacrebleu release whose numbers this module reproduces.
package enum SacreBLEU {
    package static let version = "2.6.0"
}

/// Errors from scoring whole corpora.
package enum EvalError: Error, Equatable, CustomStringConvertible {
    case lineCountMismatch(hypotheses: Int, references: Int)
    case noReferences

    package var description: String {
        switch self {
        case let .lineCountMismatch(h, r):
            return "hypotheses have \(h) lines but references have \(r)"
        case .noReferences:
            return "no reference lines given"
        }
    }

    /// Every reference set has one line per hypothesis.
    static func checkAligned(_ hypotheses: [String], _ referenceSets: [[String]]) throws(EvalError) {
        guard !referenceSets.isEmpty else { throw .noReferences }
        for refs in referenceSets where refs.count != hypotheses.count {
            throw .lineCountMismatch(hypotheses: hypotheses.count, references: refs.count)
        }
    }
}
