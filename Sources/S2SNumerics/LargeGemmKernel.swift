import CKernels
import Synchronization

/// Which oneDNN kernel runs the large fp32 weight-gradient products `dW = dYᵀ·X` (TN, B an
/// activation): the matmul primitive (the default, and always for every other product) or
/// `dnnl_sgemm`, where a one-time probe measures it faster on this CPU.
///
/// Why a choice at all: the output layer's three products are about 70 % of a medium training
/// step (vocabulary 16000, 1920 target tokens), and its weight gradient 16000×2048×1920 TN is
/// where oneDNN's primitive trails most (2 threads, Xeon family 6 model 207, GFLOP/s primitive vs
/// sgemm: 16000×2048×1920 218–225 vs 254–281, 8000×1024×1280 238–275 vs 267–318, 1536×1536×1920
/// 203–244 vs 297–305; PyTorch's MKL 250–317). The forward (NT, packed weights) and dX (NN)
/// products gained nothing end to end, and at N = 512 sgemm loses outright (2048×512×2048: 222 vs
/// 141–151): its split over two threads collapses on thin shapes, which is why the primitive was
/// chosen on a Zen 5 at the model's standard shapes (large TN shapes were not measured there).
/// Hence a narrow shape rule and a measured, per-machine switch rather than a vendor guess.
///
/// The switch is off until `resolve(for:)` (`train`, `bench train` and the library's
/// `Training.run` call it), so decoding and tests run the primitive only.
package enum LargeGemmKernel {
    private static let sgemmEnabled = Atomic<Bool>(false)

    /// Whether large fp32 weight gradients go to `dnnl_sgemm` (process-wide).
    package static var usesSgemm: Bool {
        get { sgemmEnabled.load(ordering: .relaxed) }
        set { sgemmEnabled.store(newValue, ordering: .relaxed) }
    }

    /// The shape rule: `Aᵀ·B` with M and N ≥ 768, K ≥ 256 and M·N·K ≥ 2³⁰ (≥ 2 GFLOP).
    @inline(__always)
    package static func qualifies(_ m: Int, _ n: Int, _ k: Int, transA: Bool, transB: Bool) -> Bool {
        transA && !transB && min(m, n) >= 768 && k >= 256 && m * n * k >= 1 << 30
    }

    /// `Matmul.gemm`'s routing: fp32 operands, the switch on, and the shape rule.
    @inline(__always)
    static func takesSgemm(_ type: OperandType, _ m: Int, _ n: Int, _ k: Int, transA: Bool, transB: Bool,
                           enabled: Bool = usesSgemm) -> Bool {
        type == .f32 && enabled && qualifies(m, n, k, transA: transA, transB: transB)
    }

    /// sgemm must measure at least this much faster than the primitive: a margin for noise.
    package static let threshold = 1.05

    /// For a training run in `precision`: when its GEMMs run fp32 (fp32 asked, or bf16 on a CPU
    /// without it), asks the probe (cached) and sets the switch, sgemm when it measured at least
    /// `threshold` as fast, and returns the ratio for `summary`; nil when the GEMMs are bf16 (the
    /// rule never applies, and the probe is not paid for).
    @discardableResult
    package static func resolve(for precision: Precision) -> Double? {
        guard Matmul.operandType(precision) == .f32 else { return nil }
        let measured = speedup()
        usesSgemm = measured >= threshold
        return measured
    }

    /// What `resolve` decided, as the plan and `train` print it.
    package static func summary(speedup: Double) -> String {
        let text = PrecisionPlan.formatRatio(speedup)
        return speedup >= threshold
            ? "large fp32 weight gradients by sgemm (\(text)× the matmul primitive)"
            : "large fp32 weight gradients by the matmul primitive (sgemm \(text)×)"
    }

    /// The probe's ratio (primitive time ÷ sgemm time), measured, cached or from
    /// `S2S_SGEMM_SPEEDUP` (experiments, and tests that need a fixed choice); once per process.
    package static func speedup() -> Double { cachedSpeedup }

    private static let cachedSpeedup: Double = {
        if let given = ProbeCache.environment("S2S_SGEMM_SPEEDUP") { return given }
        return ProbeCache.values("gemm-kernel-probe", columns: 1) { [measure()] }[0]
    }()

    /// Times both kernels now at the small reference model's output-layer weight gradient,
    /// 8000×1024×1280 TN (21 GFLOP, ~85 ms at 2 threads): one warm-up each, then three
    /// alternations, the fastest run of each counting (load from another process only slows a
    /// run). Returns primitive time ÷ sgemm time. About 0.7 s at 2 threads (1.3 s at one), once
    /// per machine and thread count; a training run of minutes to hours pays it once. (Shapes of
    /// half to a fifth of that gave ratios within noise of 1 on the Xeon family 6 model 207, where
    /// this one gives 1.07–1.13 and medium training gains 5–12 %.)
    package static func measure() -> Double {
        var rng = PCG32(seed: 11)
        let dy = Tensor(shape: [1280, 8000]), x = Tensor(shape: [1280, 1024]), dw = Tensor(shape: [8000, 1024])
        for t in [dy, x] { for i in 0..<t.count { t[i] = rng.uniform(-1, 1) } }
        func time(sgemm: Bool) -> Double {
            let t0 = Stopwatch.now()
            if sgemm {
                Matmul.sgemm(dy.matrix, true, x.matrix, false, dw.matrix, m: 8000, n: 1024, k: 1280, alpha: 1, beta: 0)
            } else {
                Matmul.primitiveGemm(dy.matrix, transA: true, x.matrix, transB: false, into: dw.matrix,
                                     m: 8000, n: 1024, k: 1280, alpha: 1, beta: 0, type: .f32)
            }
            return Stopwatch.now() - t0
        }
        _ = time(sgemm: false); _ = time(sgemm: true)
        var primitive = Double.infinity, sgemm = Double.infinity
        for _ in 0..<3 {
            primitive = min(primitive, time(sgemm: false))
            sgemm = min(sgemm, time(sgemm: true))
        }
        return sgemm > 0 && primitive.isFinite ? primitive / sgemm : 1
    }
}
