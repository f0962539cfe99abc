#if canImport(Glibc)
import Glibc
#endif
import CKernels

/// One weight `W` [N, K] (PyTorch layout) as the decoder multiplies it at every step:
/// `y = x · Wᵀ (+ b)`.
///
/// At a few rows (batch 1, a beam of one sentence) the product is bound by reading W, and a
/// blocked GEMM spends its time packing: the rows go through `s2s_gemv_rows_*`, which streams W
/// once for all rows (in bf16, from a bf16 copy: half the bytes). At more rows the GEMM engine
/// (oneDNN, packed weights) is faster. The bf16 copy is made once per weight version.
///
/// In `.int8` every row count goes through `QuantizedWeight` (its tile has no horizontal sums,
/// so it serves a batch of beams as well as one row), from an int8 copy made once per weight
/// version. A model packed with int8 weights was dequantized to fp32 on load; quantizing
/// those values again gives back the stored integers (each row's maximum is 127 steps).
package final class DecodingWeight: @unchecked Sendable {
    /// Largest row count that takes the streaming kernel (measured crossover on Zen 5; see
    /// BenchDecodeCommand); 0 without AVX-512, where the kernel is plain C and oneDNN's GEMM
    /// wins. `S2S_DECODE_GEMV_ROWS` overrides it for experiments.
    package static let streamingRowLimit: Int = {
        if let v = getenv("S2S_DECODE_GEMV_ROWS").flatMap({ Int(String(cString: $0)) }) { return v }
        return s2s_gemv_rows_fast() != 0 ? 8 : 0
    }()

    package let weight: Tensor
    package let bias: Tensor?
    private var bf16: UnsafeMutablePointer<UInt16>?   // from s2s_alloc (huge pages when large)
    private var bf16Version: UInt64 = .max
    private var int8: QuantizedWeight?
    private var int8Version: UInt64 = .max

    package init(_ weight: Tensor, bias: Tensor? = nil) {
        precondition(weight.shape.count == 2, "DecodingWeight: weight \(weight.shape) is not a matrix")
        self.weight = weight
        self.bias = bias
    }

    deinit { if let bf16 { s2s_free(bf16) } }

    package var outputs: Int { weight.shape[0] }
    package var inputs: Int { weight.shape[1] }

    /// `y = x · Wᵀ (+ bias)`. x [R, K], y [R, N] (any row strides).
    ///
    /// `rowsAvailable` (≥ R) says how many rows the buffers behind x and y hold: the GEMM path
    /// then runs on R rounded up to a multiple of 8 (the extra rows are scratch), so a search
    /// whose row count shrinks step by step meets a few GEMM shapes instead of one per count
    /// (each new shape costs a oneDNN primitive, and the engine's cache is bounded).
    /// `plan.streaming` is the arithmetic of the streaming kernel, `plan.gemm` of the GEMM path.
    package func multiply(_ x: Matrix, into y: Matrix, plan: PrecisionPlan, rowsAvailable: Int = 0) {
        precondition(x.cols == inputs && y.cols == outputs && x.rows == y.rows,
                     "DecodingWeight: x \(x.rows)x\(x.cols), W \(weight.shape), y \(y.rows)x\(y.cols)")
        let R = x.rows
        guard R > 0 else { return }
        let biasPointer = bias.map { UnsafePointer($0.data) }
        if plan.streaming == .int8 || plan.gemm == .int8 {
            return int8Copy().multiply(x, bias: biasPointer, into: y)
        }
        if R <= Self.streamingRowLimit {
            if plan.streaming == .bf16 {
                s2s_gemv_rows_bf16(Int64(R), Int64(outputs), Int64(inputs), x.base, Int64(x.stride),
                                   bf16Copy(), Int64(inputs), biasPointer, y.base, Int64(y.stride))
            } else {
                s2s_gemv_rows_f32(Int64(R), Int64(outputs), Int64(inputs), x.base, Int64(x.stride),
                                  weight.data, Int64(inputs), biasPointer, y.base, Int64(y.stride))
            }
            return
        }
        let padded = max(R, min(rowsAvailable, (R + 7) / 8 * 8))
        let xp = Matrix(x.base, rows: padded, cols: x.cols, stride: x.stride)
        let yp = Matrix(y.base, rows: padded, cols: y.cols, stride: y.stride)
        Matmul.gemm(xp, weight: weight, transB: true, into: yp, precision: plan.gemm)
        if let bias { Kernels.addRowVector(y, bias.data) }
    }

    /// The int8 copy of the current weight version.
    private func int8Copy() -> QuantizedWeight {
        if let q = int8, int8Version == weight.version { return q }
        let q = QuantizedWeight(weight)
        int8 = q
        int8Version = weight.version
        return q
    }

    /// The bf16 copy of the current weight version.
    private func bf16Copy() -> UnsafeMutablePointer<UInt16> {
        if let p = bf16, bf16Version == weight.version { return p }
        guard let p = bf16 ?? s2s_alloc(weight.count * 2)?.bindMemory(to: UInt16.self, capacity: weight.count) else {
            fatalError("DecodingWeight: out of memory for a bf16 copy of \(weight.shape)")
        }
        s2s_f32_to_bf16(weight.data, Int64(inputs), p, Int64(inputs), Int64(outputs), Int64(inputs))
        bf16 = p
        bf16Version = weight.version
        return p
    }
}
