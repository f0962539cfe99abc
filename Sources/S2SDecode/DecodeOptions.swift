/// Settings shared by every search strategy. Defaults follow OpenNMT/Marian practice.
public struct DecodeOptions: Sendable, Equatable {
    /// Beam size K (1 = greedy-equivalent beam).
    public var beamSize: Int = 5
    /// GNMT length penalty exponent: `lp(|Y|) = ((5 + |Y|) / 6)^α`, |Y| counting `</s>`.
    public var alpha: Float = 0.6
    /// GNMT coverage penalty weight: `β · Σ_i log(min(Σ_j a_ij, 1))`.
    public var beta: Float = 0
    /// Maximum output length = `ratio · |source| + extra`, capped at `maxLengthCap`.
    public var maxLengthRatio: Float = 1.5
    public var maxLengthExtra: Int = 5
    public var maxLengthCap: Int = 250
    /// `</s>` is forbidden before this many tokens.
    public var minLength: Int = 0
    /// How many hypotheses to return per sentence (≤ beam size).
    public var nBest: Int = 1
    /// Sampling: softmax temperature and top-k cut (0 = whole vocabulary).
    public var temperature: Float = 1
    public var topK: Int = 0
    public var seed: UInt64 = 1
    /// Keep each output token's attention row in the hypotheses (unknown-word replacement,
    /// heatmaps, JSON output). Off saves a copy per token; the search is the same.
    public var recordAttention = true

    public init() {}

    /// The longest output allowed for a source of `sourceLength` tokens.
    public func maxLength(sourceLength: Int) -> Int {
        let byRatio = Int((maxLengthRatio * Float(sourceLength)).rounded(.up)) + maxLengthExtra
        return max(1, min(byRatio, maxLengthCap))
    }

    /// GNMT length normalizer.
    public func lengthPenalty(_ length: Int) -> Float {
        alpha == 0 ? 1 : powf((5 + Float(length)) / 6, alpha)
    }
}

#if canImport(Glibc)
import Glibc
#endif
