import CKernels
import Testing
@testable import S2SNumerics

/// Plain triple loop in double: the reference every engine path is compared against.
func referenceGemm(_ a: Matrix, transA: Bool, _ b: Matrix, transB: Bool, c: Matrix, alpha: Float, beta: Float) -> [Double] {
    let m = c.rows, n = c.cols, k = transA ? a.rows : a.cols
    var out = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var s: Double = 0
            for p in 0..<k {
                let x = transA ? a[p, i] : a[i, p]
                let y = transB ? b[j, p] : b[p, j]
                s += Double(x) * Double(y)
            }
            out[i * n + j] = Double(alpha) * s + Double(beta) * Double(c[i, j])
        }
    }
    return out
}

/// Σ_p |op(A)[i,p]·op(B)[p,j]|: the scale a rounding error of the inputs is relative to.
func absoluteProductSum(_ a: Matrix, transA: Bool, _ b: Matrix, transB: Bool, i: Int, j: Int) -> Double {
    let k = transA ? a.rows : a.cols
    var s: Double = 0
    for p in 0..<k {
        s += abs(Double(transA ? a[p, i] : a[i, p]) * Double(transB ? b[j, p] : b[p, j]))
    }
    return s
}

func randomTensor(_ shape: [Int], _ rng: inout PCG32) -> Tensor {
    let t = Tensor(shape: shape)
    for i in 0..<t.count { t[i] = rng.uniform(-1, 1) }
    return t
}

/// A random rows × cols view inside a wider buffer, so the stride differs from the width.
/// The view owns its tensor: a bare `Matrix` would dangle once the tensor is released.
struct StridedView {
    let storage: Tensor
    let m: Matrix
}

func stridedView(_ rows: Int, _ cols: Int, pad: Int, _ rng: inout PCG32) -> StridedView {
    let t = randomTensor([max(rows, 1), cols + pad], &rng)
    return StridedView(storage: t, m: Matrix(t.data + (pad > 0 ? 1 : 0), rows: rows, cols: cols, stride: cols + pad))
}

let transposeCombos = [(false, false), (false, true), (true, false), (true, true)]
let gemmShapes = [(1, 1, 1), (3, 5, 7), (17, 33, 9), (64, 31, 65), (70, 129, 47)]

@Test(arguments: transposeCombos)
func gemmMatchesReference(transA: Bool, transB: Bool) {
    var rng = PCG32(seed: 7)
    for (m, n, k) in gemmShapes {
        for beta: Float in [0, 1] {
            for pad in [0, 3] {
                let aView = stridedView(transA ? k : m, transA ? m : k, pad: pad, &rng), a = aView.m
                let bView = stridedView(transB ? n : k, transB ? k : n, pad: pad, &rng), b = bView.m
                let cView = stridedView(m, n, pad: pad, &rng), c = cView.m
                let expected = referenceGemm(a, transA: transA, b, transB: transB, c: c, alpha: 0.5, beta: beta)
                Matmul.gemm(a, transA: transA, b, transB: transB, into: c, alpha: 0.5, beta: beta)
                for i in 0..<m {
                    for j in 0..<n {
                        let e = expected[i * n + j]
                        #expect(abs(Double(c[i, j]) - e) <= 1e-5 * max(1, abs(e)), "m\(m) n\(n) k\(k) beta \(beta) pad \(pad) at \(i),\(j)")
                    }
                }
                withExtendedLifetime((aView, bView, cView)) {}
            }
        }
    }
}

@Test(arguments: transposeCombos)
func gemmWithPackedWeightMatchesReference(transA: Bool, transB: Bool) {
    var rng = PCG32(seed: 8)
    for (m, n, k) in gemmShapes {
        for beta: Float in [0, 1] {
            let aView = stridedView(transA ? k : m, transA ? m : k, pad: 2, &rng), a = aView.m
            let w = randomTensor(transB ? [n, k] : [k, n], &rng)
            let cView = stridedView(m, n, pad: 1, &rng), c = cView.m
            let expected = referenceGemm(a, transA: transA, w.matrix, transB: transB, c: c, alpha: 1, beta: beta)
            Matmul.gemm(a, transA: transA, weight: w, transB: transB, into: c, alpha: 1, beta: beta)
            for i in 0..<m {
                for j in 0..<n {
                    let e = expected[i * n + j]
                    #expect(abs(Double(c[i, j]) - e) <= 1e-5 * max(1, abs(e)), "m\(m) n\(n) k\(k) beta \(beta) at \(i),\(j)")
                }
            }
            withExtendedLifetime((aView, cView)) {}
        }
    }
}

