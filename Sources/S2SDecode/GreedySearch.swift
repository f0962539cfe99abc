import S2SNumerics

/// Greedy decoding: at every step each sentence takes its most probable token.
///
/// Finished sentences leave the batch (see `SinglePathSearch`). Per step the only work besides
/// the model is one fused top-1 + log-sum-exp pass over each row of logits.
package struct GreedySearch: Sendable {
    package var options: DecodeOptions

    package init(options: DecodeOptions = DecodeOptions()) { self.options = options }

    /// One hypothesis per source, in input order.
    package func decode<M: StepModel>(_ model: M, sources: [[Int32]]) throws -> [Hypothesis] {
        let scores = RowScores()
        return try SinglePathSearch.decode(model, sources: sources, options: options) { logits, step, picks in
            scores.compute(logits, k: 1, forbidEnd: step < options.minLength)
            for r in 0..<logits.rows { picks.append((scores.token(r, 0), scores.logProb(r, 0))) }
        }
    }
}
