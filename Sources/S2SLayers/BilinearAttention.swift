import S2SNumerics

/// Luong "general" attention: `score_j = h · (W_k enc_j)`, softmax over the real source
/// positions, `ctx = Σ_j α_j enc_j`. One parameter, `{key}.weight` [Hd, D] (no bias); the keys
/// live in the decoder's hidden space and are projected once per sentence.
public final class BilinearAttention: Attention, @unchecked Sendable {
    public let key: Linear

    private let ws = Workspace()
    private var memory: AttentionMemory?

    public var keySize: Int { key.outputSize }

    public init(_ parameters: ParameterSet, keyPrefix: String = "att_k", encoderSize: Int, querySize: Int, rng: inout PCG32) {
        key = Linear(parameters, prefix: keyPrefix, input: encoderSize, output: querySize, bias: false, rng: &rng)
    }

    public func computeKeys(encoder: Matrix, into keys: Matrix, precision: Precision) {
        key.forward(encoder, into: keys, precision: precision)
    }

    public func attend(query h: Matrix, memory: AttentionMemory, sourceRows: UnsafePointer<Int32>?, alpha: Matrix,
                       context: Matrix, precision: Precision) {
        RNNCellKernels.bilinearAttentionForward(
            keys: memory.keys, enc: memory.encoder, sourceLength: memory.sourceLength, lengths: memory.lengths,
            srcRow: sourceRows, q: h, alpha: alpha, ctx: context)
    }

    @discardableResult
    public func beginTraining(encoder: Matrix, sourceLength: Int, lengths: UnsafePointer<Int32>, steps: Int,
                              precision: Precision) -> AttentionMemory {
        let keys = ws.matrix("keys", rows: encoder.rows, cols: keySize)
        computeKeys(encoder: encoder, into: keys, precision: precision)
        let m = AttentionMemory(encoder: encoder, keys: keys, sourceLength: sourceLength, lengths: lengths)
        memory = m
        _ = ws.matrix("dEnc", rows: encoder.rows, cols: encoder.cols, zeroed: true)
        _ = ws.matrix("dKeys", rows: encoder.rows, cols: keySize, zeroed: true)
        return m
    }

    public func forward(step: Int, query h: Matrix, alpha: Matrix, context: Matrix, precision: Precision) {
        attend(query: h, memory: memory!, sourceRows: nil, alpha: alpha, context: context, precision: precision)
    }

    public func backward(step: Int, query h: Matrix, alpha: Matrix, dContext: Matrix, dQuery: Matrix, precision: Precision) {
        let m = memory!
        RNNCellKernels.bilinearAttentionBackward(
            keys: m.keys, enc: m.encoder, sourceLength: m.sourceLength, lengths: m.lengths, q: h, alpha: alpha,
            dctx: dContext, dEnc: ws.matrix("dEnc", rows: m.encoder.rows, cols: m.encoder.cols),
            dKeys: ws.matrix("dKeys", rows: m.encoder.rows, cols: keySize), dq: dQuery)
    }

    public func endBackward(dEncoder: Matrix, precision: Precision) {
        let m = memory!
        key.backward(x: m.encoder, dy: ws.matrix("dKeys", rows: m.encoder.rows, cols: keySize), dx: dEncoder,
                     accumulateInput: true, precision: precision)
        MatrixOps.add(ws.matrix("dEnc", rows: m.encoder.rows, cols: m.encoder.cols), to: dEncoder)
    }
}
