import Testing
@testable import S2SNumerics

/// A batch of `count` rows × cols matrices interleaved like one sentence of a time-major
/// buffer `[rows, count, cols + pad]`: batch stride cols + pad, row stride count·(cols + pad).
func timeMajorBatch(count: Int, rows: Int, cols: Int, pad: Int, _ rng: inout PCG32) -> (Tensor, BatchedMatrix) {
    let t = randomTensor([max(rows, 1), count, cols + pad], &rng)
    return (t, BatchedMatrix(t.data, count: count, rows: rows, cols: cols, stride: count * (cols + pad), batchStride: cols + pad))
}

@Test(arguments: transposeCombos)
func batchedGemmMatchesPerMatrixReference(transA: Bool, transB: Bool) {
    var rng = PCG32(seed: 51)
    for (count, m, n, k) in [(1, 1, 1, 1), (3, 1, 17, 9), (5, 4, 33, 20), (7, 13, 8, 30)] {
        for beta: Float in [0, 1] {
            for precision in Precision.allCases {
                let (ta, a) = timeMajorBatch(count: count, rows: transA ? k : m, cols: transA ? m : k, pad: 1, &rng)
                let (tb, b) = timeMajorBatch(count: count, rows: transB ? n : k, cols: transB ? k : n, pad: 0, &rng)
                let tc = randomTensor([count, m, n], &rng)
                let c = BatchedMatrix(tc.data, count: count, rows: m, cols: n)
                let expected = (0..<count).map {
                    referenceGemm(a.matrix($0), transA: transA, b.matrix($0), transB: transB, c: c.matrix($0), alpha: 0.5, beta: beta)
                }
                Matmul.batchedGemm(a, transA: transA, b, transB: transB, into: c, alpha: 0.5, beta: beta, precision: precision)
                for i in 0..<count {
                    for r in 0..<m {
                        for j in 0..<n {
                            let e = expected[i][r * n + j]
                            let tol = precision == .bf16
                                ? 0.5 * 2.0 / 256 * absoluteProductSum(a.matrix(i), transA: transA, b.matrix(i), transB: transB, i: r, j: j) + 1e-5
                                : 1e-5 * max(1, abs(e))
                            #expect(abs(Double(c[i, r, j]) - e) <= tol, "\(precision) count \(count) m\(m) n\(n) k\(k) beta \(beta) at \(i),\(r),\(j)")
                        }
                    }
                }
                withExtendedLifetime((ta, tb, tc)) {}
            }
        }
    }
}

/// The time-major layout gets a real batched primitive (not the per-matrix fallback).
@Test func batchedPrimitiveAcceptsTimeMajorStrides() {
    for type in [OperandType.f32, .bf16] where type == .f32 || MatmulEngine.bf16Available {
        let key = PrimitiveKey(type: type, m: 1, n: 512, k: 30, transA: false, transB: false,
                               lda: 30, ldb: 64 * 512, ldc: 512, alphaBits: Float(1).bitPattern,
                               betaBits: Float(0).bitPattern, packedB: false, threads: EngineThreads.current,
                               batch: 64, batchStrideA: 30, batchStrideB: 512, batchStrideC: 512)
        let p = MatmulPrimitive(key)
        #expect(p.handle != nil, "\(type): status \(p.status)")
    }
}
