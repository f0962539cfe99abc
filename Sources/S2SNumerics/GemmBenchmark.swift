import CKernels

/// GEMM throughput through `Matmul` beside a direct call of the engine (a oneDNN primitive
/// with its operands bound once, then only `dnnl_primitive_execute`; for bf16 plus the
/// fp32 → bf16 conversion of the activations, which the engine cannot skip), at the shapes the
/// model runs. `s2s bench gemm` prints these; they are never timed in unit tests.
package enum GemmBenchmark {
    /// One product as the model issues it.
    package struct Shape: Sendable, CustomStringConvertible {
        package let m, n, k: Int
        package let transA, transB: Bool
        /// B is a weight (packed once per update) rather than an activation.
        package let weight: Bool
        package let role: String

        package init(m: Int, n: Int, k: Int, transA: Bool, transB: Bool, weight: Bool, role: String) {
            self.m = m; self.n = n; self.k = k
            self.transA = transA; self.transB = transB; self.weight = weight; self.role = role
        }

        package var description: String {
            "\(m)x\(n)x\(k) \(transA ? "T" : "N")\(transB ? "T" : "N")"
        }
    }

    /// The four shapes of issue 2's table, each in the form the model uses.
    package static let standardShapes: [Shape] = [
        Shape(m: 64, n: 2048, k: 1024, transA: false, transB: true, weight: true, role: "recurrent step x·Wᵀ"),
        Shape(m: 1024, n: 2048, k: 64, transA: true, transB: false, weight: false, role: "per-step weight grad dYᵀ·X"),
        Shape(m: 512, n: 512, k: 512, transA: false, transB: false, weight: false, role: "square, plain"),
        Shape(m: 640, n: 8000, k: 1024, transA: false, transB: true, weight: true, role: "output layer x·Wᵀ"),
    ]

    package struct Result: Sendable {
        package let shape: Shape
        package let precision: Precision
        package let threads: Int
        package let wrapperGFlops: Double
        package let directGFlops: Double
        package let implementation: String
        /// How much slower the wrapper is than the direct call, in percent (negative: faster).
        package var overheadPercent: Double { (directGFlops / wrapperGFlops - 1) * 100 }
    }

    /// Times `Matmul.gemm` and the direct engine call for one shape (threads already set).
    package static func run(_ s: Shape, precision: Precision, runs: Int) -> Result {
        var rng = PCG32(seed: 1)
        let a = Tensor(shape: s.transA ? [s.k, s.m] : [s.m, s.k])
        let b = Tensor(shape: s.transB ? [s.n, s.k] : [s.k, s.n])
        let c1 = Tensor(shape: [s.m, s.n]), c2 = Tensor(shape: [s.m, s.n])
        for i in 0..<a.count { a[i] = rng.uniform(-1, 1) }
        for i in 0..<b.count { b[i] = rng.uniform(-1, 1) }
        let type = Matmul.operandType(precision)
        let bf16 = type == .bf16

        // The direct path: its own primitive, created and (if a weight) packed here, untimed.
        let key = PrimitiveKey(
            type: type, m: s.m, n: s.n, k: s.k, transA: s.transA, transB: s.transB,
            lda: bf16 ? (s.transA ? s.m : s.k) : a.matrix.stride,
            ldb: bf16 && !s.weight ? (s.transB ? s.k : s.n) : b.matrix.stride,
            ldc: s.n, alphaBits: Float(1).bitPattern, betaBits: Float(0).bitPattern,
            packedB: s.weight, threads: EngineThreads.current)
        let direct = MatmulPrimitive(key)
        guard let handle = direct.handle else {
            return Result(shape: s, precision: precision, threads: EngineThreads.current,
                          wrapperGFlops: .nan, directGFlops: .nan, implementation: "unavailable (status \(direct.status))")
        }
        var packed: UnsafeMutableRawPointer?
        if s.weight {
            packed = UnsafeMutableRawPointer.allocate(byteCount: max(s2s_mm_packed_b_size(handle), 64), alignment: 64)
            _ = s2s_mm_pack_b(handle, b.data, Int64(b.matrix.stride), packed)
        }
        defer { packed?.deallocate() }
        let a16 = UnsafeMutablePointer<UInt16>.allocate(capacity: a.count)
        let b16 = UnsafeMutablePointer<UInt16>.allocate(capacity: b.count)
        defer { a16.deallocate(); b16.deallocate() }
        let (ar, ac) = s.transA ? (s.k, s.m) : (s.m, s.k)
        let (br, bc) = s.transB ? (s.n, s.k) : (s.k, s.n)

        let bOperand = s.weight ? UnsafeRawPointer(packed) : bf16 ? UnsafeRawPointer(b16) : UnsafeRawPointer(b.data)
        _ = s2s_mm_bind(handle, bf16 ? UnsafeRawPointer(a16) : UnsafeRawPointer(a.data), bOperand, c2.data)
        let directCall = {
            if bf16 {
                s2s_f32_to_bf16(a.data, Int64(ac), a16, Int64(ac), Int64(ar), Int64(ac))
                if !s.weight { s2s_f32_to_bf16(b.data, Int64(bc), b16, Int64(bc), Int64(br), Int64(bc)) }
            }
            _ = s2s_mm_execute_bound(handle)
        }
        let wrapperCall = {
            if s.weight {
                Matmul.gemm(a.matrix, transA: s.transA, weight: b, transB: s.transB, into: c1.matrix, precision: precision)
            } else {
                Matmul.gemm(a.matrix, transA: s.transA, b.matrix, transB: s.transB, into: c1.matrix, precision: precision)
            }
        }
        let times = Stopwatch.medianSecondsPerCall(runs: runs, [wrapperCall, directCall])
        let flops = 2.0 * Double(s.m) * Double(s.n) * Double(s.k)
        return Result(shape: s, precision: precision, threads: EngineThreads.current,
                      wrapperGFlops: flops / times[0] / 1e9, directGFlops: flops / times[1] / 1e9,
                      implementation: direct.implementation)
    }
}

extension GemmBenchmark {
    /// Attention context `ctx[b] = α[b] · enc[b]` for a time-major encoder output [S, B, D]:
    /// one batched call beside B separate `gemm` calls. Returns GFLOP/s (batched, loop).
    package static func runAttentionContext(batch: Int, sourceLength: Int, width: Int,
                                           precision: Precision, runs: Int) -> (batched: Double, loop: Double) {
        var rng = PCG32(seed: 3)
        let enc = Tensor(shape: [sourceLength, batch, width]), alpha = Tensor(shape: [batch, sourceLength])
        let ctx = Tensor(shape: [batch, width])
        for i in 0..<enc.count { enc[i] = rng.uniform(-1, 1) }
        for i in 0..<alpha.count { alpha[i] = rng.nextUnitFloat() }
        let a = BatchedMatrix(alpha.data, count: batch, rows: 1, cols: sourceLength)
        let v = BatchedMatrix(enc.data, count: batch, rows: sourceLength, cols: width, stride: batch * width, batchStride: width)
        let c = BatchedMatrix(ctx.data, count: batch, rows: 1, cols: width)
        let times = Stopwatch.medianSecondsPerCall(runs: runs, [
            { Matmul.batchedGemm(a, v, into: c, precision: precision) },
            { for b in 0..<batch { Matmul.gemm(a.matrix(b), v.matrix(b), into: c.matrix(b), precision: precision) } },
        ])
        let flops = 2.0 * Double(batch * sourceLength * width)
        return (flops / times[0] / 1e9, flops / times[1] / 1e9)
    }
}
