import S2SNumerics

/// Bahdanau attention: `score_j = v · tanh(W_k enc_j + W_q h + b_q)`, softmax over the real
/// source positions, `ctx = Σ_j α_j enc_j`. Luong's "concat", `v · tanh(W_a [h ; enc_j])`, is the
/// same without b_q (W_a = [W_q W_k]).
///
/// Parameters (PyTorch names): `{key}.weight` [A, D] (no bias), `{query}.weight` [A, Hd],
/// `{query}.bias` [A], `{score}.weight` [1, A]. Keys are projected once per sentence; each step
/// costs one [R, Hd]×[Hd, A] GEMM plus the fused tanh/score/softmax/context kernel. Training keeps
/// the tanh values of every step ([T, B, S, A]) so backward does not recompute them.
package final class AdditiveAttention: Attention, @unchecked Sendable {
    package let key: Linear    // W_k, no bias
    package let query: Linear  // W_q, b_q
    package let score: Parameter  // v [1, A]

    private let ws = Workspace()
    private var memory: AttentionMemory?
    private var steps = 0

    package var keySize: Int { key.outputSize }
    package var attentionSize: Int { key.outputSize }

    package init(_ parameters: ParameterSet, keyPrefix: String = "att_k", queryPrefix: String = "att_q",
                scorePrefix: String = "att_v", encoderSize: Int, querySize: Int, attentionSize: Int, queryBias: Bool = true,
                rng: inout PCG32) {
        key = Linear(parameters, prefix: keyPrefix, input: encoderSize, output: attentionSize, bias: false, rng: &rng)
        var q = Linear(parameters, prefix: queryPrefix, input: querySize, output: attentionSize, bias: queryBias, rng: &rng)
        q.packsWeight = true   // one small product per decoder step
        query = q
        score = parameters.add("\(scorePrefix).weight", shape: [1, attentionSize])
        Initializer.uniform(1 / Float(attentionSize).squareRoot()).fill(score.value, rng: &rng)
    }

    package func computeKeys(encoder: Matrix, into keys: Matrix, precision: Precision) {
        key.forward(encoder, into: keys, precision: precision)
    }

    package func attend(query h: Matrix, memory: AttentionMemory, sourceRows: UnsafePointer<Int32>?, alpha: Matrix,
                       context: Matrix, precision: Precision) {
        let q = ws.matrix("q_infer", rows: h.rows, cols: attentionSize)
        query.forward(h, into: q, precision: precision)
        RNNCellKernels.additiveAttentionForward(
            keys: memory.keys, enc: memory.encoder, sourceLength: memory.sourceLength, lengths: memory.lengths,
            srcRow: sourceRows, q: q, v: score.value.data, alpha: alpha, ctx: context, tanhSave: nil)
    }

    @discardableResult
    package func beginTraining(encoder: Matrix, sourceLength: Int, lengths: UnsafePointer<Int32>, steps: Int,
                              precision: Precision) -> AttentionMemory {
        let keys = ws.matrix("keys", rows: encoder.rows, cols: attentionSize)
        computeKeys(encoder: encoder, into: keys, precision: precision)
        let m = AttentionMemory(encoder: encoder, keys: keys, sourceLength: sourceLength, lengths: lengths)
        memory = m
        self.steps = steps
        _ = ws.pointer("tanh", count: steps * encoder.rows * attentionSize)
        _ = ws.matrix("dEnc", rows: encoder.rows, cols: encoder.cols, zeroed: true)
        _ = ws.matrix("dKeys", rows: encoder.rows, cols: attentionSize, zeroed: true)
        _ = ws.matrix("dvRows", rows: m.sentences, cols: attentionSize, zeroed: true)
        return m
    }

    private func tanhSave(_ step: Int) -> UnsafeMutablePointer<Float> {
        let m = memory!
        return ws.pointer("tanh", count: steps * m.encoder.rows * attentionSize) + step * m.encoder.rows * attentionSize
    }

    package func forward(step: Int, query h: Matrix, alpha: Matrix, context: Matrix, precision: Precision) {
        let m = memory!
        precondition(step >= 0 && step < steps && h.rows == m.sentences, "AdditiveAttention.forward: step \(step) of \(steps), \(h.rows) rows for \(m.sentences) sentences")
        let q = ws.matrix("q", rows: h.rows, cols: attentionSize)
        query.forward(h, into: q, precision: precision)
        RNNCellKernels.additiveAttentionForward(
            keys: m.keys, enc: m.encoder, sourceLength: m.sourceLength, lengths: m.lengths, srcRow: nil,
            q: q, v: score.value.data, alpha: alpha, ctx: context, tanhSave: tanhSave(step))
    }

    package func backward(step: Int, query h: Matrix, alpha: Matrix, dContext: Matrix, dQuery: Matrix, precision: Precision) {
        let m = memory!
        let rows = m.sentences
        let dq = ws.matrix("dq", rows: rows, cols: attentionSize)
        RNNCellKernels.additiveAttentionBackward(
            enc: m.encoder, sourceLength: m.sourceLength, lengths: m.lengths, v: score.value.data,
            alpha: alpha, tanhSave: tanhSave(step), dctx: dContext,
            dEnc: ws.matrix("dEnc", rows: m.encoder.rows, cols: m.encoder.cols),
            dKeys: ws.matrix("dKeys", rows: m.encoder.rows, cols: attentionSize),
            dvRows: ws.matrix("dvRows", rows: rows, cols: attentionSize), dq: dq)
        query.backward(x: h, dy: dq, dx: dQuery, accumulateInput: true, precision: precision)
    }

    package func endBackward(dEncoder: Matrix, precision: Precision) {
        let m = memory!
        let dKeys = ws.matrix("dKeys", rows: m.encoder.rows, cols: attentionSize)
        Kernels.sumRows(ws.matrix("dvRows", rows: m.sentences, cols: attentionSize), into: score.grad.data, accumulate: true)
        key.backward(x: m.encoder, dy: dKeys, dx: dEncoder, accumulateInput: true, precision: precision)
        MatrixOps.add(ws.matrix("dEnc", rows: m.encoder.rows, cols: m.encoder.cols), to: dEncoder)
    }
}
