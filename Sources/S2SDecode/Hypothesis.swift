/// One decoded output: its tokens (without `</s>`), scores and the attention behind each token.
package struct Hypothesis: Sendable, Equatable {
    /// Output token ids, `</s>` excluded.
    package var tokens: [Int32]
    /// Sum of log-probabilities of the emitted tokens, `</s>` included when the hypothesis ended.
    package var logProb: Float
    /// The ranking score: `logProb / lp(|Y|) + coverage penalty` for beam search, `logProb` otherwise.
    package var score: Float
    /// Attention weights per output token (rows align with `tokens`; each row has the source's length).
    package var attention: [[Float]]
    /// Whether the hypothesis ended with `</s>` (false when it was cut at the length limit).
    package var finished: Bool

    package init(tokens: [Int32], logProb: Float, score: Float, attention: [[Float]], finished: Bool) {
        self.tokens = tokens
        self.logProb = logProb
        self.score = score
        self.attention = attention
        self.finished = finished
    }
}
