import S2SLayers
import S2SText

/// One padded training batch: B sentence pairs, sources padded to S, targets to T.
///
/// All arrays are row-major by sentence (`source[b·S + j]`). `targetInput` is `<s>` followed by
/// the target shifted right, `targetOutput` the target followed by `</s>`, both padded with
/// `<pad>` (0). Validation happens once here, so the layers can trust ids and lengths.
package struct Seq2SeqBatch: Sendable, Equatable {
    package let size: Int
    package let sourceLength: Int
    package let targetLength: Int
    package let source: [Int32]          // [B, S]
    package let sourceLengths: [Int32]   // [B], each in 1...S
    package let targetInput: [Int32]     // [B, T]
    package let targetOutput: [Int32]    // [B, T]

    /// A batch from flat padded arrays. Throws when shapes disagree or a length is outside 1...S.
    package init(size: Int, sourceLength: Int, targetLength: Int, source: [Int32], sourceLengths: [Int32],
                targetInput: [Int32], targetOutput: [Int32]) throws(LayerError) {
        guard size > 0, sourceLength > 0, targetLength > 0 else {
            throw .invalidBatch("empty batch: \(size) sentences, source length \(sourceLength), target length \(targetLength)")
        }
        guard source.count == size * sourceLength else {
            throw .invalidBatch("source has \(source.count) ids, expected \(size)×\(sourceLength)")
        }
        guard sourceLengths.count == size else {
            throw .invalidBatch("\(sourceLengths.count) source lengths for \(size) sentences")
        }
        guard targetInput.count == size * targetLength, targetOutput.count == size * targetLength else {
            throw .invalidBatch("targets have \(targetInput.count) / \(targetOutput.count) ids, expected \(size)×\(targetLength)")
        }
        for (b, n) in sourceLengths.enumerated() where n < 1 || Int(n) > sourceLength {
            throw .invalidBatch("source length \(n) of sentence \(b) outside 1...\(sourceLength)")
        }
        self.size = size
        self.sourceLength = sourceLength
        self.targetLength = targetLength
        self.source = source
        self.sourceLengths = sourceLengths
        self.targetInput = targetInput
        self.targetOutput = targetOutput
    }

    /// A batch from unpadded id sequences: sources as given (each non-empty, `</s>` included if
    /// the caller wants one), targets become `<s> y` / `y </s>`.
    package init(sources: [[Int32]], targets: [[Int32]]) throws(LayerError) {
        guard !sources.isEmpty, sources.count == targets.count else {
            throw .invalidBatch("\(sources.count) sources for \(targets.count) targets")
        }
        let s = sources.map(\.count).max() ?? 0
        let t = (targets.map(\.count).max() ?? 0) + 1
        var src = [Int32](repeating: SpecialTokens.pad, count: sources.count * s)
        var tin = [Int32](repeating: SpecialTokens.pad, count: sources.count * t)
        var tout = tin
        for (b, (x, y)) in zip(sources, targets).enumerated() {
            guard !x.isEmpty else { throw .invalidBatch("source sentence \(b) is empty") }
            for (j, id) in x.enumerated() { src[b * s + j] = id }
            tin[b * t] = SpecialTokens.bos
            for (j, id) in y.enumerated() {
                tin[b * t + j + 1] = id
                tout[b * t + j] = id
            }
            tout[b * t + y.count] = SpecialTokens.eos
        }
        try self.init(size: sources.count, sourceLength: s, targetLength: t, source: src,
                      sourceLengths: sources.map { Int32($0.count) }, targetInput: tin, targetOutput: tout)
    }

    /// Target tokens that carry loss (targetOutput ≠ `<pad>`).
    package var targetTokenCount: Int { targetOutput.reduce(0) { $0 + ($1 != SpecialTokens.pad ? 1 : 0) } }

    /// Throws when an id is outside the model's vocabularies.
    package func validate(for config: ModelConfig) throws(LayerError) {
        for (i, id) in source.enumerated() where id < 0 || Int(id) >= config.sourceVocabulary {
            throw .invalidBatch("source id \(id) at sentence \(i / sourceLength), position \(i % sourceLength) outside 0..<\(config.sourceVocabulary)")
        }
        for (name, ids) in [("target input", targetInput), ("target output", targetOutput)] {
            for (i, id) in ids.enumerated() where id < 0 || Int(id) >= config.targetVocabulary {
                throw .invalidBatch("\(name) id \(id) at sentence \(i / targetLength), position \(i % targetLength) outside 0..<\(config.targetVocabulary)")
            }
        }
    }
}
