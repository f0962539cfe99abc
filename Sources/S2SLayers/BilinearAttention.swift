import S2SNumerics

/// Luong "general" attention: `score_j = h · (W_k enc_j)`, softmax over the real source
/// positions, `ctx = Σ_j α_j enc_j`. One parameter, `{key}.weight` [Hd, D] (no bias); the keys
/// live in the decoder's hidden space and are projected once per sentence.
///
/// Luong "dot" is the same with W_k = I (`key` nil): `score_j = h · enc_j`, no parameters, and
/// the decoder size must equal the encoder output size 2H.
package final class BilinearAttention: Attention, @unchecked Sendable {
    package let key: Linear?
    private let encoderSize: Int

    private let ws = Workspace()
    private var memory: AttentionMemory?

    package var keySize: Int { key?.outputSize ?? encoderSize }

    /// `projected` false gives dot attention (then `querySize` must equal `encoderSize`).
    package init(_ parameters: ParameterSet, keyPrefix: String = "att_k", encoderSize: Int, querySize: Int,
                projected: Bool = true, rng: inout PCG32) {
        precondition(projected || encoderSize == querySize, "dot attention needs query size \(querySize) == encoder size \(encoderSize)")
        self.encoderSize = encoderSize
        key = projected ? Linear(parameters, prefix: keyPrefix, input: encoderSize, output: querySize, bias: false, rng: &rng) : nil
    }

    package func computeKeys(encoder: Matrix, into keys: Matrix, precision: Precision) {
        if let key { key.forward(encoder, into: keys, precision: precision) } else { MatrixOps.copy(encoder, to: keys) }
    }

    package func attend(query h: Matrix, memory: AttentionMemory, sourceRows: UnsafePointer<Int32>?, alpha: Matrix,
                       context: Matrix, precision: Precision) {
        RNNCellKernels.bilinearAttentionForward(
            keys: memory.keys, enc: memory.encoder, sourceLength: memory.sourceLength, lengths: memory.lengths,
            srcRow: sourceRows, q: h, alpha: alpha, ctx: context)
    }

    @discardableResult
    package func beginTraining(encoder: Matrix, sourceLength: Int, lengths: UnsafePointer<Int32>, steps: Int,
                              precision: Precision) -> AttentionMemory {
        let keys = ws.matrix("keys", rows: encoder.rows, cols: keySize)
        computeKeys(encoder: encoder, into: keys, precision: precision)
        let m = AttentionMemory(encoder: encoder, keys: keys, sourceLength: sourceLength, lengths: lengths)
        memory = m
        _ = ws.matrix("dEnc", rows: encoder.rows, cols: encoder.cols, zeroed: true)
        _ = ws.matrix("dKeys", rows: encoder.rows, cols: keySize, zeroed: true)
        return m
    }

    package func forward(step: Int, query h: Matrix, alpha: Matrix, context: Matrix, precision: Precision) {
        attend(query: h, memory: memory!, sourceRows: nil, alpha: alpha, context: context, precision: precision)
    }

    package func backward(step: Int, query h: Matrix, alpha: Matrix, dContext: Matrix, dQuery: Matrix, precision: Precision) {
        let m = memory!
        RNNCellKernels.bilinearAttentionBackward(
            keys: m.keys, enc: m.encoder, sourceLength: m.sourceLength, lengths: m.lengths, q: h, alpha: alpha,
            dctx: dContext, dEnc: ws.matrix("dEnc", rows: m.encoder.rows, cols: m.encoder.cols),
            dKeys: ws.matrix("dKeys", rows: m.encoder.rows, cols: keySize), dq: dQuery)
    }

    package func endBackward(dEncoder: Matrix, precision: Precision) {
        let m = memory!
        let dKeys = ws.matrix("dKeys", rows: m.encoder.rows, cols: keySize)
        if let key {
            key.backward(x: m.encoder, dy: dKeys, dx: dEncoder, accumulateInput: true, precision: precision)
        } else {
            MatrixOps.add(dKeys, to: dEncoder)   // keys = encoder outputs
        }
        MatrixOps.add(ws.matrix("dEnc", rows: m.encoder.rows, cols: m.encoder.cols), to: dEncoder)
    }
}
