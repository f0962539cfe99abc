import Foundation
import Testing
@testable import S2SNumerics

/// The per-machine choice of kernel for large fp32 weight gradients: the shape rule, that both
/// kernels compute the same product (strided operands, accumulation, alpha), that `gemm` routes by
/// the switch, the probe's measurement and its cache, and the summary the plan prints.
@Suite(.serialized)
struct LargeGemmKernelTests {
    /// Only `Aᵀ·B` with M, N ≥ 768, K ≥ 256 and M·N·K ≥ 2³⁰: the output layer's and the encoder's
    /// weight gradients of the reference models, never their forward or dX products, never thin N.
    @Test func theShapeRuleTakesOnlyLargeWeightGradients() {
        func q(_ m: Int, _ n: Int, _ k: Int, _ ta: Bool = true, _ tb: Bool = false) -> Bool {
            LargeGemmKernel.qualifies(m, n, k, transA: ta, transB: tb)
        }
        #expect(q(16000, 2048, 1920) && q(8000, 1024, 1280) && q(1536, 1536, 1920) && q(4096, 1024, 1024))
        #expect(!q(1920, 16000, 2048, false, true) && !q(1920, 2048, 16000, false, false) && !q(1920, 2048, 16000, true, true))
        #expect(!q(4096, 512, 1024) && !q(2048, 512, 2048) && !q(512, 4096, 1024))   // thin N or M: sgemm's split loses
        #expect(!q(1024, 1024, 512) && !q(100_000, 1024, 128))                      // under 2³⁰, or K too short
        #expect(q(1024, 1024, 1024) && !q(1024, 1024, 1023))                        // the 2³⁰ boundary
    }

    /// `C = alpha · AᵀB + beta · C` with strided A, B and C: sgemm and the primitive agree to fp32
    /// rounding everywhere, and with a double-precision sum on sampled rows.
    @Test(arguments: [Float(0), 1])
    func sgemmAndThePrimitiveComputeTheSameProduct(beta: Float) {
        var rng = PCG32(seed: 21)
        let (m, n, k) = (1024, 800, 1400), sampled = 8
        let aView = stridedView(k, m, pad: 3, &rng), b = stridedView(k, n, pad: 5, &rng)   // views own their storage
        let a = aView.m
        let c1 = stridedView(m, n, pad: 2, &rng), c2 = Tensor(shape: [m, n])
        for r in 0..<m { for j in 0..<n { c2[r * n + j] = c1.m[r, j] } }
        var expected = [Double](repeating: 0, count: sampled * n)
        for r in 0..<sampled {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k { sum += Double(a[p, r]) * Double(b.m[p, j]) }
                expected[r * n + j] = 0.5 * sum + Double(beta) * Double(c1.m[r, j])
            }
        }
        Matmul.sgemm(a, true, b.m, false, c1.m, m: m, n: n, k: k, alpha: 0.5, beta: beta)
        Matmul.primitiveGemm(a, transA: true, b.m, transB: false, into: c2.matrix,
                             m: m, n: n, k: k, alpha: 0.5, beta: beta, type: .f32)
        // Inputs in [-1, 1]: |a·b| sums to about k/4, fp32 rounding of it ~1e-7 relative per term.
        let scale = Double(k) / 4
        var kernels = 0.0, reference = 0.0
        for r in 0..<m {
            for j in 0..<n {
                kernels = max(kernels, abs(Double(c1.m[r, j]) - Double(c2[r * n + j])) / scale)
                if r < sampled { reference = max(reference, abs(Double(c1.m[r, j]) - expected[r * n + j]) / scale) }
            }
        }
        #expect(kernels < 1e-5 && reference < 1e-5, "sgemm vs primitive \(kernels), vs double \(reference), relative to k/4")
        withExtendedLifetime(aView) {}
    }

    /// With the switch on a qualifying product is sgemm's bit for bit, with it off the primitive's;
    /// a product outside the rule is the primitive's either way.
    @Test func gemmFollowsTheSwitchInsideTheRuleOnly() {
        var rng = PCG32(seed: 5)
        let a = randomTensor([1024, 1024], &rng), b = randomTensor([1024, 1024], &rng)
        func run(_ transA: Bool, sgemm: Bool) -> [Float] {
            let saved = LargeGemmKernel.usesSgemm
            defer { LargeGemmKernel.usesSgemm = saved }
            LargeGemmKernel.usesSgemm = sgemm
            let c = Tensor(shape: [1024, 1024])
            Matmul.gemm(a.matrix, transA: transA, b.matrix, into: c.matrix)
            return Array(UnsafeBufferPointer(start: c.data, count: c.count))
        }
        func direct(_ transA: Bool, sgemm: Bool) -> [Float] {
            let c = Tensor(shape: [1024, 1024])
            if sgemm {
                Matmul.sgemm(a.matrix, transA, b.matrix, false, c.matrix, m: 1024, n: 1024, k: 1024, alpha: 1, beta: 0)
            } else {
                Matmul.primitiveGemm(a.matrix, transA: transA, b.matrix, transB: false, into: c.matrix,
                                     m: 1024, n: 1024, k: 1024, alpha: 1, beta: 0, type: .f32)
            }
            return Array(UnsafeBufferPointer(start: c.data, count: c.count))
        }
        #expect(run(true, sgemm: true) == direct(true, sgemm: true))
        #expect(run(true, sgemm: false) == direct(true, sgemm: false))
        #expect(run(false, sgemm: true) == direct(false, sgemm: false))
    }

    /// The probe times both kernels and returns a usable ratio (its value is the CPU's business).
    @Test func theProbeMeasuresAFinitePositiveRatio() {
        let r = LargeGemmKernel.measure()
        #expect(r.isFinite && r > 0.05 && r < 20, "\(r)")
    }

    /// What the plan and `train` print, on both sides of the threshold.
    @Test func theSummaryNamesTheKernelAndTheRatio() {
        let t = LargeGemmKernel.threshold
        #expect(LargeGemmKernel.summary(speedup: 1.134) == "large fp32 weight gradients by sgemm (1.13× the matmul primitive)")
        #expect(LargeGemmKernel.summary(speedup: 0.9) == "large fp32 weight gradients by the matmul primitive (sgemm 0.90×)")
        #expect(LargeGemmKernel.summary(speedup: t).contains("by sgemm"))
        #expect(LargeGemmKernel.summary(speedup: t - 0.01).contains("by the matmul primitive"))
        var plan = PrecisionPlan(.fp32)
        plan.sgemmSpeedup = 1.2
        #expect(plan.description == "fp32; large fp32 weight gradients by sgemm (1.20× the matmul primitive)")
    }
}