@Test func packedWeightFollowsVersionBumps() {
    var rng = PCG32(seed: 9)
    let x = randomTensor([5, 12], &rng)
    let w = randomTensor([7, 12], &rng)
    let y = Tensor(shape: [5, 7])
    for precision in Precision.allCases {
        for round in 0..<3 {
            if round > 0 {
                for i in 0..<w.count { w[i] = rng.uniform(-1, 1) }
                w.bumpVersion()
            }
            Matmul.gemm(x.matrix, weight: w, transB: true, into: y.matrix, precision: precision)
            let expected = referenceGemm(x.matrix, transA: false, w.matrix, transB: true, c: y.matrix, alpha: 1, beta: 0)
            for i in 0..<y.count {
                #expect(abs(Double(y[i]) - expected[i]) <= (precision == .bf16 ? 0.05 : 1e-5), "\(precision) round \(round) at \(i)")
            }
        }
    }
}

/// One weight used at several batch sizes: primitives for different M may want different
/// packed layouts, and each must read the copy made for its layout.
@Test func packedWeightServesSeveralBatchSizes() {
    var rng = PCG32(seed: 10)
    let w = randomTensor([96, 40], &rng)
    for precision in Precision.allCases {
        for m in [1, 64, 300, 5] {
            let x = randomTensor([m, 40], &rng)
            let y = Tensor(shape: [m, 96])
            Matmul.gemm(x.matrix, weight: w, transB: true, into: y.matrix, precision: precision)
            let expected = referenceGemm(x.matrix, transA: false, w.matrix, transB: true, c: y.matrix, alpha: 1, beta: 0)
            for i in 0..<y.count {
                let tol = precision == .bf16 ? 2.0 / 128 * absoluteProductSum(x.matrix, transA: false, w.matrix, transB: true, i: i / 96, j: i % 96) + 1e-5 : 1e-5
                #expect(abs(Double(y[i]) - expected[i]) <= tol, "\(precision) m \(m) at \(i)")
            }
        }
    }
}

/// A square weight multiplied as W and as Wᵀ (a recurrent matrix forward and backward) keeps a
/// packed copy per orientation: the two layouts are equal, and once one served the other.
@Test func squareWeightPackedBothWays() {
    var rng = PCG32(seed: 11)
    let w = randomTensor([3, 3], &rng)
    let x = randomTensor([4, 3], &rng)
    let y = Tensor(shape: [4, 3])
    for precision in Precision.allCases {
        for transB in [true, false, true, false] {
            Matmul.gemm(x.matrix, weight: w, transB: transB, into: y.matrix, precision: precision)
            let expected = referenceGemm(x.matrix, transA: false, w.matrix, transB: transB, c: y.matrix, alpha: 1, beta: 0)
            for i in 0..<y.count {
                #expect(abs(Double(y[i]) - expected[i]) <= (precision == .bf16 ? 0.05 : 1e-5), "\(precision) transB \(transB) at \(i)")
            }
        }
    }
}

@Test func gemmDegenerateShapes() {
    var rng = PCG32(seed: 11)
    let c = randomTensor([3, 4], &rng)
    let before = c.array
    let storage = Tensor(shape: [1])
    let a = Matrix(storage.data, rows: 3, cols: 0), b = Matrix(storage.data, rows: 0, cols: 4)
    Matmul.gemm(a, b, into: c.matrix, beta: 0.5)   // K = 0: C = beta·C
    for i in 0..<c.count { #expect(c[i] == before[i] * 0.5) }
    Matmul.gemm(a, b, into: c.matrix, beta: 0)
    #expect(c.array.allSatisfy { $0 == 0 })
}

@Test func pcgIsReproducible() {
    var a = PCG32(seed: 42), b = PCG32(seed: 42), c = PCG32(seed: 43)
    let xs = (0..<8).map { _ in a.nextUInt32() }
    #expect(xs == (0..<8).map { _ in b.nextUInt32() })
    #expect(xs != (0..<8).map { _ in c.nextUInt32() })
}
