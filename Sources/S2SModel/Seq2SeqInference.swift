import S2SLayers
import S2SNumerics
import S2SText

/// The encoder's results for N source sentences: everything decoding reads.
///
/// Batch-major: row s·S + j is position j of sentence s. Beam search keeps one of these per
/// batch of sentences and lets its K·N hypothesis rows share it through `sourceRows`.
package final class EncodedSource: @unchecked Sendable {
    package let sentences: Int
    package let sourceLength: Int
    package let lengths: [Int32]
    /// [N·S, 2H] encoder outputs (0 at padding).
    package let encoderOutputs: Tensor
    /// [N·S, K] attention keys.
    package let keys: Tensor
    /// [N, Hd] decoder initial state h0 = tanh(bridge([fwd_final ; bwd_final])).
    package let initialHidden: Tensor
    private let lengthStorage: IndexBuffer

    init(sentences: Int, sourceLength: Int, lengths: [Int32], encoderOutputs: Tensor, keys: Tensor, initialHidden: Tensor) {
        self.sentences = sentences
        self.sourceLength = sourceLength
        self.lengths = lengths
        self.encoderOutputs = encoderOutputs
        self.keys = keys
        self.initialHidden = initialHidden
        lengthStorage = IndexBuffer(capacity: lengths.count)
        lengthStorage.set(lengths)
    }

    /// The attention memory view (valid while this object lives).
    package var memory: AttentionMemory {
        AttentionMemory(encoder: encoderOutputs.matrix, keys: keys.matrix, sourceLength: sourceLength,
                        lengths: lengthStorage.pointer)
    }
}

extension Seq2SeqModel {
    /// Encodes padded sources `source` [N, S] (row-major) with `lengths` [N] (each in 1...S).
    /// Dropout is off. Uses the encoder's recurrent buffers: do not call between a training
    /// pass's forward and backward on the same model.
    package func encode(source: [Int32], lengths: [Int32], sourceLength S: Int) throws(LayerError) -> EncodedSource {
        let N = lengths.count
        guard N > 0, S > 0, source.count == N * S else {
            throw .invalidBatch("source has \(source.count) ids for \(N) sentences of length \(S)")
        }
        for (s, n) in lengths.enumerated() where n < 1 || Int(n) > S {
            throw .invalidBatch("source length \(n) of sentence \(s) outside 1...\(S)")
        }
        for (i, id) in source.enumerated() where id < 0 || Int(id) >= config.sourceVocabulary {
            throw .invalidBatch("source id \(id) at sentence \(i / S), position \(i % S) outside 0..<\(config.sourceVocabulary)")
        }
        return encoder.encode(source: source, lengths: lengths, sourceLength: S, precision: precision)
    }

    /// Encodes unpadded sources (each non-empty).
    package func encode(sources: [[Int32]]) throws(LayerError) -> EncodedSource {
        let S = sources.map(\.count).max() ?? 0
        var flat = [Int32](repeating: SpecialTokens.pad, count: sources.count * S)
        for (s, x) in sources.enumerated() { for (j, id) in x.enumerated() { flat[s * S + j] = id } }
        return try encode(source: flat, lengths: sources.map { Int32($0.count) }, sourceLength: S)
    }
}
