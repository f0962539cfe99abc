/// How ``Translator`` searches for a translation.
///
/// ```swift
/// let lines = try translator.translate(["A dog runs."], options: .beam(5))
/// ```
public struct TranslationOptions: Sendable, Equatable {
    /// The search: greedy (one hypothesis), or beam search with this many hypotheses.
    public enum Search: Sendable, Equatable {
        /// The most probable token at each step, one hypothesis.
        case greedy
        /// Beam search keeping `size` hypotheses (≥ 1), scored with ``TranslationOptions/lengthPenalty``.
        case beam(size: Int)
    }

    /// The search.
    public var search: Search
    /// Beam search's length normalization exponent α (GNMT's length penalty; 0 = none).
    public var lengthPenalty: Float = 0.6
    /// Sentences translated together in one batch (more is faster per sentence, up to a point).
    public var batchSize: Int = 32
    /// Copy the attended source word in place of each `<unk>` in the output.
    public var replaceUnknown: Bool = false

    /// Options with `search` and the defaults of `s2s translate` for the rest.
    public init(search: Search) {
        self.search = search
    }

    /// Greedy search: the most probable token at each step. Fastest.
    public static var greedy: TranslationOptions { TranslationOptions(search: .greedy) }

    /// Beam search with `size` hypotheses (`s2s translate`'s default is 5).
    public static func beam(_ size: Int) -> TranslationOptions { TranslationOptions(search: .beam(size: size)) }
}
