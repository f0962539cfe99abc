/// Translation edit rate, identical to sacrebleu 2.6.0's `TER` (a reimplementation of Tercom):
/// the fewest word insertions, deletions, substitutions and block shifts that turn the
/// hypothesis into the reference, over the reference length, in percent (lower is better).
/// Options as sacrebleu's: `normalized`, `noPunct`, `asianSupport`, `caseSensitive` (see
/// `TercomTokenizer`). With several references a segment takes the fewest edits and the
/// average reference length; corpus TER sums both over segments.
package struct TER: Sendable {
    package let tokenizer: TercomTokenizer

    package init(normalized: Bool = false, noPunct: Bool = false, asianSupport: Bool = false, caseSensitive: Bool = false) {
        tokenizer = TercomTokenizer(normalized: normalized, noPunct: noPunct, asianSupport: asianSupport, caseSensitive: caseSensitive)
    }

    /// sacrebleu's signature with `references` references per segment.
    package func signature(references: Int = 1, short: Bool = false, extra: [(String, String)] = []) -> String {
        func yesNo(_ b: Bool) -> String { b ? "yes" : "no" }
        return SacreBLEUSignature(references: references, extra: extra, fields: [
            .init("case", tokenizer.caseSensitive ? "mixed" : "lc"), .init("tok", short: "t", "tercom"),
            .init("norm", yesNo(tokenizer.normalized)), .init("punct", yesNo(!tokenizer.noPunct)),
            .init("asian", yesNo(tokenizer.asianSupport)),
        ]).format(short: short)
    }

    /// Corpus TER; `referenceSets[k][i]` is the k-th reference of line i.
    package func corpusScore(hypotheses: [String], referenceSets: [[String]]) throws(EvalError) -> TERScore {
        var total = TERStatistics()
        for s in try corpusStatistics(hypotheses: hypotheses, referenceSets: referenceSets) { total.add(s) }
        return score(total)
    }

    /// Per-segment statistics of a corpus.
    package func corpusStatistics(hypotheses: [String], referenceSets: [[String]]) throws(EvalError) -> [TERStatistics] {
        try EvalError.checkAligned(hypotheses, referenceSets)
        return hypotheses.indices.map { i in statistics(hypothesis: hypotheses[i], references: referenceSets.map { $0[i] }) }
    }

    /// TER of one segment.
    package func sentenceScore(hypothesis: String, references: [String]) -> TERScore {
        score(statistics(hypothesis: hypothesis, references: references))
    }

    /// `_compute_segment_statistics`: the fewest edits over the references, their mean length.
    package func statistics(hypothesis: String, references: [String]) -> TERStatistics {
        var interner = TokenInterner()
        let hyp = interner.ids(tokenizer.words(hypothesis))
        var best = 10_000_000_000_000_000
        var lengths = 0
        for reference in references {
            let ref = interner.ids(tokenizer.words(reference))
            let (edits, length) = TERAlignment.editRate(hyp, ref)
            lengths += length
            if edits < best { best = edits }
        }
        return TERStatistics(edits: Double(best), refLength: Double(lengths) / Double(max(references.count, 1)))
    }

    /// `_compute_score_from_stats`: 100 · edits / reference length; 100 for edits against an
    /// empty reference, 0 when both are empty.
    package func score(_ stats: TERStatistics) -> TERScore {
        let value: Double
        if stats.refLength > 0 {
            value = stats.edits / stats.refLength
        } else {
            value = stats.edits > 0 ? 1 : 0
        }
        return TERScore(score: 100 * value, edits: stats.edits, refLength: stats.refLength)
    }
}

/// TER's sufficient statistics (floats in sacrebleu: the reference length is a mean).
package struct TERStatistics: Sendable, Equatable {
    package var edits: Double = 0
    package var refLength: Double = 0

    package init(edits: Double = 0, refLength: Double = 0) {
        self.edits = edits
        self.refLength = refLength
    }

    package mutating func add(_ other: TERStatistics) {
        edits += other.edits
        refLength += other.refLength
    }
}

/// A TER result.
package struct TERScore: Sendable, Equatable {
    /// TER in percent (can pass 100).
    package let score: Double
    package let edits: Double
    package let refLength: Double
}
