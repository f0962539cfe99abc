#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Corpus and sentence BLEU, identical to sacrebleu 2.6.0 with its defaults: 13a tokenization
/// (or any other `BLEUTokenizer`), mixed case, `exp` smoothing (NIST/mteval: the k-th order with no match counts as
/// 1/(2^k · total)), max order 4, one reference per segment.
///
/// Corpus BLEU sums the per-segment statistics (`BLEUStatistics`) and scores the sums, as
/// sacrebleu does; `sentenceScore` scores one segment. sacrebleu's `sentence_bleu()` turns on
/// effective order (`BLEU(effectiveOrder: true)`): orders the hypothesis has no n-grams of are
/// left out of the geometric mean instead of zeroing it.
public struct BLEU: Sendable {
    /// The highest n-gram order (sacrebleu's `MAX_NGRAM_ORDER`).
    public static let maxOrder = 4
    /// Python's `my_log(0)`: the log of a zero precision, large and negative, so `exp` gives 0.
    static let logOfZero: Double = -9_999_999_999

    /// Leave out n-gram orders with no hypothesis n-grams (sacrebleu `effective_order`).
    public var effectiveOrder: Bool
    /// sacrebleu's `tokenize`: how segments become the tokens of the n-grams.
    public var tokenizer: BLEUTokenizer

    public init(effectiveOrder: Bool = false, tokenizer: BLEUTokenizer = .thirteenA) {
        self.effectiveOrder = effectiveOrder
        self.tokenizer = tokenizer
    }

    /// sacrebleu's signature string for this configuration (one reference, sacrebleu 2.6.0).
    public var signature: String {
        "nrefs:1|case:mixed|eff:\(effectiveOrder ? "yes" : "no")|tok:\(tokenizer.rawValue)|smooth:exp|version:\(SacreBLEU.version)"
    }

    /// Corpus BLEU over aligned hypothesis and reference lines.
    public func corpusScore(hypotheses: [String], references: [String]) throws(EvalError) -> BLEUScore {
        guard hypotheses.count == references.count else {
            throw .lineCountMismatch(hypotheses: hypotheses.count, references: references.count)
        }
        var total = BLEUStatistics()
        var interner = TokenInterner()
        for (h, r) in zip(hypotheses, references) {
            total.add(statistics(hypothesis: h, reference: r, interner: &interner))
        }
        return score(total)
    }

    /// BLEU of a single segment against its reference.
    public func sentenceScore(hypothesis: String, reference: String) -> BLEUScore {
        score(statistics(hypothesis: hypothesis, reference: reference))
    }

    /// The sufficient statistics of one segment: lengths and clipped n-gram matches.
    public func statistics(hypothesis: String, reference: String) -> BLEUStatistics {
        var interner = TokenInterner()
        return statistics(hypothesis: hypothesis, reference: reference, interner: &interner)
    }

    func statistics(hypothesis: String, reference: String, interner: inout TokenInterner) -> BLEUStatistics {
        // sacrebleu's _preprocess_segment: rstrip, then tokenize.
        let hyp = interner.ids(tokenizer.tokens(PythonText.rstrip(PythonText.scalars(hypothesis))))
        let ref = interner.ids(tokenizer.tokens(PythonText.rstrip(PythonText.scalars(reference))))
        let refCounts = NGram.counts(ref)
        let hypCounts = NGram.counts(hyp)
        var stats = BLEUStatistics()
        stats.sysLen = hyp.count
        stats.refLen = ref.count
        for (gram, count) in hypCounts {
            let n = Int(gram.order) - 1
            stats.totals[n] += count
            if let r = refCounts[gram] { stats.counts[n] += min(count, r) }
        }
        return stats
    }

