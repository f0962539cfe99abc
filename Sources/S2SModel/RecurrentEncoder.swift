import S2SLayers
import S2SNumerics

/// The encoder: source embedding → stacked bidirectional recurrent layers → bridge to the
/// decoder's initial state → attention keys.
///
///     x_j   = src_emb[y_j]                         [S·B, E]    (embedding and word dropout)
///     enc_j = [→h_j ; ←h_j]                        [B·S, 2H]   top layer, batch-major
///     h0    = tanh(bridge([→h_last ; ←h_first]))   [B, Hd]     every decoder layer starts here
///     keys  = attention.computeKeys(enc)           [B·S, K]
///
/// The keys are the attention's parameters applied to the encoder's outputs; the encoder asks
/// the decoder's attention for them so that they are computed once per sentence, and backward
/// collects the gradient that reached them through every decoder step.
/// Not thread-safe: the encoder owns its activation buffers.
package final class RecurrentEncoder: @unchecked Sendable {
    package let embedding: Embedding   // src_emb
    package let layers: RecurrentStack // enc
    package let bridge: Linear         // bridge
    package let attention: any Attention

    private let ws = Workspace()
    private let ids = IndexBuffer()      // [S·B] time-major
    private let lengths = IndexBuffer()  // [B]
    private var steps = 0, batch = 0
    private var rates = DropoutRates.off

    init(embedding: Embedding, layers: RecurrentStack, bridge: Linear, attention: any Attention) {
        self.embedding = embedding
        self.layers = layers
        self.bridge = bridge
        self.attention = attention
    }

    /// Training forward over a padded batch (sources as the batch holds them, row-major).
    /// Returns the attention memory (batch-major encoder outputs and keys) and h0 [B, Hd]; both
    /// stay valid until the next forward, and `backward` reads what this stored.
    /// `decoderSteps` readies the attention for that many decoder steps.
    func forward(_ batch: Seq2SeqBatch, decoderSteps T: Int, dropout: DropoutRates, training: Bool, random: SentenceRandom,
                 precision: Precision) -> (memory: AttentionMemory, h0: Matrix) {
        let B = batch.size, S = batch.sourceLength, E = embedding.dimension, D = layers.outputSize
        steps = S
        self.batch = B
        rates = dropout.when(training)
        let lens = lengths.set(batch.sourceLengths)
        let src = ids.reserve(S * B)
        for b in 0..<B { for t in 0..<S { src[t * B + b] = batch.source[b * S + t] } }
        let x = ws.matrix("x", rows: S * B, cols: E)
        embedding.forward(ids: src, count: S * B, into: x)
        if rates.masksEmbeddings {
            let mask = ws.matrix("xMask", rows: S * B, cols: E)
            rates.drawEmbeddingMask(mask, random: random, elementPurpose: SentenceRandom.Purpose.sourceEmbeddingDropout,
                                    wordPurpose: SentenceRandom.Purpose.sourceWordDropout, batch: B)
            MatrixOps.multiply(x, by: mask)
        }
        let encTM = layers.forward(x, steps: S, batch: B, lengths: lens, training: training, random: random, precision: precision)
        let h0 = initialState(batch: B, in: ws, precision: precision)
        let encBM = ws.matrix("encBM", rows: B * S, cols: D)
        MatrixOps.swapLeadingAxes(encTM, outer: S, inner: B, into: encBM)
        if rates.context > 0 {
            // Drawn time-major (row t·B + b, as every mask), applied batch-major like the memory.
            let maskTM = ws.matrix("encMaskTM", rows: S * B, cols: D), mask = ws.matrix("encMask", rows: B * S, cols: D)
            Dropout(rates.context).drawMask(maskTM, random: random, purpose: SentenceRandom.Purpose.encoderOutputDropout, batch: B)
            MatrixOps.swapLeadingAxes(maskTM, outer: S, inner: B, into: mask)
            MatrixOps.multiply(encBM, by: mask)
        }
        let memory = attention.beginTraining(encoder: encBM, sourceLength: S, lengths: lens, steps: T, precision: precision)
        return (memory, h0)
    }

    /// h0 = tanh(bridge(final states)) [B, Hd], after a forward of the stack.
    private func initialState(batch B: Int, in ws: Workspace, precision: Precision) -> Matrix {
        let finals = ws.matrix("finals", rows: B, cols: layers.outputSize)
        layers.finalStates(into: finals)
        let h0 = ws.matrix("h0", rows: B, cols: bridge.outputSize)
        bridge.forward(finals, into: h0, precision: precision)
        RNNCellKernels.tanh(h0.base, into: h0.base, count: h0.rows * h0.cols)
        return h0
    }

    /// Backward from the gradient on h0 [B, Hd] (overwritten) and the attention's gradients on
    /// keys and encoder outputs: bridge, recurrent layers, source embeddings.
    func backward(dh0: Matrix, precision: Precision) {
        let B = batch, S = steps, D = layers.outputSize, E = embedding.dimension
        // h0 = tanh(a): da = dh0 ⊙ (1 − h0²).
        MatrixOps.tanhBackward(y: ws.matrix("h0", rows: B, cols: bridge.outputSize), grad: dh0)
        let finals = ws.matrix("finals", rows: B, cols: D)
        let dFinals = ws.matrix("dFinals", rows: B, cols: D)
        bridge.backward(x: finals, dy: dh0, dx: dFinals, precision: precision)
        let dEncBM = ws.matrix("dEncBM", rows: B * S, cols: D, zeroed: true)
        attention.endBackward(dEncoder: dEncBM, precision: precision)
        if rates.context > 0 { MatrixOps.multiply(dEncBM, by: ws.matrix("encMask", rows: B * S, cols: D)) }
        let dEncTM = ws.matrix("dEncTM", rows: S * B, cols: D)
        MatrixOps.swapLeadingAxes(dEncBM, outer: B, inner: S, into: dEncTM)
        let dx = ws.matrix("dx", rows: S * B, cols: E)
        layers.backward(dOutput: dEncTM, dFinal: dFinals, dInput: dx, precision: precision)
        if rates.masksEmbeddings { MatrixOps.multiply(dx, by: ws.matrix("xMask", rows: S * B, cols: E)) }
        embedding.backward(ids: ids.pointer, count: S * B, dy: dx)
    }

    /// Inference: encodes padded sources `source` [N, S] (row-major) with `lengths` [N] (each in
    /// 1...S, checked by the caller), dropout off, into tensors of their own. Runs the recurrent
    /// layers, whose buffers a training pass keeps between forward and backward: not in between.
    func encode(source: [Int32], lengths: [Int32], sourceLength S: Int, precision: Precision) -> EncodedSource {
        let N = lengths.count, E = embedding.dimension, D = layers.outputSize
        let local = Workspace()
        let src = IndexBuffer(capacity: S * N)
        for s in 0..<N { for t in 0..<S { src.pointer[t * N + s] = source[s * S + t] } }
        let lens = IndexBuffer(capacity: N)
        lens.set(lengths)
        let x = local.matrix("x", rows: S * N, cols: E)
        embedding.forward(ids: src.pointer, count: S * N, into: x)
        let encTM = layers.forward(x, steps: S, batch: N, lengths: lens.pointer, training: false, precision: precision)
        let enc = Tensor(shape: [N * S, D])
        MatrixOps.swapLeadingAxes(encTM, outer: S, inner: N, into: enc.matrix)
        let h0 = Tensor(shape: [N, bridge.outputSize])
        MatrixOps.copy(initialState(batch: N, in: local, precision: precision), to: h0.matrix)
        let keys = Tensor(shape: [N * S, attention.keySize])
        attention.computeKeys(encoder: enc.matrix, into: keys.matrix, precision: precision)
        return EncodedSource(sentences: N, sourceLength: S, lengths: lengths, encoderOutputs: enc, keys: keys, initialHidden: h0)
    }
}
