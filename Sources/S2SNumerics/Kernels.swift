import CKernels

/// Elementwise and row-wise kernels that RNN training runs every time step.
///
/// Bodies live in C (CKernels), one clone per ISA (AVX-512, AVX2, baseline) chosen at load
/// time, so they vectorize without compiler flags; big inputs are split over the same OpenMP
/// threads as the GEMMs. Functions take raw pointers or `Matrix` views so callers address one
/// time step or one gate block of a larger buffer without copying. exp/tanh/sigmoid are
/// accurate to ~1.5e-7 relative (tests check against double precision).
package enum Kernels {
    /// `x ← σ(x)`, in place. `x` [count]
    package static func sigmoid(_ x: UnsafeMutablePointer<Float>, count: Int) {
        s2s_sigmoid(x, Int64(count))
    }

    /// `x ← tanh(x)`, in place. `x` [count]
    package static func tanh(_ x: UnsafeMutablePointer<Float>, count: Int) {
        s2s_tanh(x, Int64(count))
    }

    /// `dx (+)= dy · y · (1 − y)` where `y = σ(x)` is the forward output.
    package static func sigmoidBackward(output y: UnsafePointer<Float>, gradOutput dy: UnsafePointer<Float>,
                                       into dx: UnsafeMutablePointer<Float>, count: Int, accumulate: Bool = false) {
        s2s_sigmoid_backward(y, dy, dx, Int64(count), accumulate ? 1 : 0)
    }

    /// `dx (+)= dy · (1 − y²)` where `y = tanh(x)` is the forward output.
    package static func tanhBackward(output y: UnsafePointer<Float>, gradOutput dy: UnsafePointer<Float>,
                                    into dx: UnsafeMutablePointer<Float>, count: Int, accumulate: Bool = false) {
        s2s_tanh_backward(y, dy, dx, Int64(count), accumulate ? 1 : 0)
    }

    /// `m[r, :] += v` for every row r. `m` [R, C], `v` [C]
    package static func addRowVector(_ m: Matrix, _ v: UnsafePointer<Float>) {
        s2s_add_row_vector(m.base, Int64(m.rows), Int64(m.cols), Int64(m.stride), v)
    }

    /// `v[j] (+)= Σ_r m[r, j]`: bias gradients. `m` [R, C], `v` [C]
    package static func sumRows(_ m: Matrix, into v: UnsafeMutablePointer<Float>, accumulate: Bool) {
        s2s_sum_rows(m.base, Int64(m.rows), Int64(m.cols), Int64(m.stride), v, accumulate ? 1 : 0)
    }

    /// `y += α·x`. `x`, `y` [count]
    package static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        s2s_axpy(alpha, x, y, Int64(count))
    }

    /// `x ← a·x`. `x` [count]
    package static func scale(_ x: UnsafeMutablePointer<Float>, by a: Float, count: Int) {
        s2s_scale(x, a, Int64(count))
    }

    /// `out = x ⊙ y` (out may alias x or y).
    package static func multiply(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        s2s_mul(x, y, out, Int64(count))
    }

    /// `out = x + y` (out may alias x or y).
    package static func add(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        s2s_add(x, y, out, Int64(count))
    }

    /// `Σ x²` accumulated in double (global gradient-norm clipping).
    package static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
        s2s_sum_squares(x, Int64(count))
    }

    /// Copies rows `indices[i]` of `table` [V, C] into row i of `out` [N, C] (embedding lookup).
    package static func gatherRows(_ table: Matrix, indices: UnsafePointer<Int32>, into out: Matrix) {
        precondition(out.cols == table.cols, "gatherRows: table has \(table.cols) columns, out has \(out.cols)")
        for i in 0..<out.rows {
            let idx = Int(indices[i])
            precondition(idx >= 0 && idx < table.rows, "gatherRows: index \(idx) in row \(i) outside 0..<\(table.rows)")
            out.row(i).update(from: table.row(idx), count: table.cols)
        }
    }

    /// `table[indices[i], :] += grad[i, :]` (embedding gradient); rows whose index equals
    /// `skipIndex` (the padding row) receive nothing.
    package static func scatterAddRows(_ grad: Matrix, indices: UnsafePointer<Int32>, into table: Matrix, skipIndex: Int32? = nil) {
        precondition(grad.cols == table.cols, "scatterAddRows: grad has \(grad.cols) columns, table has \(table.cols)")
        for i in 0..<grad.rows {
            let idx = indices[i]
            if idx == skipIndex { continue }
            precondition(idx >= 0 && Int(idx) < table.rows, "scatterAddRows: index \(idx) in row \(i) outside 0..<\(table.rows)")
            s2s_axpy(1, grad.row(i), table.row(Int(idx)), Int64(grad.cols))
        }
    }
}
