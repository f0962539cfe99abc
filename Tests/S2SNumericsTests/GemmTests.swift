import Testing
@testable import S2SNumerics

/// Plain triple loop: the reference every engine path is compared against.
func referenceGemm(_ a: Matrix, transA: Bool, _ b: Matrix, transB: Bool, c: Matrix, alpha: Float, beta: Float) -> [Float] {
    let m = c.rows, n = c.cols, k = transA ? a.rows : a.cols
    var out = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var s: Double = 0
            for p in 0..<k {
                let x = transA ? a[p, i] : a[i, p]
                let y = transB ? b[j, p] : b[p, j]
                s += Double(x) * Double(y)
            }
            out[i * n + j] = Float(Double(alpha) * s + Double(beta) * Double(c[i, j]))
        }
    }
    return out
}

func randomTensor(_ shape: [Int], _ rng: inout PCG32) -> Tensor {
    let t = Tensor(shape: shape)
    for i in 0..<t.count { t[i] = rng.uniform(-1, 1) }
    return t
}

@Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
func gemmMatchesReference(transA: Bool, transB: Bool) {
    var rng = PCG32(seed: 7)
    for (m, n, k) in [(1, 1, 1), (3, 5, 7), (17, 33, 9), (64, 31, 65)] {
        for beta: Float in [0, 1] {
            let a = randomTensor(transA ? [k, m] : [m, k], &rng)
            let b = randomTensor(transB ? [n, k] : [k, n], &rng)
            let c = randomTensor([m, n], &rng)
            let expected = referenceGemm(a.matrix, transA: transA, b.matrix, transB: transB, c: c.matrix, alpha: 0.5, beta: beta)
            Matmul.gemm(a.matrix, transA: transA, b.matrix, transB: transB, into: c.matrix, alpha: 0.5, beta: beta)
            for i in 0..<c.count {
                #expect(abs(c[i] - expected[i]) <= 1e-4 * max(1, abs(expected[i])), "m\(m) n\(n) k\(k) beta \(beta) at \(i)")
            }
        }
    }
}

@Test func pcgIsReproducible() {
    var a = PCG32(seed: 42), b = PCG32(seed: 42), c = PCG32(seed: 43)
    let xs = (0..<8).map { _ in a.nextUInt32() }
    #expect(xs == (0..<8).map { _ in b.nextUInt32() })
    #expect(xs != (0..<8).map { _ in c.nextUInt32() })
}
