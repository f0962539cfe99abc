import S2SLayers
import S2SText

/// The one place that decides how pipeline ids become model sequences, shared by the trainer and
/// the translator so the two can never disagree:
///
/// - source: the pipeline's ids followed by `</s>` (as Joey NMT and the PyTorch reference's
///   `train-text` do: the encoder sees where the sentence ends, and an empty line is still a
///   one-token sequence);
/// - target input `<s> y`, target output `y </s>` (built by `Seq2SeqBatch(sources:targets:)`,
///   reused here rather than duplicated).
///
/// Pipeline ids never contain `<s>`/`</s>` (S2SText adds none), so framing is not idempotent on
/// purpose: frame raw pipeline ids exactly once.
package enum SequenceFraming {
    /// Ids the framing adds to a source sentence (`</s>`).
    package static let sourceOverhead = 1
    /// Ids the framing adds to each of target input and output (`<s>` resp. `</s>`).
    package static let targetOverhead = 1

    /// Source ids as the encoder reads them: `ids </s>`, with `ids` cut to `maxLength − 1` so
    /// the framed sequence is at most `maxLength` long (`nil`: no cap).
    package static func source(_ ids: [Int32], maxLength: Int? = nil) -> [Int32] {
        var out = ids
        if let maxLength { out = Array(out.prefix(max(0, maxLength - sourceOverhead))) }
        out.append(SpecialTokens.eos)
        return out
    }

    /// Target input ids (what the decoder is fed): `<s> y`.
    package static func targetInput(_ ids: [Int32]) -> [Int32] { [SpecialTokens.bos] + ids }

    /// Target output ids (what the decoder must predict): `y </s>`.
    package static func targetOutput(_ ids: [Int32]) -> [Int32] { ids + [SpecialTokens.eos] }

    /// A training/validation batch from unframed pipeline ids: sources framed by `source(_:)`,
    /// targets by `Seq2SeqBatch(sources:targets:)`. Targets longer than `maxTargetLength` are cut
    /// (the `</s>` is kept after the cut).
    package static func batch(sources: [[Int32]], targets: [[Int32]], maxSourceLength: Int? = nil,
                             maxTargetLength: Int? = nil) throws(LayerError) -> Seq2SeqBatch {
        let framed = sources.map { source($0, maxLength: maxSourceLength) }
        let cut = maxTargetLength.map { cap in targets.map { Array($0.prefix(max(0, cap - targetOverhead))) } } ?? targets
        return try Seq2SeqBatch(sources: framed, targets: cut)
    }

    /// A decoded token sequence as pipeline ids: everything before the first `</s>` or `<pad>`,
    /// with a leading `<s>` dropped (search results already omit `</s>`; this makes raw outputs
    /// safe to detokenize too).
    package static func stripTarget(_ tokens: [Int32]) -> [Int32] {
        var body = tokens[...]
        if body.first == SpecialTokens.bos { body = body.dropFirst() }
        if let end = body.firstIndex(where: { $0 == SpecialTokens.eos || $0 == SpecialTokens.pad }) {
            body = body[..<end]
        }
        return Array(body)
    }
}
