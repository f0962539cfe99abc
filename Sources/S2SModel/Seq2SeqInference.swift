import S2SLayers
import S2SNumerics

/// The encoder's results for N source sentences: everything decoding reads.
///
/// Batch-major: row s·S + j is position j of sentence s. Beam search keeps one of these per
/// batch of sentences and lets its K·N hypothesis rows share it through `sourceRows`.
public final class EncodedSource: @unchecked Sendable {
    public let sentences: Int
    public let sourceLength: Int
    public let lengths: [Int32]
    /// [N·S, 2H] encoder outputs (0 at padding).
    public let encoderOutputs: Tensor
    /// [N·S, K] attention keys.
    public let keys: Tensor
    /// [N, Hd] decoder initial state h0 = tanh(bridge([fwd_final ; bwd_final])).
    public let initialHidden: Tensor
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
    public var memory: AttentionMemory {
        AttentionMemory(encoder: encoderOutputs.matrix, keys: keys.matrix, sourceLength: sourceLength,
                        lengths: lengthStorage.pointer)
    }
}

/// One decoder step for R rows.
public struct DecoderStep: @unchecked Sendable {
    /// [R, Hd] new GRU state h_t.
    public let hidden: Tensor
    /// [R, 2H] attention context ctx_t (feed it back as `context` next step).
    public let context: Tensor
    /// [R, S] attention weights α_t (0 beyond each source's length).
    public let attention: Tensor
    /// [R, V] unnormalized scores of y_t.
    public let logits: Tensor
}

extension Seq2SeqModel {
    /// Encodes padded sources `source` [N, S] (row-major) with `lengths` [N] (each in 1...S).
    /// Dropout is off. Uses the encoder's buffers: do not call between a training pass's
    /// forward and backward on the same model.
    public func encode(source: [Int32], lengths: [Int32], sourceLength S: Int) throws(LayerError) -> EncodedSource {
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
        let E = config.embedding, D = config.encoderOutput
        let ws = Workspace()
        let ids = IndexBuffer(capacity: S * N)
        for s in 0..<N { for t in 0..<S { ids.pointer[t * N + s] = source[s * S + t] } }
        let lens = IndexBuffer(capacity: N)
        lens.set(lengths)
        let x = ws.matrix("x", rows: S * N, cols: E)
        sourceEmbedding.forward(ids: ids.pointer, count: S * N, into: x)
        let encTM = encoder.forward(x, steps: S, batch: N, lengths: lens.pointer, training: false, precision: precision)
        let enc = Tensor(shape: [N * S, D])
        MatrixOps.swapLeadingAxes(encTM, outer: S, inner: N, into: enc.matrix)
        let finals = ws.matrix("finals", rows: N, cols: D)
        encoder.finalStates(into: finals)
        let h0 = Tensor(shape: [N, config.decoderHidden])
        bridge.forward(finals, into: h0.matrix, precision: precision)
        RNNCellKernels.tanh(h0.data, into: h0.data, count: h0.count)
        let keys = Tensor(shape: [N * S, attention.keySize])
        attention.computeKeys(encoder: enc.matrix, into: keys.matrix, precision: precision)
        return EncodedSource(sentences: N, sourceLength: S, lengths: lengths, encoderOutputs: enc, keys: keys, initialHidden: h0)
    }

    /// Encodes unpadded sources (each non-empty).
    public func encode(sources: [[Int32]]) throws(LayerError) -> EncodedSource {
        let S = sources.map(\.count).max() ?? 0
        var flat = [Int32](repeating: ModelConfig.padId, count: sources.count * S)
        for (s, x) in sources.enumerated() { for (j, id) in x.enumerated() { flat[s * S + j] = id } }
        return try encode(source: flat, lengths: sources.map { Int32($0.count) }, sourceLength: S)
    }

    /// The context fed at the first step: zeros [rows, 2H].
    public func initialContext(rows: Int) -> Tensor { Tensor(shape: [rows, config.encoderOutput]) }

