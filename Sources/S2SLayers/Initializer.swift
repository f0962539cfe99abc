import S2SNumerics
#if canImport(Glibc)
import Glibc
#endif

/// How a parameter's initial values are drawn (from a seeded `PCG32`, so a seed fixes the model).
package enum Initializer: Equatable, Sendable {
    /// Every value 0 (biases when asked).
    case zeros
    /// U(−a, a). PyTorch's default for RNN weights is a = 1/√hidden; for `Linear` 1/√in.
    case uniform(Float)
    /// Glorot/Xavier uniform: U(−g·√(6/(fanIn+fanOut)), +…) with fan-in = columns,
    /// fan-out = rows of the (row-blocked) matrix.
    case xavierUniform(gain: Float = 1)
    /// N(0, std²) (PyTorch's default for embeddings is std 1).
    case normal(std: Float)
    /// Orthogonal rows per square block of `blockRows` rows (a recurrent matrix [4H, H] is four
    /// H×H gate blocks; each is made orthogonal on its own), scaled by `gain`.
    case orthogonal(blockRows: Int, gain: Float = 1)

    /// Fills `t` (viewed as a matrix [rows, cols]; a vector is one row).
    package func fill(_ t: Tensor, rng: inout PCG32) {
        let m = t.shape.count >= 2 ? t.matrix : Matrix(t.data, rows: 1, cols: t.count)
        switch self {
        case .zeros:
            t.zero()
        case .uniform(let a):
            for i in 0..<t.count { t[i] = rng.uniform(-a, a) }
        case .xavierUniform(let gain):
            let a = gain * (6 / Float(m.rows + m.cols)).squareRoot()
            for i in 0..<t.count { t[i] = rng.uniform(-a, a) }
        case .normal(let std):
            for i in 0..<t.count { t[i] = std * rng.normal() }
        case .orthogonal(let blockRows, let gain):
            precondition(blockRows > 0 && m.rows % blockRows == 0,
                         "Initializer.orthogonal: \(m.rows) rows are not blocks of \(blockRows)")
            var start = 0
            while start < m.rows {
                Initializer.orthogonalBlock(m.rows(start, blockRows), gain: gain, rng: &rng)
                start += blockRows
            }
        }
    }

    /// Modified Gram–Schmidt (in Double) on a random Gaussian block: orthonormal rows when
    /// rows ≤ cols, orthonormal columns otherwise (as `torch.nn.init.orthogonal_`).
    static func orthogonalBlock(_ m: Matrix, gain: Float, rng: inout PCG32) {
        let transpose = m.rows > m.cols
        let n = transpose ? m.cols : m.rows   // vectors to orthonormalize
        let d = transpose ? m.rows : m.cols   // their length
        var v = [[Double]](repeating: [Double](repeating: 0, count: d), count: n)
        for i in 0..<n {
            while true {
                for k in 0..<d { v[i][k] = Double(rng.normal()) }
                for p in 0..<i {
                    var dot = 0.0
                    for k in 0..<d { dot += v[i][k] * v[p][k] }
                    for k in 0..<d { v[i][k] -= dot * v[p][k] }
                }
                var norm = 0.0
                for k in 0..<d { norm += v[i][k] * v[i][k] }
                norm = norm.squareRoot()
                if norm > 1e-6 {
                    for k in 0..<d { v[i][k] /= norm }
                    break
                }
            }
        }
        for i in 0..<n {
            for k in 0..<d {
                if transpose { m[k, i] = gain * Float(v[i][k]) } else { m[i, k] = gain * Float(v[i][k]) }
            }
        }
    }
}
