import Foundation
import Testing
@testable import S2SNumerics

/// Row softmax in double over the first `valid` columns.
func referenceSoftmax(_ row: [Float], valid: Int) -> [Double] {
    var out = [Double](repeating: 0, count: row.count)
    guard valid > 0 else { return out }
    let mx = row[0..<valid].map(Double.init).max()!
    let e = row[0..<valid].map { Foundation.exp(Double($0) - mx) }
    let s = e.reduce(0, +)
    for j in 0..<valid { out[j] = e[j] / s }
    return out
}

func rowArray(_ m: Matrix, _ r: Int) -> [Float] { (0..<m.cols).map { m[r, $0] } }

@Test func softmaxRowsWithAndWithoutMask() {
    var rng = PCG32(seed: 11)
    for (rows, cols) in [(1, 1), (4, 7), (9, 33), (3, 100), (600, 500)] {
        for masked in [false, true] {
            let view = stridedView(rows, cols, pad: 3, &rng), m = view.m
            for r in 0..<rows { for j in 0..<cols { m[r, j] *= 8 } }
            // Valid lengths cover: none, one, partial, all, and more than the row holds.
            let valid: [Int32] = (0..<rows).map { r in Int32([0, 1, cols / 2, cols, cols + 4][r % 5]) }
            let input = (0..<rows).map { rowArray(m, $0) }
            if masked { Kernels.softmaxRows(m, validColumns: valid) } else { Kernels.softmaxRows(m, validColumns: nil) }
            for r in 0..<rows {
                let n = masked ? min(cols, Int(valid[r])) : cols
                let e = referenceSoftmax(input[r], valid: n)
                for j in 0..<cols {
                    #expect(abs(Double(m[r, j]) - e[j]) <= 1e-6, "rows \(rows) cols \(cols) masked \(masked) at \(r),\(j)")
                    if j >= n { #expect(m[r, j] == 0) }
                }
            }
            withExtendedLifetime(view) {}
        }
    }
}

/// Backward of the masked softmax against central differences of Σ w·softmax(x).
@Test func softmaxBackwardMatchesFiniteDifferences() {
    var rng = PCG32(seed: 17)
    let rows = 3, cols = 21
    let x = randomTensor([rows, cols], &rng), w = randomTensor([rows, cols], &rng)
    let valid: [Int32] = [21, 5, 0]
    func objective() -> Double {
        let y = x.clone()
        Kernels.softmaxRows(y.matrix, validColumns: valid)
        return (0..<y.count).reduce(0.0) { $0 + Double(y[$1]) * Double(w[$1]) }
    }
    let y = x.clone()
    Kernels.softmaxRows(y.matrix, validColumns: valid)
    let dx = w.clone()   // in place: dx aliases dy
    Kernels.softmaxBackwardRows(output: y.matrix, gradOutput: dx.matrix, into: dx.matrix)
    let h: Float = 1e-2
    for i in 0..<x.count {
        let v = x[i]
        x[i] = v + h; let up = objective()
        x[i] = v - h; let down = objective()
        x[i] = v
        #expect(abs((up - down) / (2 * Double(h)) - Double(dx[i])) <= 1e-4, "element \(i)")
    }
}

@Test func logSoftmaxRows() {
    var rng = PCG32(seed: 12)
    for (rows, cols) in [(1, 1), (5, 17), (400, 700)] {
        let view = stridedView(rows, cols, pad: 1, &rng), m = view.m
        for r in 0..<rows { for j in 0..<cols { m[r, j] *= 20 } }
        let input = (0..<rows).map { rowArray(m, $0) }
        Kernels.logSoftmaxRows(m)
        for r in 0..<rows {
            let e = referenceSoftmax(input[r], valid: cols)
            for j in 0..<cols {
                let lp = Foundation.log(e[j])
                #expect(abs(Double(m[r, j]) - lp) <= 2e-6 * max(1, abs(lp)), "at \(r),\(j)")
            }
        }
        withExtendedLifetime(view) {}
    }
}

/// PyTorch CrossEntropyLoss(label_smoothing: ε, reduction: sum) for one row, in double.
func referenceRowLoss(_ row: [Float], target: Int, smoothing: Double) -> Double {
    let p = referenceSoftmax(row, valid: row.count)
    let nll = -Foundation.log(p[target])
    let mean = p.map { -Foundation.log($0) }.reduce(0, +) / Double(row.count)
    return (1 - smoothing) * nll + smoothing * mean
}

@Test(arguments: [Float(0), 0.1])
func crossEntropyLossAndGradient(smoothing: Float) {
    var rng = PCG32(seed: 13)
    for (rows, cols) in [(1, 2), (6, 17), (10, 33), (300, 1000)] {
        for inPlace in [false, true] {
            let view = stridedView(rows, cols, pad: 2, &rng), logits = view.m
            for r in 0..<rows { for j in 0..<cols { logits[r, j] *= 5 } }
            let targets: [Int32] = (0..<rows).map { r in r % 4 == 1 ? -100 : Int32(rng.nextUInt32() % UInt32(cols)) }
            let input = (0..<rows).map { rowArray(logits, $0) }
            let gradView = stridedView(rows, cols, pad: 1, &rng)
            let grad = inPlace ? logits : gradView.m
            let live = targets.filter { $0 != -100 }.count
            let scale = Float(1) / Float(max(live, 1))
            let (loss, count) = Kernels.softmaxCrossEntropy(
                logits: logits, targets: targets, ignoreIndex: -100, labelSmoothing: smoothing,
                gradient: grad, gradScale: scale)
            #expect(count == live)
            var expectedLoss = 0.0
            for r in 0..<rows {
                if targets[r] == -100 {
                    for j in 0..<cols { #expect(grad[r, j] == 0, "ignored row \(r) has gradient") }
                    continue
                }
                expectedLoss += referenceRowLoss(input[r], target: Int(targets[r]), smoothing: Double(smoothing))
                let p = referenceSoftmax(input[r], valid: cols)
                for j in 0..<cols {
                    let onehot = j == Int(targets[r]) ? 1.0 : 0.0
                    let e = (p[j] - (1 - Double(smoothing)) * onehot - Double(smoothing) / Double(cols)) * Double(scale)
                    #expect(abs(Double(grad[r, j]) - e) <= 1e-6 * Double(scale) + 1e-9, "rows \(rows) at \(r),\(j) inPlace \(inPlace)")
                }
            }
            #expect(abs(loss - expectedLoss) <= 1e-5 * max(1, expectedLoss), "rows \(rows) cols \(cols)")
            withExtendedLifetime((view, gradView)) {}
        }
    }
}

/// The gradient is the derivative of the loss the kernel itself returns (central differences).
@Test func crossEntropyGradientMatchesFiniteDifferences() {
    var rng = PCG32(seed: 14)
    let rows = 4, cols = 9
    let logits = randomTensor([rows, cols], &rng)
    let targets: [Int32] = [2, -1, 8, 0]
    let grad = Tensor(shape: [rows, cols])
    _ = Kernels.softmaxCrossEntropy(logits: logits.matrix, targets: targets, ignoreIndex: -1,
                                    labelSmoothing: 0.2, gradient: grad.matrix, gradScale: 1)
    let h: Float = 1e-2
    for i in 0..<logits.count {
        let x = logits[i]
        logits[i] = x + h
        let up = Kernels.softmaxCrossEntropy(logits: logits.matrix, targets: targets, ignoreIndex: -1,
                                             labelSmoothing: 0.2, gradient: nil, gradScale: 1).lossSum
        logits[i] = x - h
        let down = Kernels.softmaxCrossEntropy(logits: logits.matrix, targets: targets, ignoreIndex: -1,
                                               labelSmoothing: 0.2, gradient: nil, gradScale: 1).lossSum
        logits[i] = x
        let fd = (up - down) / (2 * Double(h))
        #expect(abs(fd - Double(grad[i])) <= 2e-4, "element \(i)")
    }
}

@Test func argmaxTakesFirstOfTies() {
    let t = Tensor(shape: [4, 5], values: [
        1, 3, 3, 2, 0,
        -1, -1, -1, -1, -1,
        0, 0, 0, 0, 7,
        .nan, 2, 5, 5, 1,
    ])
    var out = [Int32](repeating: -1, count: 4)
    Kernels.argmaxRows(t.matrix, into: &out)
    #expect(out == [1, 0, 4, 2])
    // Long rows go through the vector path.
    var rng = PCG32(seed: 15)
    let big = randomTensor([3, 1001], &rng)
    big.matrix[0, 999] = 5; big.matrix[0, 17] = 5
    big.matrix[1, 1000] = 6
    big.matrix[2, 0] = 4
    Kernels.argmaxRows(big.matrix, into: &out)
    #expect(Array(out.prefix(3)) == [17, 1000, 0])
}

@Test func topKSortedWithTiesByLowerIndex() {
    let row: [Float] = [0.5, 2, 7, 2, -1, 7, .nan, 2]
    let top = Kernels.topK(row: row, count: row.count, k: 4)
    #expect(top.map(\.index) == [2, 5, 1, 3])
    #expect(top.map(\.value) == [7, 7, 2, 2])
    #expect(Kernels.topK(row: row, count: row.count, k: 0).isEmpty)
    let all = Kernels.topK(row: row, count: row.count, k: 20)
    #expect(all.map(\.index) == [2, 5, 1, 3, 7, 0, 4])   // the NaN is never selected
    var rng = PCG32(seed: 16)
    let xs = (0..<5000).map { _ in Float(rng.nextUInt32() % 50) }   // many ties
    let k = 12
    let got = Kernels.topK(row: xs, count: xs.count, k: k)
    let expected = xs.indices.sorted { xs[$0] > xs[$1] || (xs[$0] == xs[$1] && $0 < $1) }.prefix(k)
    #expect(got.map { Int($0.index) } == Array(expected))
}
