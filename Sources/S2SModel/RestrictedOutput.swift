import S2SNumerics

/// The output layer cut down to a batch's candidate tokens (a vocabulary shortlist): logits
/// are computed for the candidates only and every other token's logit is −∞, so the searches,
/// which read [R, V] rows, see a distribution over the candidates alone.
///
/// W_c = W[ids] [C′, F] and b_c = b[ids] are gathered once per batch; C′ is C rounded up to a
/// multiple of 64 (the extra rows repeat the first candidate and are never read), so batches
/// meet a few GEMM shapes rather than one per candidate count. Per step: z = x · W_cᵀ + b_c
/// [R, C′], then logits[r, ·] = −∞ and logits[r, ids[j]] = z[r, j].
final class RestrictedOutput {
    let ids: [Int32]
    private let weight: DecodingWeight
    private var scratch = Tensor(shape: [0])

    /// - Parameters: `full` is the decoder's output weight W [V, F] (+ b [V]); `ids` ascending.
    init(full: DecodingWeight, ids: [Int32]) {
        precondition(!ids.isEmpty, "RestrictedOutput: no candidates")
        self.ids = ids
        let padded = (ids.count + 63) / 64 * 64, K = full.inputs
        let w = Tensor(shape: [padded, K])
        let b = full.bias.map { _ in Tensor(shape: [padded]) }
        for j in 0..<padded {
            let v = Int(ids[j < ids.count ? j : 0])
            (w.data + j * K).update(from: full.weight.data + v * K, count: K)
            if let b, let fb = full.bias { b[j] = fb[v] }
        }
        weight = DecodingWeight(w, bias: b)
    }

    /// logits [R, V] from x [R, F]; `rowsAvailable` as for `DecodingWeight.multiply`.
    func multiply(_ x: Matrix, into logits: Matrix, plan: PrecisionPlan, rowsAvailable: Int) {
        let R = x.rows, C = weight.outputs, capacity = max(rowsAvailable, R)
        if scratch.count < capacity * C { scratch = Tensor(shape: [capacity * C]) }
        let z = Matrix(scratch.data, rows: R, cols: C)
        weight.multiply(x, into: z, plan: plan, rowsAvailable: capacity)
        for r in 0..<R {
            let row = logits.base + r * logits.stride, zr = z.base + r * C
            row.update(repeating: -.infinity, count: logits.cols)
            for (j, id) in ids.enumerated() { row[Int(id)] = zr[j] }
        }
    }
}
