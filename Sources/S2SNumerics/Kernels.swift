#if canImport(Glibc)
import Glibc
#endif

/// Elementwise and row-wise kernels that RNN training runs every time step.
///
/// All functions work on raw pointers or `Matrix` views so callers can address one time step
/// or one gate block of a larger buffer without copying. Shapes are in the doc comments.
public enum Kernels {
    /// `x ← σ(x)`, in place.
    public static func sigmoid(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            let v = x[i]
            x[i] = v >= 0 ? 1 / (1 + expf(-v)) : expf(v) / (1 + expf(v))
        }
    }

    /// `x ← tanh(x)`, in place.
    public static func tanh(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = tanhf(x[i]) }
    }

    /// `m[r, :] += v` for every row r. `m` [R, C], `v` [C].
    public static func addRowVector(_ m: Matrix, _ v: UnsafePointer<Float>) {
        for r in 0..<m.rows {
            let row = m.row(r)
            for j in 0..<m.cols { row[j] += v[j] }
        }
    }

    /// `v[j] (+)= Σ_r m[r, j]`: bias gradients. `m` [R, C], `v` [C].
    public static func sumRows(_ m: Matrix, into v: UnsafeMutablePointer<Float>, accumulate: Bool) {
        if !accumulate { v.update(repeating: 0, count: m.cols) }
        for r in 0..<m.rows {
            let row = m.row(r)
            for j in 0..<m.cols { v[j] += row[j] }
        }
    }

    /// `y += α·x`.
    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { y[i] += alpha * x[i] }
    }

    /// `x ← a·x`.
    public static func scale(_ x: UnsafeMutablePointer<Float>, by a: Float, count: Int) {
        for i in 0..<count { x[i] *= a }
    }

    /// `Σ x²` in double precision (global gradient-norm clipping).
    public static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
        var s: Double = 0
        for i in 0..<count { s += Double(x[i]) * Double(x[i]) }
        return s
    }

    /// Row softmax in place. `m` [R, C]. With `validColumns`, row r normalizes over columns
    /// `0..<validColumns[r]` and sets the rest to 0 (attention over real source positions).
    public static func softmaxRows(_ m: Matrix, validColumns: UnsafePointer<Int32>?) {
        for r in 0..<m.rows {
            let row = m.row(r)
            let n = validColumns.map { min(m.cols, max(0, Int($0[r]))) } ?? m.cols
            if n > 0 {
                var mx = -Float.infinity
                for j in 0..<n { mx = max(mx, row[j]) }
                var s: Float = 0
                for j in 0..<n { row[j] = expf(row[j] - mx); s += row[j] }
                let inv = 1 / s
                for j in 0..<n { row[j] *= inv }
            }
            for j in n..<m.cols { row[j] = 0 }
        }
    }

    /// Row log-softmax in place. `m` [R, C].
    public static func logSoftmaxRows(_ m: Matrix) {
        for r in 0..<m.rows {
            let row = m.row(r)
            var mx = -Float.infinity
            for j in 0..<m.cols { mx = max(mx, row[j]) }
            var s: Float = 0
            for j in 0..<m.cols { s += expf(row[j] - mx) }
            let lse = mx + logf(s)
            for j in 0..<m.cols { row[j] -= lse }
        }
    }

    /// Fused log-softmax + cross-entropy over rows of logits [N, V].
    ///
    /// Rows whose target == `ignoreIndex` give no loss and a zero gradient row. Label smoothing ε
    /// follows PyTorch's `CrossEntropyLoss(label_smoothing: ε)`:
    /// `loss_row = (1-ε)·(−log p[target]) + ε·mean_v(−log p[v])`.
    /// If `gradient` [N, V] is given, writes `d(loss_row)/d(logits) · gradScale` into it
    /// (gradScale is typically 1 / number of non-ignored rows; `gradient` may alias `logits`).
    /// Returns the SUM of row losses and the number of non-ignored rows.
    public static func softmaxCrossEntropy(
        logits: Matrix, targets: UnsafePointer<Int32>, ignoreIndex: Int32,
        labelSmoothing: Float, gradient: Matrix?, gradScale: Float
    ) -> (lossSum: Double, count: Int) {
        let v = logits.cols
        if let g = gradient {
            precondition(g.rows == logits.rows && g.cols == v, "softmaxCrossEntropy: gradient is \(g.rows)x\(g.cols), logits are \(logits.rows)x\(v)")
        }
        var total: Double = 0
        var count = 0
        let eps = Double(labelSmoothing)
        for r in 0..<logits.rows {
            let row = logits.row(r)
            let t = targets[r]
            if t == ignoreIndex {
                if let g = gradient { g.row(r).update(repeating: 0, count: v) }
                continue
            }
            precondition(t >= 0 && Int(t) < v, "softmaxCrossEntropy: target \(t) in row \(r) outside 0..<\(v)")
            var mx = -Float.infinity
            for j in 0..<v { mx = max(mx, row[j]) }
            var s: Double = 0
            var sumLogits: Double = 0
            for j in 0..<v { s += Double(expf(row[j] - mx)); sumLogits += Double(row[j]) }
            let lse = Double(mx) + log(s)
            let nll = lse - Double(row[Int(t)])
            let meanNeg = lse - sumLogits / Double(v)
            total += (1 - eps) * nll + eps * meanNeg
            count += 1
            if let g = gradient {
                let grow = g.row(r)
                let smooth = Float(eps / Double(v))
                let lseF = Float(lse)
                let target = row[Int(t)]
                _ = target
                for j in 0..<v { grow[j] = (expf(row[j] - lseF) - smooth) * gradScale }
                grow[Int(t)] -= (1 - labelSmoothing) * gradScale
            }
        }
        return (total, count)
    }

    /// Index of the largest element of each row (first one on ties). `m` [R, C], `out` [R].
    public static func argmaxRows(_ m: Matrix, into out: UnsafeMutablePointer<Int32>) {
        for r in 0..<m.rows {
            let row = m.row(r)
            var best = 0
            for j in 1..<max(m.cols, 1) where row[j] > row[best] { best = j }
            out[r] = Int32(best)
        }
    }

    /// The `k` largest elements of a row, sorted descending, ties by lower index.
    public static func topK(row: UnsafePointer<Float>, count: Int, k: Int) -> [(index: Int32, value: Float)] {
        let idx = (0..<count).sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
        return idx.prefix(max(0, k)).map { (Int32($0), row[$0]) }
    }

    /// One Adam / AdamW step with bias correction, PyTorch semantics (`torch.optim.Adam`,
    /// `torch.optim.AdamW`). `decoupled = false`: L2 weight decay added to the gradient (Adam);
    /// `decoupled = true`: `param *= 1 - lr·weightDecay` before the update (AdamW).
    /// `step` is the 1-based step count after incrementing. `grad` is not modified.
    public static func adamUpdate(
        param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
        m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int,
        lr: Float, beta1: Float, beta2: Float, eps: Float, weightDecay: Float,
        decoupled: Bool, step: Int
    ) {
        precondition(step >= 1, "adamUpdate: step must be ≥ 1, got \(step)")
        let bc1 = 1 - pow(Double(beta1), Double(step))
        let bc2 = 1 - pow(Double(beta2), Double(step))
        let stepSize = Float(Double(lr) / bc1)
        let bc2Sqrt = Float(bc2.squareRoot())
        let decay = Float(1 - Double(lr) * Double(weightDecay))
        for i in 0..<count {
            var g = grad[i]
            if weightDecay != 0 {
                if decoupled { param[i] *= decay } else { g += weightDecay * param[i] }
            }
            // Same operation order as PyTorch's lerp_ / addcmul_ / addcdiv_.
            m[i] += (1 - beta1) * (g - m[i])
            v[i] = v[i] * beta2 + ((1 - beta2) * g) * g
            let denom = v[i].squareRoot() / bc2Sqrt + eps
            param[i] += (-stepSize * m[i]) / denom
        }
    }
}
