/// One decoded output: its tokens (without `</s>`), scores and the attention behind each token.
public struct Hypothesis: Sendable, Equatable {
    /// Output token ids, `</s>` excluded.
    public var tokens: [Int32]
    /// Sum of log-probabilities of the emitted tokens, `</s>` included when the hypothesis ended.
    public var logProb: Float
    /// The ranking score: `logProb / lp(|Y|) + coverage penalty` for beam search, `logProb` otherwise.
    public var score: Float
    /// Attention weights per output token (rows align with `tokens`; each row has the source's length).
    public var attention: [[Float]]
    /// Whether the hypothesis ended with `</s>` (false when it was cut at the length limit).
    public var finished: Bool

    public init(tokens: [Int32], logProb: Float, score: Float, attention: [[Float]], finished: Bool) {
        self.tokens = tokens
        self.logProb = logProb
        self.score = score
        self.attention = attention
        self.finished = finished
    }
}
