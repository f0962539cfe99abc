import CKernels

/// The short one-time measurement behind `--precision auto` on CPUs with AVX512-BF16 and no AMX,
/// of the two places where the bf16 instructions win on one vendor and lose on the other:
/// - `gemm`: fp32 time ÷ bf16 time of one weight GEMM, x [256, 1024] · Wᵀ [1024, 2048] (1.07
///   GFLOP, ~8 ms in fp32 at 2 threads; `PrecisionPlan.choose` takes bf16 GEMMs at ≥ 1.15×);
/// - `dot`: widening-kernel time ÷ dot-product-kernel time of the bf16 streaming product at 5
///   rows (a beam) against a bf16 W [2048, 1024] (4 MB, cache-resident, so the instructions and
///   not memory decide; at 1 row both kernels wait on memory alike).
/// Each variant runs once to warm up (primitive creation, weight packing), then the variants
/// alternate five times and the fastest of each counts (a burst of load from another process
/// slows a run; nothing makes one faster). About 0.15 s, once per machine: the result is kept in
/// `ProbeCache`'s `precision-probe.tsv` under the machine's key.
/// `S2S_BF16_GEMM_SPEEDUP=x` (and `S2S_BF16_DOT_SPEEDUP=y`, default 1) skip both (experiments,
/// and tests that need a fixed choice).
package enum PrecisionProbe {
    package struct Result: Sendable, Equatable {
        package var gemm: Double
        package var dot: Double
        package init(gemm: Double, dot: Double) { self.gemm = gemm; self.dot = dot }
    }

    /// Measured, cached or from the environment (once per process).
    package static func result() -> Result { cachedResult }

    private static let cachedResult: Result = {
        if let gemm = ProbeCache.environment("S2S_BF16_GEMM_SPEEDUP") {
            return Result(gemm: gemm, dot: ProbeCache.environment("S2S_BF16_DOT_SPEEDUP") ?? 1)
        }
        let values = ProbeCache.values("precision-probe", columns: 2) {
            let measured = measure()
            return [measured.gemm, measured.dot]
        }
        return Result(gemm: values[0], dot: values[1])
    }()

    /// Times the variants on this CPU now (uncached; no process-wide setting changes).
    package static func measure() -> Result {
        var rng = PCG32(seed: 7)
        let x = Tensor(shape: [256, 1024]), w = Tensor(shape: [2048, 1024]), y = Tensor(shape: [256, 2048])
        for i in 0..<x.count { x[i] = rng.uniform(-1, 1) }
        for i in 0..<w.count { w[i] = rng.uniform(-0.05, 0.05) }
        func gemm(_ p: Precision) -> Double {
            let t0 = Stopwatch.now()
            Matmul.gemm(x.matrix, weight: w, transB: true, into: y.matrix, precision: p)
            return Stopwatch.now() - t0
        }
        let wb = [UInt16](unsafeUninitializedCapacity: w.count) { buffer, count in
            s2s_f32_to_bf16(w.data, 1024, buffer.baseAddress, 1024, 2048, 1024)
            count = w.count
        }
        func streaming(dot: Bool) -> Double {
            let t0 = Stopwatch.now()
            for _ in 0..<16 { s2s_gemv_rows_bf16_kernel(5, 2048, 1024, x.data, 1024, wb, 1024, nil, y.data, 2048, dot ? 1 : 0) }
            return Stopwatch.now() - t0
        }
        _ = gemm(.fp32); _ = gemm(.bf16); _ = streaming(dot: false); _ = streaming(dot: true)
        var best = [Double](repeating: .infinity, count: 4)
        for _ in 0..<5 {
            best[0] = min(best[0], gemm(.fp32))
            best[1] = min(best[1], gemm(.bf16))
            best[2] = min(best[2], streaming(dot: false))
            best[3] = min(best[3], streaming(dot: true))
        }
        func ratio(_ a: Double, _ b: Double) -> Double { b > 0 && a.isFinite ? a / b : 1 }
        return Result(gemm: ratio(best[0], best[1]), dot: ratio(best[2], best[3]))
    }
}
