#if canImport(Glibc)
import Glibc
import S2SNumerics
#endif

/// Throughput of the C kernels beside the plain Swift loops a direct port would write (libm
/// `expf`/`tanhf`, scalar loops), at the model's sizes. Printed by `s2s bench gemm`.
package enum KernelBenchmark {
    package struct Result: Sendable {
        package let name: String
        package let elements: Int
        package let kernelSeconds: Double
        package let swiftLoopSeconds: Double
        package var kernelElementsPerSecond: Double { Double(elements) / kernelSeconds }
        package var swiftElementsPerSecond: Double { Double(elements) / swiftLoopSeconds }
        package var speedup: Double { swiftLoopSeconds / kernelSeconds }
    }

    package static func runAll(runs: Int) -> [Result] {
        var rng = PCG32(seed: 2)
        func random(_ shape: [Int], _ scale: Float = 4) -> Tensor {
            let t = Tensor(shape: shape)
            for i in 0..<t.count { t[i] = rng.uniform(-scale, scale) }
            return t
        }
        var results: [Result] = []
        func measure(_ name: String, _ elements: Int, kernel: @escaping () -> Void, swift: @escaping () -> Void) {
            let t = Stopwatch.medianSecondsPerCall(runs: runs, [kernel, swift])
            results.append(Result(name: name, elements: elements, kernelSeconds: t[0], swiftLoopSeconds: t[1]))
        }

        // Gate activations: one decoder step [64, 3·512] and a whole encoder layer [1280, 4·256].
        for (rows, cols) in [(64, 1536), (1280, 1024)] {
            let src = random([rows, cols]), x = Tensor(shape: [rows, cols])
            let n = x.count, p = x.data, s = src.data
            measure("sigmoid [\(rows),\(cols)]", n,
                    kernel: { p.update(from: s, count: n); Kernels.sigmoid(p, count: n) },
                    swift: { p.update(from: s, count: n); for i in 0..<n { p[i] = 1 / (1 + expf(-p[i])) } })
            measure("tanh [\(rows),\(cols)]", n,
                    kernel: { p.update(from: s, count: n); Kernels.tanh(p, count: n) },
                    swift: { p.update(from: s, count: n); for i in 0..<n { p[i] = tanhf(p[i]) } })
        }

        // Bias add over all time steps.
        do {
            let m = random([1280, 1024]), v = random([1024])
            let mm = m.matrix, vp = v.data, rows = mm.rows, cols = mm.cols
            measure("addRowVector [1280,1024]", m.count,
                    kernel: { Kernels.addRowVector(mm, vp) },
                    swift: { for r in 0..<rows { let row = mm.row(r); for j in 0..<cols { row[j] += vp[j] } } })
        }

        // Attention weights: [B·T, S] with real lengths.
        do {
            let src = random([1280, 30]), x = Tensor(shape: [1280, 30])
            let valid = (0..<1280).map { Int32(10 + $0 % 21) }
            let n = x.count, p = x.data, s = src.data, xm = x.matrix
            measure("softmaxRows masked [1280,30]", n,
                    kernel: { p.update(from: s, count: n); valid.withUnsafeBufferPointer { Kernels.softmaxRows(xm, validColumns: $0.baseAddress) } },
                    swift: { p.update(from: s, count: n); plainSoftmax(xm, valid) })
        }

        // Output layer loss and gradient over a whole batch: [T·B, V].
        do {
            let logits = random([1280, 8000]), grad = Tensor(shape: [1280, 8000])
            let targets = (0..<1280).map { _ in Int32(rng.nextUInt32() % 8000) }
            let lm = logits.matrix, gm = grad.matrix
            measure("softmaxCrossEntropy+grad [1280,8000]", logits.count,
                    kernel: { targets.withUnsafeBufferPointer {
                        _ = Kernels.softmaxCrossEntropy(logits: lm, targets: $0.baseAddress!, ignoreIndex: 0,
                                                        labelSmoothing: 0.1, gradient: gm, gradScale: 1.0 / 1280) } },
                    swift: { _ = plainCrossEntropy(lm, targets, gm, smoothing: 0.1, scale: 1.0 / 1280) })
        }

        // Optimizer over 4M parameters, and the gradient norm.
        do {
            let n = 4_000_000
            let p = random([n], 0.1), g = random([n], 0.01), st = AdamState(count: n)
            let pp = p.data, gp = g.data, mp = st.m.data, vp = st.v.data
            measure("adamUpdate [4M]", n,
                    kernel: { Kernels.adamUpdate(param: pp, grad: gp, m: mp, v: vp, count: n, lr: 1e-3, beta1: 0.9,
                                                 beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 10) },
                    swift: { plainAdam(pp, gp, mp, vp, n, step: 10) })
            measure("sumOfSquares [4M]", n,
                    kernel: { _ = Kernels.sumOfSquares(gp, count: n) },
                    swift: { var s = 0.0; for i in 0..<n { s += Double(gp[i]) * Double(gp[i]) }; blackHole(s) })
        }
        return results
    }

    // MARK: The plain Swift loops (what a direct port writes)

    static func plainSoftmax(_ m: Matrix, _ valid: [Int32]) {
        for r in 0..<m.rows {
            let row = m.row(r), n = Int(valid[r])
            var mx = -Float.infinity
            for j in 0..<n { mx = max(mx, row[j]) }
            var s: Float = 0
            for j in 0..<n { row[j] = expf(row[j] - mx); s += row[j] }
            for j in 0..<n { row[j] /= s }
            for j in n..<m.cols { row[j] = 0 }
        }
    }

    static func plainCrossEntropy(_ x: Matrix, _ targets: [Int32], _ g: Matrix, smoothing: Float, scale: Float) -> Double {
        var loss = 0.0
        let v = x.cols
        for r in 0..<x.rows {
            let row = x.row(r), grow = g.row(r), t = Int(targets[r])
            var mx = -Float.infinity
            for j in 0..<v { mx = max(mx, row[j]) }
            var s: Float = 0, sx: Float = 0
            for j in 0..<v { s += expf(row[j] - mx); sx += row[j] }
            let lse = mx + logf(s)
            loss += Double((1 - smoothing) * (lse - row[t]) + smoothing * (lse - sx / Float(v)))
            for j in 0..<v { grow[j] = (expf(row[j] - lse) - smoothing / Float(v)) * scale }
            grow[t] -= (1 - smoothing) * scale
        }
        return loss
    }

    static func plainAdam(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                          _ v: UnsafeMutablePointer<Float>, _ n: Int, step: Int) {
        let b1: Float = 0.9, b2: Float = 0.999, lr: Float = 1e-3, eps: Float = 1e-8
        let bc1 = 1 - powf(b1, Float(step)), bc2 = 1 - powf(b2, Float(step))
        for i in 0..<n {
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            p[i] -= lr / bc1 * m[i] / ((v[i] / bc2).squareRoot() + eps)
        }
    }

    @inline(never)
    static func blackHole(_ x: Double) { if x == -1 { print(x) } }
}
