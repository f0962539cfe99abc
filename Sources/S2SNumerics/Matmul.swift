import CDNNL
import CKernels

/// GEMM on matrix views: `C = alpha · op(A) · op(B) + beta · C`, row-major.
///
/// One engine, oneDNN matmul primitives on its OpenMP threads, for both precisions: measured
/// they beat `dnnl_sgemm` (whose 2-thread split collapses at small M) and OpenBLAS 0.3.21 (AVX2
/// kernels only on Zen 5, ~100 GFLOP/s per core against ~220). The one exception is measured per
/// machine: large fp32 weight gradients take `dnnl_sgemm` where `LargeGemmKernel` says so.
/// Primitives are cached by shape, strides, transposes, alpha, beta and thread count.
///
/// `beta = 1` accumulates, which is how weight gradients gather over time steps.
/// In `.bf16`, A and B are rounded to bf16 (C and the accumulation stay fp32); on a CPU without
/// bf16 support it computes in fp32 (`Precision.resolve` tells the user once).
package enum Matmul {
    package static func gemm(
        _ a: Matrix, transA: Bool = false,
        _ b: Matrix, transB: Bool = false,
        into c: Matrix, alpha: Float = 1, beta: Float = 0,
        precision: Precision = .fp32
    ) {
        guard let (m, n, k) = checkShapes(a, transA, b, transB, c, alpha: alpha, beta: beta) else { return }
        let type = operandType(precision)
        if LargeGemmKernel.takesSgemm(type, m, n, k, transA: transA, transB: transB) {
            return sgemm(a, transA, b, transB, c, m: m, n: n, k: k, alpha: alpha, beta: beta)
        }
        primitiveGemm(a, transA: transA, b, transB: transB, into: c, m: m, n: n, k: k, alpha: alpha, beta: beta, type: type)
    }

    /// `gemm` through the (cached) oneDNN matmul primitive, shapes already checked.
    static func primitiveGemm(_ a: Matrix, transA: Bool, _ b: Matrix, transB: Bool, into c: Matrix,
                              m: Int, n: Int, k: Int, alpha: Float, beta: Float, type: OperandType) {
        let key = PrimitiveKey(
            type: type, m: m, n: n, k: k, transA: transA, transB: transB,
            lda: type == .bf16 ? (transA ? m : k) : a.stride,
            ldb: type == .bf16 ? (transB ? k : n) : b.stride,
            ldc: c.stride, alphaBits: alpha.bitPattern, betaBits: beta.bitPattern,
            packedB: false, threads: EngineThreads.current)
        let prim = MatmulEngine.primitive(key)
        guard prim.handle != nil else { return sgemm(a, transA, b, transB, c, m: m, n: n, k: k, alpha: alpha, beta: beta) }
        switch type {
        case .f32:
            execute(prim, UnsafeRawPointer(a.base), UnsafeRawPointer(b.base), c)
        case .bf16:
            let a16 = toBF16(a, slot: 0)
            let b16 = toBF16(b, slot: 1)
            execute(prim, UnsafeRawPointer(a16), UnsafeRawPointer(b16), c)
        }
    }

    /// GEMM whose B operand is a weight tensor (all of `weight.matrix`), typically
    /// `y = x · Wᵀ` (`transB: true`, W [out, in]) forward and `dx = dy · W` backward.
    ///
    /// The weight is reordered into the engine's preferred layout (and converted to bf16 in
    /// `.bf16`) once per `weight.version`: **whoever changes the weight's values must call
    /// `weight.bumpVersion()`** (the optimizer after each step, a checkpoint load, a
    /// finite-difference test). Debug builds check this with a checksum and stop on a stale copy.
    package static func gemm(
        _ a: Matrix, transA: Bool = false,
        weight: Tensor, transB: Bool = false,
        into c: Matrix, alpha: Float = 1, beta: Float = 0,
        precision: Precision = .fp32
    ) {
        let b = weight.matrix
        guard let (m, n, k) = checkShapes(a, transA, b, transB, c, alpha: alpha, beta: beta) else { return }
        let type = operandType(precision)
        let key = PrimitiveKey(
            type: type, m: m, n: n, k: k, transA: transA, transB: transB,
            lda: type == .bf16 ? (transA ? m : k) : a.stride,
            ldb: b.stride, ldc: c.stride, alphaBits: alpha.bitPattern, betaBits: beta.bitPattern,
            packedB: true, threads: EngineThreads.current)
        let prim = MatmulEngine.primitive(key)
        guard prim.handle != nil else { return sgemm(a, transA, b, transB, c, m: m, n: n, k: k, alpha: alpha, beta: beta) }
        let packed = weight.packedWeight().buffer(for: prim, source: b, transposed: transB)
        switch type {
        case .f32: execute(prim, UnsafeRawPointer(a.base), packed, c)
        case .bf16: execute(prim, UnsafeRawPointer(toBF16(a, slot: 0)), packed, c)
        }
    }

    /// Validates shapes (programmer errors stop with both shapes named) and handles the
    /// degenerate cases; returns (M, N, K) when there is a product to compute.
    @inline(__always)
    static func checkShapes(_ a: Matrix, _ transA: Bool, _ b: Matrix, _ transB: Bool, _ c: Matrix,
                            alpha: Float, beta: Float) -> (Int, Int, Int)? {
        let m = transA ? a.cols : a.rows
        let k = transA ? a.rows : a.cols
        let kb = transB ? b.cols : b.rows
        let n = transB ? b.rows : b.cols
        precondition(k == kb, "gemm: inner dimensions differ: op(A) is \(m)x\(k), op(B) is \(kb)x\(n)")
        precondition(c.rows == m && c.cols == n, "gemm: C is \(c.rows)x\(c.cols), op(A)·op(B) is \(m)x\(n)")
        if m == 0 || n == 0 { return nil }
        if k == 0 || alpha == 0 {
            scaleInPlace(c, beta)
            return nil
        }
        return (m, n, k)
    }

    @inline(__always)
    static func operandType(_ precision: Precision) -> OperandType {
        precision == .bf16 && MatmulEngine.bf16Available ? .bf16 : .f32
    }

    /// A's (or B's) elements as stored, rounded to bf16 into a contiguous per-thread buffer.
    @inline(__always)
    static func toBF16(_ x: Matrix, slot: Int32) -> UnsafeMutablePointer<UInt16> {
        guard let buf = s2s_bf16_scratch(slot, x.rows * x.cols) else {
            preconditionFailure("gemm: cannot allocate a \(x.rows)x\(x.cols) bf16 buffer")
        }
        s2s_f32_to_bf16(x.base, Int64(x.stride), buf, Int64(x.cols), Int64(x.rows), Int64(x.cols))
        return buf
    }

    @inline(__always)
    static func execute(_ prim: MatmulPrimitive, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ c: Matrix) {
        execute(prim, a, b, c.base)
    }

    @inline(__always)
    static func execute(_ prim: MatmulPrimitive, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ c: UnsafeMutablePointer<Float>) {
        let status = s2s_mm_execute(prim.handle, a, b, c)
        precondition(status == 0, "gemm: oneDNN matmul failed with status \(status)")
    }

    /// `dnnl_sgemm` (fp32): large products where `LargeGemmKernel` measured it faster, and the
    /// (unexpected) case that oneDNN offers no matmul primitive for a shape.
    static func sgemm(_ a: Matrix, _ transA: Bool, _ b: Matrix, _ transB: Bool, _ c: Matrix,
                      m: Int, n: Int, k: Int, alpha: Float, beta: Float) {
        let status = s2s_sgemm(transA ? 1 : 0, transB ? 1 : 0, Int64(m), Int64(n), Int64(k), alpha,
                               a.base, Int64(a.stride), b.base, Int64(b.stride), beta, c.base, Int64(c.stride))
        precondition(status == 0, "gemm: oneDNN sgemm failed with status \(status)")
    }

    static func scaleInPlace(_ c: Matrix, _ beta: Float) {
        for r in 0..<c.rows {
            let row = c.row(r)
            if beta == 0 { row.update(repeating: 0, count: c.cols) } else { s2s_scale(row, beta, Int64(c.cols)) }
        }
    }
}
