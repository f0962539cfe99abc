import CDNNL

/// GEMM on matrix views: `C = alpha · op(A) · op(B) + beta · C`, row-major.
///
/// `beta = 1` accumulates, which is how weight gradients gather over time steps.
public enum Matmul {
    public static func gemm(
        _ a: Matrix, transA: Bool = false,
        _ b: Matrix, transB: Bool = false,
        into c: Matrix, alpha: Float = 1, beta: Float = 0,
        precision: Precision = .fp32
    ) {
        let m = transA ? a.cols : a.rows
        let k = transA ? a.rows : a.cols
        let kb = transB ? b.cols : b.rows
        let n = transB ? b.rows : b.cols
        precondition(k == kb, "gemm: inner dimensions differ: op(A) is \(m)x\(k), op(B) is \(kb)x\(n)")
        precondition(c.rows == m && c.cols == n, "gemm: C is \(c.rows)x\(c.cols), op(A)·op(B) is \(m)x\(n)")
        if m == 0 || n == 0 { return }
        if k == 0 {
            scaleInPlace(c, beta)
            return
        }
        let status = dnnl_sgemm(
            transA ? 84 : 78, transB ? 84 : 78,  // "T" / "N"
            Int64(m), Int64(n), Int64(k), alpha,
            a.base, Int64(a.stride), b.base, Int64(b.stride), beta, c.base, Int64(c.stride))
        precondition(status == dnnl_success, "gemm: oneDNN sgemm failed with status \(status.rawValue)")
    }

    /// GEMM whose B operand is a weight tensor (viewed as `weight.matrix`), typically
    /// `y = x · Wᵀ` (`transB: true`, W [out, in]) forward and `dx = dy · W` backward.
    /// In bf16 the weight's packed copy is cached per `weight.version`: the optimizer must call
    /// `weight.bumpVersion()` after changing it.
    public static func gemm(
        _ a: Matrix, transA: Bool = false,
        weight: Tensor, transB: Bool = false,
        into c: Matrix, alpha: Float = 1, beta: Float = 0,
        precision: Precision = .fp32
    ) {
        gemm(a, transA: transA, weight.matrix, transB: transB, into: c, alpha: alpha, beta: beta, precision: precision)
    }

    static func scaleInPlace(_ c: Matrix, _ beta: Float) {
        for r in 0..<c.rows {
            let row = c.row(r)
            for j in 0..<c.cols { row[j] = beta == 0 ? 0 : row[j] * beta }
        }
    }
}