    /// `BLEU.compute_bleu` with `smooth_method='exp'`: the score from summed statistics, with
    /// the same operations in the same order as sacrebleu so the result is bit-identical.
    public func score(_ stats: BLEUStatistics) -> BLEUScore {
        let sysLen = stats.sysLen, refLen = stats.refLen
        var bp = 1.0
        if sysLen < refLen {
            bp = sysLen > 0 ? exp(1 - Double(refLen) / Double(sysLen)) : 0.0
        }
        var precisions = [Double](repeating: 0, count: Self.maxOrder)
        // sacrebleu #141: no match of any order gives 0 outright.
        guard stats.counts.contains(where: { $0 != 0 }) else {
            return BLEUScore(score: 0, counts: stats.counts, totals: stats.totals, precisions: precisions,
                             bp: bp, sysLen: sysLen, refLen: refLen)
        }
        var smoothMteval = 1.0
        var effOrder = Self.maxOrder
        for n in 1...Self.maxOrder {
            if stats.totals[n - 1] == 0 { break }
            if effectiveOrder { effOrder = n }
            if stats.counts[n - 1] == 0 {
                smoothMteval *= 2
                precisions[n - 1] = 100.0 / (smoothMteval * Double(stats.totals[n - 1]))
            } else {
                precisions[n - 1] = 100.0 * Double(stats.counts[n - 1]) / Double(stats.totals[n - 1])
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
public struct BLEUStatistics: Sendable, Equatable {
    /// Hypothesis length in tokens.
    public var sysLen: Int = 0
    /// Reference length in tokens.
    public var refLen: Int = 0
    /// Clipped matching n-grams for orders 1...4.
    public var counts: [Int] = [0, 0, 0, 0]
    /// Hypothesis n-grams for orders 1...4.
    public var totals: [Int] = [0, 0, 0, 0]

    public init() {}

    public mutating func add(_ other: BLEUStatistics) {
        sysLen += other.sysLen
        refLen += other.refLen
        for n in 0..<BLEU.maxOrder {
            counts[n] += other.counts[n]
            totals[n] += other.totals[n]
        }
    }
}

/// A BLEU result with everything sacrebleu's `BLEUScore` carries.
public struct BLEUScore: Sendable, Equatable {
    /// BLEU in 0...100.
    public let score: Double
    public let counts: [Int]
    public let totals: [Int]
    /// Per-order precisions in percent (smoothed where a count was 0).
    public let precisions: [Double]
    /// Brevity penalty.
    public let bp: Double
    public let sysLen: Int
    public let refLen: Int

    /// `sys_len / ref_len`, or 0 without reference tokens (as sacrebleu).
    public var ratio: Double { refLen != 0 ? Double(sysLen) / Double(refLen) : 0 }

    /// The part after the score: "98.3/81.6/72.3/65.0 (BP = 0.943 ratio = 0.945 hyp_len = … ref_len = …)".
    public var verbose: String {
        let prec = precisions.map { ScoreFormat.fixed($0, 1) }.joined(separator: "/")
        return "\(prec) (BP = \(ScoreFormat.fixed(bp, 3)) ratio = \(ScoreFormat.fixed(ratio, 3)) "
            + "hyp_len = \(sysLen) ref_len = \(refLen))"
    }

    /// sacrebleu's `Score.format(width, signature=…)`: "BLEU = 73.91 98.3/…" or, with a
    /// signature, "BLEU|nrefs:1|… = 73.91 98.3/…".
    public func formatted(width: Int = 2, signature: String? = nil) -> String {
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

/// A word n-gram of order 1...4 as token ids (unused slots are -1).
struct NGram: Hashable {
    var order: Int8
    var a: Int32, b: Int32, c: Int32, d: Int32

    /// `extract_all_word_ngrams(line, 1, 4)`: counts of every n-gram, orders 1 to 4.
    static func counts(_ ids: [Int32]) -> [NGram: Int] {
        var out: [NGram: Int] = [:]
        out.reserveCapacity(ids.count * 4)
        for n in 1...BLEU.maxOrder where ids.count >= n {
            for i in 0...(ids.count - n) {
                let g = NGram(order: Int8(n), a: ids[i],
                              b: n > 1 ? ids[i + 1] : -1,
                              c: n > 2 ? ids[i + 2] : -1,
                              d: n > 3 ? ids[i + 3] : -1)
                out[g, default: 0] += 1
            }
        }
        return out
    }
}

/// The sacrebleu release whose numbers this module reproduces.
public enum SacreBLEU {
    public static let version = "2.6.0"
}

/// Errors from scoring whole corpora.
public enum EvalError: Error, Equatable, CustomStringConvertible {
    case lineCountMismatch(hypotheses: Int, references: Int)

    public var description: String {
        switch self {
        case let .lineCountMismatch(h, r):
            return "hypotheses have \(h) lines but references have \(r)"
        }
    }
}
