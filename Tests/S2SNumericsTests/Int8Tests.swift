import CKernels
import Testing
@testable import S2SNumerics

/// The int8 product against exact (Double) sums of the fp32 operands: every output within the
/// bound the two quantization steps allow (`QuantizedWeight.errorBound`: half a step of x times
/// Σ|w̃| plus half a step of w times Σ|x|), plus fp32 rounding of the rescaling (a few ulps of
/// Σ|x||w|). Odd sizes exercise the padded K (to 4) and N (to 32) and the masked stores; row
/// counts cover the partial tiles (1…8) and several tiles (13, 40).
@Test(arguments: [1, 3, 8, 13, 40])
func int8ProductIsWithinItsQuantizationBoundOfFP32(rows: Int) {
    var rng = PCG32(seed: UInt64(100 + rows))
    let n = 75, k = 53
    let w = randomTensor([n, k], &rng), bias = randomTensor([n], &rng)
    let xView = stridedView(rows, k, pad: 3, &rng), x = xView.m
    // A zero row (scale 0) must give the bias alone.
    if rows > 2 { for c in 0..<k { x[0, c] = 0 } }
    let q = QuantizedWeight(w)
    let y = Tensor(shape: [rows, n + 1]), yRef = Tensor(shape: [rows, n + 1])
    let ym = Matrix(y.data, rows: rows, cols: n, stride: n + 1), yr = Matrix(yRef.data, rows: rows, cols: n, stride: n + 1)
    q.multiply(x, bias: bias.data, into: ym)
    q.multiply(x, bias: bias.data, into: yr, reference: true)
    var worst: Double = 0
    for r in 0..<rows {
        for j in 0..<n {
            var exact = Double(bias[j]), magnitude = abs(Double(bias[j]))
            for c in 0..<k {
                exact += Double(x[r, c]) * Double(w[j * k + c])
                magnitude += abs(Double(x[r, c]) * Double(w[j * k + c]))
            }
            let bound = Double(q.errorBound(x: x, row: r, weight: w, column: j)) + 4 * Double(Float.ulpOfOne) * magnitude
            let diff = abs(Double(ym[r, j]) - exact)
            worst = max(worst, diff)
            #expect(diff <= bound, "row \(r) col \(j): |\(ym[r, j]) − \(exact)| > \(bound)")
            // Integer sums are exact: the VNNI kernel and the plain-C one agree bit for bit.
            #expect(ym[r, j].bitPattern == yr[r, j].bitPattern, "row \(r) col \(j): VNNI \(ym[r, j]) vs plain \(yr[r, j])")
        }
    }
    // The operands really were quantized (fp32 would agree to ~1e-6).
    #expect(worst > 1e-4)
    withExtendedLifetime(xView) {}
}

/// `DecodingWeight` in int8 is the quantized product, for the streaming row counts and the
/// GEMM ones alike, and a new weight version makes a new int8 copy.
@Test func decodingWeightUsesAnInt8CopyPerVersion() {
    var rng = PCG32(seed: 8)
    let w = randomTensor([40, 24], &rng), bias = randomTensor([40], &rng)
    let dw = DecodingWeight(w, bias: bias)
    for rows in [1, 20] {
        let x = randomTensor([rows, 24], &rng), y = Tensor(shape: [rows, 40]), expected = Tensor(shape: [rows, 40])
        dw.multiply(x.matrix, into: y.matrix, plan: PrecisionPlan(.int8), rowsAvailable: rows)
        QuantizedWeight(w).multiply(x.matrix, bias: bias.data, into: expected.matrix)
        #expect(y.array == expected.array)
        for i in 0..<w.count { w[i] *= -0.5 }
        w.bumpVersion()
        dw.multiply(x.matrix, into: y.matrix, plan: PrecisionPlan(.int8), rowsAvailable: rows)
        QuantizedWeight(w).multiply(x.matrix, bias: bias.data, into: expected.matrix)
        #expect(y.array == expected.array, "a stale int8 copy after bumpVersion")
    }
}

/// Quantizing dequantized values gives the same integers back (what loading an int8-packed
/// model relies on), and each row's scale is its largest |w| / 127.
@Test func int8QuantizationRoundTripsThroughItsDequantizedValues() {
    var rng = PCG32(seed: 12)
    let w = randomTensor([33, 19], &rng)
    for c in 0..<19 { w[5 * 19 + c] = 0 }   // a zero row: scale 0, integers 0
    let (q, scales) = QuantizedWeight.quantizeRows(w)
    #expect(scales[5] == 0 && q[(5 * 19)..<(6 * 19)].allSatisfy { $0 == 0 })
    let back = Tensor(shape: [33, 19])
    for r in 0..<33 {
        let amax = (0..<19).map { abs(w[r * 19 + $0]) }.max()!
        #expect(scales[r] == amax / 127)
        #expect(q[(r * 19)..<((r + 1) * 19)].contains { abs($0) == 127 } || amax == 0)
        for c in 0..<19 { back[r * 19 + c] = Float(q[r * 19 + c]) * scales[r] }
    }
    #expect(QuantizedWeight.quantizeRows(back).q == q)
}

@Test func int8PrecisionResolution() {
    let vnni = CPUISA.avx512CoreVNNI, core = CPUISA.avx512Core, bf16 = CPUISA.avx512CoreBF16
    let avx2VNNI = CPUISA.avx2VNNI
    #expect(vnni.supportsInt8 && bf16.supportsInt8 && CPUISA.avx512CoreAMX.supportsInt8)
    #expect(!core.supportsInt8 && !CPUISA.avx2.supportsInt8 && !avx2VNNI.supportsInt8)
    #expect(Precision.resolve(.int8, isa: vnni) == (.int8, nil))
    for isa in [core, avx2VNNI] {
        let (fallback, notice) = Precision.resolve(.int8, isa: isa)
        #expect(fallback == .fp32)
        #expect(notice?.contains("--precision int8 needs a CPU with AVX512-VNNI") == true)
        #expect(notice?.contains(isa.name) == true)
    }
}
