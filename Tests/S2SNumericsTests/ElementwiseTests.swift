import Foundation
import Testing
@testable import S2SNumerics

/// Sizes around the vector widths (4, 8, 16 lanes), plus one large enough to be split over threads.
let kernelSizes = [1, 3, 15, 16, 17, 33, 100, 257, 270_001]

func randomArray(_ n: Int, _ rng: inout PCG32, scale: Float = 1) -> [Float] {
    (0..<n).map { _ in rng.uniform(-scale, scale) }
}

@Test func sigmoidAndTanhMatchDoublePrecision() {
    var rng = PCG32(seed: 1)
    for n in kernelSizes {
        var xs = randomArray(n, &rng, scale: 12)
        if n > 20 { xs[0] = -100; xs[1] = 100; xs[2] = 0; xs[3] = 1e-6; xs[4] = -3e-4; xs[5] = 0.625; xs[6] = 9.5 }
        var s = xs, t = xs
        s.withUnsafeMutableBufferPointer { Kernels.sigmoid($0.baseAddress!, count: n) }
        t.withUnsafeMutableBufferPointer { Kernels.tanh($0.baseAddress!, count: n) }
        for i in 0..<n {
            let x = Double(xs[i])
            let es = 1 / (1 + Foundation.exp(-x)), et = Foundation.tanh(x)
            #expect(abs(Double(s[i]) - es) <= 1e-6 * es + 1e-37, "sigmoid(\(x)) n \(n)")
            #expect(abs(Double(t[i]) - et) <= 1e-6 * abs(et), "tanh(\(x)) n \(n)")
        }
    }
}

@Test func activationBackwardFromOutputs() {
    var rng = PCG32(seed: 2)
    for n in [5, 16, 37] {
        let y = randomArray(n, &rng), dy = randomArray(n, &rng), start = randomArray(n, &rng)
        for accumulate in [false, true] {
            var ds = start, dt = start
            Kernels.sigmoidBackward(output: y, gradOutput: dy, into: &ds, count: n, accumulate: accumulate)
            Kernels.tanhBackward(output: y, gradOutput: dy, into: &dt, count: n, accumulate: accumulate)
            for i in 0..<n {
                let base = accumulate ? start[i] : 0
                #expect(abs(ds[i] - (base + dy[i] * y[i] * (1 - y[i]))) <= 1e-6)
                #expect(abs(dt[i] - (base + dy[i] * (1 - y[i] * y[i]))) <= 1e-6)
            }
        }
    }
}

@Test func rowVectorAddAndColumnSums() {
    var rng = PCG32(seed: 3)
    for (rows, cols) in [(1, 1), (3, 17), (20, 33), (7, 100)] {
        let view = stridedView(rows, cols, pad: 5, &rng), m = view.m
        let v = randomArray(cols, &rng)
        var before = [[Float]]()
        for r in 0..<rows { before.append((0..<cols).map { m[r, $0] }) }
        Kernels.addRowVector(m, v)
        for r in 0..<rows { for j in 0..<cols { #expect(m[r, j] == before[r][j] + v[j]) } }
        // Padding between rows is untouched.
        #expect(view.storage[0] == view.storage[0])
        for accumulate in [false, true] {
            var sums = randomArray(cols, &rng)
            let start = sums
            Kernels.sumRows(m, into: &sums, accumulate: accumulate)
            for j in 0..<cols {
                var e = accumulate ? Double(start[j]) : 0
                for r in 0..<rows { e += Double(m[r, j]) }
                #expect(abs(Double(sums[j]) - e) <= 1e-5 * max(1, abs(e)), "rows \(rows) cols \(cols) col \(j)")
            }
        }
        withExtendedLifetime(view) {}
    }
}

@Test func addRowVectorLeavesRowPaddingAlone() {
    let t = Tensor(shape: [3, 6], repeating: 1)
    let m = Matrix(t.data, rows: 3, cols: 4, stride: 6)
    Kernels.addRowVector(m, [1, 2, 3, 4])
    #expect(t.array == [2, 3, 4, 5, 1, 1, 2, 3, 4, 5, 1, 1, 2, 3, 4, 5, 1, 1])
}

@Test func vectorArithmetic() {
    var rng = PCG32(seed: 4)
    for n in kernelSizes {
        let x = randomArray(n, &rng), y0 = randomArray(n, &rng)
        var y = y0
        Kernels.axpy(0.75, x, &y, count: n)
        for i in 0..<n { #expect(abs(y[i] - (y0[i] + 0.75 * x[i])) <= 1e-6) }
        var s = x
        Kernels.scale(&s, by: -2.5, count: n)
        for i in 0..<n { #expect(s[i] == x[i] * -2.5) }
        var p = [Float](repeating: 0, count: n), q = p
        Kernels.multiply(x, y0, into: &p, count: n)
        Kernels.add(x, y0, into: &q, count: n)
        for i in 0..<n { #expect(p[i] == x[i] * y0[i] && q[i] == x[i] + y0[i]) }
        let ss = Kernels.sumOfSquares(x, count: n)
        let e = x.reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(abs(ss - e) <= 1e-12 * max(1, e), "n \(n)")
    }
}

@Test func embeddingGatherAndScatter() {
    var rng = PCG32(seed: 5)
    let table = randomTensor([6, 5], &rng)
    let idx: [Int32] = [3, 0, 3, 5]
    let out = Tensor(shape: [4, 5])
    Kernels.gatherRows(table.matrix, indices: idx, into: out.matrix)
    for i in 0..<4 { for j in 0..<5 { #expect(out.matrix[i, j] == table.matrix[Int(idx[i]), j]) } }
    let grad = randomTensor([4, 5], &rng)
    let acc = Tensor(shape: [6, 5])
    Kernels.scatterAddRows(grad.matrix, indices: idx, into: acc.matrix, skipIndex: 0)
    for j in 0..<5 {
        #expect(abs(acc.matrix[3, j] - (grad.matrix[0, j] + grad.matrix[2, j])) <= 1e-6)
        #expect(acc.matrix[5, j] == grad.matrix[3, j])
        #expect(acc.matrix[0, j] == 0)   // the padding row receives nothing
        #expect(acc.matrix[1, j] == 0)
    }
}