    /// One decoder step for R rows (MODEL.md): `e = tgt_emb[y_prev]`, `h = GRU([e ; ctx_prev], h)`,
    /// attention with query h, `logits = out([h ; ctx ; e])`. Row r attends source sentence
    /// `sourceRows?[r] ?? r` of `source` (beam search: the sentence a hypothesis belongs to).
    /// `hidden` [R, Hd] and `context` [R, 2H] are not modified.
    public func step(previousTokens: [Int32], hidden: Tensor, context: Tensor, source: EncodedSource,
                     sourceRows: [Int32]? = nil) -> DecoderStep {
        let R = previousTokens.count
        let E = config.embedding, Hd = config.decoderHidden, D = config.encoderOutput
        precondition(hidden.count == R * Hd && context.count == R * D,
                     "step: \(R) tokens with hidden \(hidden.shape) and context \(context.shape)")
        if let sourceRows {
            precondition(sourceRows.count == R && sourceRows.allSatisfy { $0 >= 0 && Int($0) < source.sentences },
                         "step: sourceRows must give a sentence in 0..<\(source.sentences) for each of \(R) rows")
        } else {
            precondition(R == source.sentences, "step: \(R) rows for \(source.sentences) sentences and no sourceRows")
        }
        let ws = inferenceWorkspace
        let x = ws.matrix("x", rows: R, cols: E + D)
        previousTokens.withUnsafeBufferPointer { targetEmbedding.forward(ids: $0.baseAddress!, count: R, into: x.columns(0, E)) }
        MatrixOps.copy(context.matrix, to: x.columns(E, D))
        let h = Tensor(shape: [R, Hd])
        cell.forward(x: x, hPrev: Matrix(hidden.data, rows: R, cols: Hd), h: h.matrix,
                     gi: ws.matrix("gi", rows: R, cols: 3 * Hd), gh: ws.matrix("gh", rows: R, cols: 3 * Hd),
                     precision: precision)
        let alpha = Tensor(shape: [R, source.sourceLength])
        let ctx = Tensor(shape: [R, D])
        let memory = source.memory
        if let sourceRows {
            sourceRows.withUnsafeBufferPointer {
                attention.attend(query: h.matrix, memory: memory, sourceRows: $0.baseAddress, alpha: alpha.matrix,
                                 context: ctx.matrix, precision: precision)
            }
        } else {
            attention.attend(query: h.matrix, memory: memory, sourceRows: nil, alpha: alpha.matrix,
                             context: ctx.matrix, precision: precision)
        }
        let feat = ws.matrix("feat", rows: R, cols: config.outputInput)
        MatrixOps.copy(h.matrix, to: feat.columns(0, Hd))
        MatrixOps.copy(ctx.matrix, to: feat.columns(Hd, D))
        MatrixOps.copy(x.columns(0, E), to: feat.columns(Hd + D, E))
        let logits = Tensor(shape: [R, config.targetVocabulary])
        output.forward(feat, into: logits.matrix, precision: precision, packed: true)
        return DecoderStep(hidden: h, context: ctx, attention: alpha, logits: logits)
    }

    /// Greedy decoding as the reference does it: at most `maxLength` tokens per sentence,
    /// never `<pad>` or `<s>`, stopping at `</s>` (not included in the result).
    public func greedyDecode(_ source: EncodedSource, maxLength: Int) -> [[Int32]] {
        let N = source.sentences, V = config.targetVocabulary
        var y = [Int32](repeating: ModelConfig.bosId, count: N)
        var h = source.initialHidden, ctx = initialContext(rows: N)
        var out = [[Int32]](repeating: [], count: N)
        var done = [Bool](repeating: false, count: N)
        for _ in 0..<maxLength {
            let s = step(previousTokens: y, hidden: h, context: ctx, source: source)
            for r in 0..<N {
                let row = s.logits.data + r * V
                var best = -1
                for j in 0..<V where j != Int(ModelConfig.padId) && j != Int(ModelConfig.bosId) {
                    if best < 0 || row[j] > row[best] { best = j }
                }
                if done[r] {
                    y[r] = ModelConfig.padId
                } else if Int32(best) == ModelConfig.eosId {
                    done[r] = true
                    y[r] = ModelConfig.padId
                } else {
                    out[r].append(Int32(best))
                    y[r] = Int32(best)
                }
            }
            h = s.hidden
            ctx = s.context
            if done.allSatisfy({ $0 }) { break }
        }
        return out
    }
}
