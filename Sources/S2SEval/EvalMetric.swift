/// One configured metric of `s2s evaluate` (sacrebleu's `-m bleu chrf ter`), behind one
/// interface: per-segment statistics as flat `[Double]` rows (sacrebleu's own layout, which
/// its significance tests resample), a score from summed rows, and the report line.
package enum EvalMetric: Sendable {
    case bleu(BLEU)
    case chrf(CHRF)
    case ter(TER)

    /// sacrebleu orders a report by upper-cased metric name: BLEU, CHRF, TER.
    package var sortKey: String {
        switch self {
        case .bleu: "BLEU"
        case .chrf: "CHRF"
        case .ter: "TER"
        }
    }

    /// TER is an error rate: a lower score is better.
    package var higherIsBetter: Bool {
        if case .ter = self { return false }
        return true
    }

    package func signature(references: Int, short: Bool = false, extra: [(String, String)] = []) -> String {
        switch self {
        case let .bleu(m): m.signature(references: references, short: short, extra: extra)
        case let .chrf(m): m.signature(references: references, short: short, extra: extra)
        case let .ter(m): m.signature(references: references, short: short, extra: extra)
        }
    }

    /// One row per segment: BLEU [hyp len, ref len, matches…, totals…], chrF [hyp, ref, match]
    /// per order, TER [edits, reference length].
    package func statistics(hypotheses: [String], referenceSets: [[String]]) throws(EvalError) -> [[Double]] {
        switch self {
        case let .bleu(m):
            return try m.corpusStatistics(hypotheses: hypotheses, referenceSets: referenceSets).map {
                [Double($0.sysLen), Double($0.refLen)] + $0.counts.map(Double.init) + $0.totals.map(Double.init)
            }
        case let .chrf(m):
            return try m.corpusStatistics(hypotheses: hypotheses, referenceSets: referenceSets).map { s in
                (0..<s.orders).flatMap { [Double(s.hyp[$0]), Double(s.ref[$0]), Double(s.match[$0])] }
            }
        case let .ter(m):
            return try m.corpusStatistics(hypotheses: hypotheses, referenceSets: referenceSets).map { [$0.edits, $0.refLength] }
        }
    }

    /// The score of summed statistics (`_compute_score_from_stats`): name, score, verbose part.
    package func score(_ row: [Double]) -> (name: String, score: Double, verbose: String?) {
        switch self {
        case let .bleu(m):
            let n = m.maxNgramOrder
            var s = BLEUStatistics(order: n)
            s.sysLen = Int(row[0]); s.refLen = Int(row[1])
            for k in 0..<n { s.counts[k] = Int(row[2 + k]); s.totals[k] = Int(row[2 + n + k]) }
            let b = m.score(s)
            return ("BLEU", b.score, b.verbose)
        case let .chrf(m):
            var s = CHRFStatistics(orders: row.count / 3)
            for k in 0..<s.orders { s.set(order: k, (Int(row[3 * k]), Int(row[3 * k + 1]), Int(row[3 * k + 2]))) }
            let c = m.score(s)
            return (c.name, c.score, nil)
        case let .ter(m):
            return ("TER", m.score(TERStatistics(edits: row[0], refLength: row[1])).score, nil)
        }
    }

    /// Element-wise sum of rows, left to right like sacrebleu's `sum_of_lists`.
    package static func sum<C: Collection>(_ rows: C) -> [Double] where C.Element == [Double] {
        guard var total = rows.first.map({ [Double](repeating: 0, count: $0.count) }) else { return [] }
        for row in rows { for k in row.indices { total[k] += row[k] } }
        return total
    }

    /// The corpus score as a report line.
    package func corpusResult(hypotheses: [String], referenceSets: [[String]], short: Bool = false) throws(EvalError) -> MetricResult {
        let s = score(Self.sum(try statistics(hypotheses: hypotheses, referenceSets: referenceSets)))
        return MetricResult(name: s.name, score: s.score, signature: signature(references: referenceSets.count, short: short), verbose: s.verbose)
    }
}
