import CKernels
import Foundation
import Testing
@testable import S2SNumerics

/// Round-to-nearest-even fp32 → bf16, written the obvious way.
func referenceBF16(_ x: Float) -> UInt16 {
    if x.isNaN { return UInt16(x.bitPattern >> 16) | 0x40 }
    let u = x.bitPattern
    let upper = u >> 16, lower = u & 0xFFFF
    if lower > 0x8000 || (lower == 0x8000 && upper & 1 == 1) { return UInt16(truncatingIfNeeded: upper + 1) }
    return UInt16(upper)
}

@Test func bf16ConversionRoundsToNearestEven() {
    var rng = PCG32(seed: 3)
    var xs: [Float] = [0, -0, 1, -1, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, .leastNonzeroMagnitude,
                       Float(bitPattern: 0x3F80_8000), Float(bitPattern: 0x3F81_8000), Float(bitPattern: 0x3F80_8001),
                       Float(bitPattern: 0x7F7F_FFFF), Float(bitPattern: 0x7F80_0001)]
    for _ in 0..<1000 { xs.append(Float(bitPattern: rng.nextUInt32())) }
    for n in [xs.count, 17, 1] {
        var out = [UInt16](repeating: 0, count: n)
        s2s_f32_to_bf16(xs, Int64(n), &out, Int64(n), 1, Int64(n))
        for i in 0..<n {
            #expect(out[i] == referenceBF16(xs[i]), "x = \(xs[i]) bits \(String(xs[i].bitPattern, radix: 16))")
        }
    }
}

/// bf16 inputs carry 8 significant bits: each product is off by at most ~2·2⁻⁹ of its size.
@Test(arguments: transposeCombos)
func bf16GemmIsWithinBF16ToleranceOfFP32(transA: Bool, transB: Bool) {
    var rng = PCG32(seed: 21)
    var maxDiff: Float = 0
    for (m, n, k) in [(3, 5, 7), (17, 33, 9), (64, 31, 65), (70, 129, 200)] {
        for beta: Float in [0, 1] {
            for useWeight in [false, true] {
                let aView = stridedView(transA ? k : m, transA ? m : k, pad: 1, &rng), a = aView.m
                let w = randomTensor(transB ? [n, k] : [k, n], &rng)
                let cView = stridedView(m, n, pad: 2, &rng), c = cView.m
                let expected = referenceGemm(a, transA: transA, w.matrix, transB: transB, c: c, alpha: 1, beta: beta)
                if useWeight {
                    Matmul.gemm(a, transA: transA, weight: w, transB: transB, into: c, beta: beta, precision: .bf16)
                } else {
                    Matmul.gemm(a, transA: transA, w.matrix, transB: transB, into: c, beta: beta, precision: .bf16)
                }
                for i in 0..<m {
                    for j in 0..<n {
                        let scale = absoluteProductSum(a, transA: transA, w.matrix, transB: transB, i: i, j: j)
                        let diff = abs(Double(c[i, j]) - expected[i * n + j])
                        maxDiff = max(maxDiff, Float(diff))
                        #expect(diff <= scale * 2.0 / 256 + 1e-5, "m\(m) n\(n) k\(k) beta \(beta) weight \(useWeight) at \(i),\(j)")
                    }
                }
                withExtendedLifetime((aView, cView)) {}
            }
        }
    }
    // On a CPU with bf16, the inputs really were rounded (the fp32 path would agree to ~1e-6).
    if MatmulEngine.bf16Available { #expect(maxDiff > 1e-4) }
}

@Test func precisionResolution() {
    let (fp32, none) = Precision.resolve(.fp32)
    #expect(fp32 == .fp32 && none == nil)
    let core = CPUISA.avx512Core, bf16 = CPUISA.avx512CoreBF16, amx = CPUISA.avx512CoreAMX
    #expect(!core.supportsBF16 && bf16.supportsBF16 && amx.supportsBF16 && amx.hasAMX && !bf16.hasAMX)
    let (fallback, notice) = Precision.resolve(.bf16, isa: core)
    #expect(fallback == .fp32)
    #expect(notice?.contains("falling back to fp32") == true)
    #expect(notice?.contains("avx512_core") == true)
    let (kept, quiet) = Precision.resolve(.bf16, isa: bf16)
    #expect(kept == .bf16 && quiet == nil)
}
