/// Settings shared by every search strategy. Defaults follow OpenNMT/Marian practice.
package struct DecodeOptions: Sendable, Equatable {
    /// Beam size K (1 = greedy-equivalent beam).
    package var beamSize: Int = 5
    /// GNMT length penalty exponent: `lp(|Y|) = ((5 + |Y|) / 6)^α`, |Y| counting `</s>`.
    package var alpha: Float = 0.6
    /// GNMT coverage penalty weight: `β · Σ_i log(min(Σ_j a_ij, 1))`.
    package var beta: Float = 0
    /// Maximum output length = `ratio · |source| + extra`, capped at `maxLengthCap`.
    package var maxLengthRatio: Float = 1.5
    package var maxLengthExtra: Int = 5
    package var maxLengthCap: Int = 250
    /// `</s>` is forbidden before this many tokens.
    package var minLength: Int = 0
    /// How many hypotheses to return per sentence (≤ beam size).
    package var nBest: Int = 1
    /// Sampling: softmax temperature and top-k cut (0 = whole vocabulary).
    package var temperature: Float = 1
    package var topK: Int = 0
    package var seed: UInt64 = 1
    /// Keep each output token's attention row in the hypotheses (unknown-word replacement,
    /// heatmaps, JSON output). Off saves a copy per token; the search is the same.
    package var recordAttention = true

    package init() {}

    /// The longest output allowed for a source of `sourceLength` tokens.
    package func maxLength(sourceLength: Int) -> Int {
        let byRatio = Int((maxLengthRatio * Float(sourceLength)).rounded(.up)) + maxLengthExtra
        return max(1, min(byRatio, maxLengthCap))
    }

    /// GNMT length normalizer.
    package func lengthPenalty(_ length: Int) -> Float {
        alpha == 0 ? 1 : powf((5 + Float(length)) / 6, alpha)
    }
}

#if canImport(Glibc)
import Glibc
#endif
