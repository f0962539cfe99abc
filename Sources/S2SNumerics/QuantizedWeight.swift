import CKernels

/// A weight `W` [N, K] in int8 for decoding: one symmetric scale per output row
/// (`W ≈ diag(scales) · Wq`, Wq in [-127, 127]), stored in the VNNI-packed layout of
/// `s2s_gemm_int8` with its shift compensation. The product quantizes each x row on the fly
/// (its own scale, max |x| / 127), sums in int32 and scales back: per element the error is at
/// most half a step of each operand (see `errorBound`).
package final class QuantizedWeight: @unchecked Sendable {
    package let outputs: Int
    package let inputs: Int
    private let packed: UnsafeMutablePointer<Int8>
    private let compensation: UnsafeMutablePointer<Int32>
    package let scales: [Float]

    /// Quantizes `weight` (per output row).
    package convenience init(_ weight: Tensor) {
        let (q, scales) = Self.quantizeRows(weight)
        self.init(quantized: q, scales: scales, outputs: weight.shape[0], inputs: weight.shape[1])
    }

    /// Per-row symmetric int8 of a matrix [N, K]: q = round(w / scale), scale = max |row| / 127.
    package static func quantizeRows(_ weight: Tensor) -> (q: [Int8], scales: [Float]) {
        precondition(weight.shape.count == 2, "QuantizedWeight: weight \(weight.shape) is not a matrix")
        let (n, k) = (weight.shape[0], weight.shape[1])
        var q = [Int8](repeating: 0, count: n * k)
        var scales = [Float](repeating: 0, count: n)
        q.withUnsafeMutableBufferPointer { qp in
            scales.withUnsafeMutableBufferPointer { sp in
                s2s_int8_quantize_rows(weight.data, Int64(k), Int64(n), Int64(k), qp.baseAddress, Int64(k), sp.baseAddress)
            }
        }
        return (q, scales)
    }

    /// From stored int8 rows `q` [N, K] and their scales (an int8-packed model).
    package init(quantized q: [Int8], scales: [Float], outputs n: Int, inputs k: Int) {
        precondition(q.count == n * k && scales.count == n, "QuantizedWeight: \(q.count) values, \(scales.count) scales for \(n)x\(k)")
        outputs = n
        inputs = k
        self.scales = scales
        let bytes = Int(s2s_int8_packed_size(Int64(n), Int64(k)))
        let rows = Int(s2s_int8_padded_rows(Int64(n)))
        guard let p = s2s_alloc(max(bytes, 64)), let c = s2s_alloc(max(rows * 4, 64)) else {
            fatalError("QuantizedWeight: out of memory for an int8 copy of \(n)x\(k)")
        }
        packed = p.bindMemory(to: Int8.self, capacity: bytes)
        compensation = c.bindMemory(to: Int32.self, capacity: rows)
        q.withUnsafeBufferPointer { s2s_int8_pack($0.baseAddress, Int64(k), Int64(n), Int64(k), packed, compensation) }
    }

    deinit {
        s2s_free(packed)
        s2s_free(compensation)
    }

    /// `y = x · Wᵀ (+ bias)`, x [R, K], y [R, N] (any row strides). `reference` runs the plain-C
    /// path (bit-identical to the VNNI kernel; for tests).
    package func multiply(_ x: Matrix, bias: UnsafePointer<Float>?, into y: Matrix, reference: Bool = false) {
        precondition(x.cols == inputs && y.cols == outputs && x.rows == y.rows,
                     "QuantizedWeight: x \(x.rows)x\(x.cols), W \(outputs)x\(inputs), y \(y.rows)x\(y.cols)")
        scales.withUnsafeBufferPointer { s in
            let run = reference ? s2s_gemm_int8_reference : s2s_gemm_int8
            run(Int64(x.rows), Int64(outputs), Int64(inputs), x.base, Int64(x.stride),
                packed, compensation, s.baseAddress, bias, y.base, Int64(y.stride))
        }
    }

    /// The largest possible |int8 result − exact result| of output (row `m`, column `n`), from the
    /// quantization steps alone: with x̃ = x + δx (|δx| ≤ sx/2, sx = max|x_m| / 127) and
    /// w̃ = w + δw (|δw| ≤ sw/2), |Σ x̃w̃ − Σ xw| ≤ Σ |δx||w̃| + Σ |x||δw| ≤ (sx Σ|w̃| + sw Σ|x|) / 2.
    /// `w` is the fp32 weight the copy was made from.
    package func errorBound(x: Matrix, row m: Int, weight w: Tensor, column n: Int) -> Float {
        var amax: Float = 0, sumX: Float = 0, sumW: Float = 0
        for k in 0..<inputs {
            let v = x[m, k]
            amax = max(amax, abs(v))
            sumX += abs(v)
            sumW += abs(w.data[n * inputs + k]) + scales[n] / 2
        }
        return (amax / 127 * sumW + scales[n] * sumX) / 2
    }
}
