import S2SNumerics

/// Small row-wise helpers on strided views (copies, sums, masks) that the layers need between
/// GEMMs. Each is one pass over memory; plain loops the compiler vectorizes at the baseline.
package enum MatrixOps {
    /// `dst ← src`. Shapes must match.
    package static func copy(_ src: Matrix, to dst: Matrix) {
        precondition(src.rows == dst.rows && src.cols == dst.cols, "MatrixOps.copy: \(src.rows)x\(src.cols) into \(dst.rows)x\(dst.cols)")
        if src.isContiguous && dst.isContiguous {
            dst.base.update(from: src.base, count: src.rows * src.cols)
            return
        }
        for r in 0..<src.rows { dst.row(r).update(from: src.row(r), count: src.cols) }
    }

    /// `dst += src`.
    package static func add(_ src: Matrix, to dst: Matrix) {
        precondition(src.rows == dst.rows && src.cols == dst.cols, "MatrixOps.add: \(src.rows)x\(src.cols) into \(dst.rows)x\(dst.cols)")
        for r in 0..<src.rows {
            let s = src.row(r), d = dst.row(r)
            for j in 0..<src.cols { d[j] += s[j] }
        }
    }

    /// `m ← 0`.
    package static func zero(_ m: Matrix) {
        if m.isContiguous { m.base.update(repeating: 0, count: m.rows * m.cols); return }
        for r in 0..<m.rows { m.row(r).update(repeating: 0, count: m.cols) }
    }

    /// `m ← m ⊙ mask` (dropout masks hold 0 or 1/(1−p)).
    package static func multiply(_ m: Matrix, by mask: Matrix) {
        precondition(m.rows == mask.rows && m.cols == mask.cols, "MatrixOps.multiply: \(m.rows)x\(m.cols) by \(mask.rows)x\(mask.cols)")
        for r in 0..<m.rows {
            let a = m.row(r), b = mask.row(r)
            for j in 0..<m.cols { a[j] *= b[j] }
        }
    }

    /// `m ← 1 − m²` elementwise times `grad`: the tanh derivative applied in place to `grad`
    /// given the tanh outputs `y`.
    package static func tanhBackward(y: Matrix, grad: Matrix) {
        precondition(y.rows == grad.rows && y.cols == grad.cols, "MatrixOps.tanhBackward: shapes differ")
        for r in 0..<y.rows {
            let a = y.row(r), g = grad.row(r)
            for j in 0..<y.cols { g[j] *= 1 - a[j] * a[j] }
        }
    }

    /// Reorders `[A, B, X]` (rows a·B + b) into `[B, A, X]` (rows b·A + a): time-major to
    /// batch-major and back. `accumulate` adds instead of overwriting.
    package static func swapLeadingAxes(_ src: Matrix, outer: Int, inner: Int, into dst: Matrix, accumulate: Bool = false) {
        precondition(src.rows == outer * inner && dst.rows == src.rows && dst.cols == src.cols,
                     "MatrixOps.swapLeadingAxes: \(src.rows)x\(src.cols) as [\(outer), \(inner)] into \(dst.rows)x\(dst.cols)")
        for a in 0..<outer {
            for b in 0..<inner {
                let s = src.row(a * inner + b), d = dst.row(b * outer + a)
                if accumulate {
                    for j in 0..<src.cols { d[j] += s[j] }
                } else {
                    d.update(from: s, count: src.cols)
                }
            }
        }
    }
}
