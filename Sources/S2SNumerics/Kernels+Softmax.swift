import CKernels

extension Kernels {
    /// Row softmax in place. `m` [R, C]. With `validColumns` [R], row r normalizes over columns
    /// `0..<validColumns[r]` and sets the rest to 0 (attention over real source positions).
    package static func softmaxRows(_ m: Matrix, validColumns: UnsafePointer<Int32>?) {
        s2s_softmax_rows(m.base, Int64(m.rows), Int64(m.cols), Int64(m.stride), validColumns)
    }

    /// Softmax backward from its output: `dx[r, j] = y[r, j]·(dy[r, j] − Σ_k y[r, k]·dy[r, k])`.
    /// Masked positions (y = 0) get 0. `y`, `dy`, `dx` [R, C]; `dx` may be `dy`.
    package static func softmaxBackwardRows(output y: Matrix, gradOutput dy: Matrix, into dx: Matrix) {
        precondition(y.rows == dy.rows && y.cols == dy.cols && dx.rows == y.rows && dx.cols == y.cols,
                     "softmaxBackwardRows: y \(y.rows)x\(y.cols), dy \(dy.rows)x\(dy.cols), dx \(dx.rows)x\(dx.cols)")
        s2s_softmax_backward_rows(y.base, Int64(y.stride), dy.base, Int64(dy.stride), dx.base, Int64(dx.stride),
                                  Int64(y.rows), Int64(y.cols))
    }

    /// Row log-softmax in place. `m` [R, C]
    package static func logSoftmaxRows(_ m: Matrix) {
        s2s_log_softmax_rows(m.base, Int64(m.rows), Int64(m.cols), Int64(m.stride))
    }

    /// Fused log-softmax + cross-entropy over rows of logits [N, V].
    ///
    /// Rows whose target == `ignoreIndex` give no loss and a zero gradient row. Label smoothing ε
    /// follows PyTorch's `CrossEntropyLoss(label_smoothing: ε)`:
    /// `loss_row = (1-ε)·(−log p[target]) + ε·mean_v(−log p[v])`.
    /// If `gradient` [N, V] is given, writes `d(loss_row)/d(logits) · gradScale` into it
    /// (gradScale is typically 1 / number of non-ignored rows; `gradient` may be `logits` itself).
    /// Returns the SUM of row losses and the number of non-ignored rows.
    package static func softmaxCrossEntropy(
        logits: Matrix, targets: UnsafePointer<Int32>, ignoreIndex: Int32,
        labelSmoothing: Float, gradient: Matrix?, gradScale: Float
    ) -> (lossSum: Double, count: Int) {
        let v = logits.cols
        if let g = gradient {
            precondition(g.rows == logits.rows && g.cols == v,
                         "softmaxCrossEntropy: gradient is \(g.rows)x\(g.cols), logits are \(logits.rows)x\(v)")
        }
        for r in 0..<logits.rows {
            let t = targets[r]
            precondition(t == ignoreIndex || (t >= 0 && Int(t) < v),
                         "softmaxCrossEntropy: target \(t) in row \(r) outside 0..<\(v) (ignore index \(ignoreIndex))")
        }
        var count: Int64 = 0
        let loss = s2s_softmax_xent(
            logits.base, Int64(logits.rows), Int64(v), Int64(logits.stride), targets, ignoreIndex, labelSmoothing,
            gradient?.base, Int64(gradient?.stride ?? 0), gradScale, &count)
        return (loss, Int(count))
    }

    /// Index of the first largest element of each row. `m` [R, C], `out` [R]
    package static func argmaxRows(_ m: Matrix, into out: UnsafeMutablePointer<Int32>) {
        s2s_argmax_rows(m.base, Int64(m.rows), Int64(m.cols), Int64(m.stride), out)
    }

    /// The `k` largest elements of a row [count], sorted descending, ties by lower index
    /// (NaNs are never selected). One pass with a small sorted buffer: O(count) for beam sizes.
    package static func topK(row: UnsafePointer<Float>, count: Int, k: Int) -> [(index: Int32, value: Float)] {
        let k = min(max(k, 0), count)
        if k == 0 { return [] }
        var best: [(index: Int32, value: Float)] = []
        best.reserveCapacity(k + 1)
        for j in 0..<count {
            let x = row[j]
            if x.isNaN { continue }
            // Later indices only enter on a strictly larger value: ties keep the lower index.
            if best.count == k, let last = best.last, !(x > last.value) { continue }
            var pos = best.count
            while pos > 0 && x > best[pos - 1].value { pos -= 1 }
            best.insert((Int32(j), x), at: pos)
            if best.count > k { best.removeLast() }
        }
        return best
    }
}
