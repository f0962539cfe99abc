import S2SNumerics
import S2SText

/// The loop greedy search and sampling share: one path per sentence, extended by one token per
/// step until `</s>` or the sentence's length limit.
///
/// Sentences that finish leave the batch (their rows are dropped from the model state), so a
/// long sentence does not make the short ones keep costing. The caller's `choose` picks, for
/// every active row of a step's logits, the next token and its log-probability.
enum SinglePathSearch {
    typealias Pick = (token: Int32, logProb: Float)

    /// One hypothesis per source, in input order. `choose(logits, step, &picks)` appends one pick
    /// per row of `logits` (row r is the r-th sentence still decoding).
    static func decode<M: StepModel>(
        _ model: M, sources: [[Int32]], options: DecodeOptions,
        choose: (_ logits: Matrix, _ step: Int, _ picks: inout [Pick]) -> Void
    ) throws -> [Hypothesis] {
        let n = sources.count
        guard n > 0 else { return [] }
        var tokens = [[Int32]](repeating: [], count: n)
        var attention = [[Float]](repeating: [], count: n)  // flat rows of each sentence's source length
        var logProb = [Float](repeating: 0, count: n)
        var ended = [Bool](repeating: false, count: n)
        let limits = sources.map { options.maxLength(sourceLength: $0.count) }
        var state = try model.begin(sources: sources)
        var active = (0..<n).map { Int32($0) }            // row r decodes sentence active[r]
        var previous = [Int32](repeating: SpecialTokens.bos, count: n)
        var keep: [Int32] = []
        var picks: [Pick] = []
        keep.reserveCapacity(n)
        picks.reserveCapacity(n)
        var step = 0
        while !active.isEmpty {
            let out = model.advance(&state, previous: previous)
            picks.removeAll(keepingCapacity: true)
            choose(out.logits, step, &picks)
            keep.removeAll(keepingCapacity: true)
            for r in 0..<active.count {
                let s = Int(active[r])
                let (token, tokenLogProb) = picks[r]
                logProb[s] += tokenLogProb
                if token == SpecialTokens.eos {
                    ended[s] = true
                    continue
                }
                tokens[s].append(token)
                if options.recordAttention {
                    let width = min(sources[s].count, out.attention.cols)
                    attention[s].append(contentsOf: UnsafeBufferPointer(start: out.attention.row(r), count: width))
                }
                if tokens[s].count < limits[s] { keep.append(Int32(r)) }
            }
            step += 1
            if keep.count != active.count {
                if keep.isEmpty { break }
                model.reorder(&state, rows: keep)
                for (i, r) in keep.enumerated() { active[i] = active[Int(r)] }
                active.removeLast(active.count - keep.count)
            }
            previous.removeAll(keepingCapacity: true)
            for s in active { previous.append(tokens[Int(s)].last ?? SpecialTokens.bos) }
        }
        return (0..<n).map { s in
            Hypothesis(tokens: tokens[s], logProb: logProb[s], score: logProb[s],
                       attention: rows(attention[s], count: tokens[s].count), finished: ended[s])
        }
    }

    /// Splits a flat attention record into `count` rows (empty when attention was not recorded).
    static func rows(_ flat: [Float], count: Int) -> [[Float]] {
        guard count > 0, !flat.isEmpty else { return [] }
        let w = flat.count / count
        return (0..<count).map { Array(flat[($0 * w)..<(($0 + 1) * w)]) }
    }
}
