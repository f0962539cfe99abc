import Foundation
import Testing
@testable import S2SNumerics

/// The per-machine choice of kernel for large fp32 weight gradients: the shape rule, that both
/// kernels compute the same product (strided operands, accumulation, alpha), `gemm`'s routing, the
/// probe's measurement, and the summary the plan prints.
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

    /// `gemm` takes sgemm only for fp32 operands, with the switch on, inside the rule. (The
    /// switch itself is process-wide, and a library training run in another suite may set it, so
    /// this asks the routing with the switch given rather than flipping it.)
    @Test func gemmRoutesBySwitchPrecisionAndShape() {
        let big = (16000, 2048, 1920)
        #expect(LargeGemmKernel.takesSgemm(.f32, big.0, big.1, big.2, transA: true, transB: false, enabled: true))
        #expect(!LargeGemmKernel.takesSgemm(.f32, big.0, big.1, big.2, transA: true, transB: false, enabled: false))
        #expect(!LargeGemmKernel.takesSgemm(.bf16, big.0, big.1, big.2, transA: true, transB: false, enabled: true))
        #expect(!LargeGemmKernel.takesSgemm(.f32, big.0, big.1, big.2, transA: false, transB: false, enabled: true))
        #expect(!LargeGemmKernel.takesSgemm(.f32, 64, 2048, 1024, transA: true, transB: false, enabled: true))
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
