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

/// `--precision bf16` (and int8) on a CPU without bf16 (VNNI) falls back to fp32 with a notice. The CPU is
/// simulated the way oneDNN documents, `ONEDNN_MAX_CPU_ISA=AVX512_CORE`, which oneDNN reads
/// once per process: so this test re-runs itself in a child process with that environment
/// (the child takes the `S2S_ISA_CHILD` branch) and checks the child's verdict.
@Test func bf16FallsBackToFP32WithoutBF16ISA() throws {
    if ProcessInfo.processInfo.environment["S2S_ISA_CHILD"] != nil {
        let (resolved, notice) = Precision.resolve(.bf16)
        #expect(resolved == .fp32)
        #expect(notice?.contains("falling back to fp32") == true)
        #expect(!MatmulEngine.bf16Available)
        // A bf16 request now computes in fp32: results match the fp32 reference to fp32 accuracy.
        var rng = PCG32(seed: 5)
        let a = randomTensor([9, 40], &rng), w = randomTensor([13, 40], &rng), c = Tensor(shape: [9, 13])
        Matmul.gemm(a.matrix, weight: w, transB: true, into: c.matrix, precision: .bf16)
        let expected = referenceGemm(a.matrix, transA: false, w.matrix, transB: true, c: c.matrix, alpha: 1, beta: 0)
        for i in 0..<c.count { #expect(abs(Double(c[i]) - expected[i]) <= 1e-5) }
        print("S2S_ISA_CHILD isa=\(CPUISA.effective.name) resolved=\(resolved.rawValue) notice=\(notice ?? "none")")
        // int8 needs VNNI, which AVX512_CORE lacks: the same fallback.
        let (int8, int8Notice) = Precision.resolve(.int8)
        print("S2S_ISA_CHILD int8 resolved=\(int8.rawValue) notice=\(int8Notice ?? "none")")
        return
    }
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    child.arguments = ["--testing-library", "swift-testing", "--filter", "bf16FallsBackToFP32WithoutBF16ISA"]
    var env = ProcessInfo.processInfo.environment
    env["ONEDNN_MAX_CPU_ISA"] = "AVX512_CORE"
    env["S2S_ISA_CHILD"] = "1"
    child.environment = env
    let pipe = Pipe()
    child.standardOutput = pipe
    child.standardError = pipe
    try child.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    child.waitUntilExit()
    #expect(child.terminationStatus == 0, "child failed:\n\(output)")
    #expect(output.contains("S2S_ISA_CHILD isa=avx512_core resolved=fp32 notice=notice: --precision bf16"), "child output:\n\(output)")
    #expect(output.contains("S2S_ISA_CHILD int8 resolved=fp32 notice=notice: --precision int8 needs a CPU with AVX512-VNNI; oneDNN reports ISA avx512_core"),
            "child output:\n\(output)")
}
