import S2SNumerics
/// Throughput of the fused LSTM and GRU gate kernels (`RNNCellKernels`), in gate elements per
/// second: the elementwise work of one recurrent time step, the part that runs between the
/// per-step recurrent GEMMs. Used by `s2s bench gemm`; never by tests.
package enum GateKernelBenchmark {
    package struct Result: Sendable {
        package let name: String
        /// Gate elements processed per call (rows × gate width).
        package let elements: Int
        /// Median seconds per call.
        package let seconds: Double
        package var elementsPerSecond: Double { Double(elements) / seconds }
    }

    /// Runs the four kernels at `rows` × `hidden` (e.g. a batch of 64 at the medium size, 512)
    /// and returns the median of `runs` timed batches of calls each.
    package static func run(rows: Int, hidden: Int, runs: Int) -> [Result] {
        var rng = PCG32(seed: 3)
        func filled(_ r: Int, _ c: Int) -> Tensor {
            let t = Tensor(shape: [r, c])
            for i in 0..<t.count { t[i] = rng.uniform(-2, 2) }
            return t
        }
        let gates = filled(rows, 4 * hidden), gatesWork = Tensor(shape: [rows, 4 * hidden])
        let bias = filled(1, 4 * hidden), cPrev = filled(rows, hidden)
        let c = Tensor(shape: [rows, hidden]), h = Tensor(shape: [rows, hidden])
        let dy = filled(rows, hidden), dhRec = filled(rows, hidden), dc = filled(rows, hidden)
        let gi = filled(rows, 3 * hidden), gh = filled(rows, 3 * hidden)
        let giWork = Tensor(shape: [rows, 3 * hidden]), ghWork = Tensor(shape: [rows, 3 * hidden])
        let bih = filled(1, 3 * hidden), bhh = filled(1, 3 * hidden), hPrev = filled(rows, hidden)
        let dhPrev = Tensor(shape: [rows, hidden])

        func resetLSTM() { gatesWork.copy(from: gates) }
        func resetGRU() { giWork.copy(from: gi); ghWork.copy(from: gh) }
        let lstmElements = rows * 4 * hidden, gruElements = rows * 3 * hidden
        let results: [Result] = withExtendedLifetime([gates, gatesWork, bias, cPrev, c, h, dy, dhRec, dc, gi, gh, giWork, ghWork, bih, bhh, hPrev, dhPrev]) {
            let lstmFwd = time(runs: runs, prepare: resetLSTM) {
                RNNCellKernels.lstmForward(gates: gatesWork.matrix, bias: bias.data, cPrev: cPrev.matrix, c: c.matrix,
                                           h: h.matrix, lengths: nil, t: 0)
            }
            // The backward pass reads activations: run the forward once, then time from copies.
            resetLSTM()
            RNNCellKernels.lstmForward(gates: gatesWork.matrix, bias: bias.data, cPrev: cPrev.matrix, c: c.matrix,
                                       h: h.matrix, lengths: nil, t: 0)
            let activated = gatesWork.clone()
            let lstmBwd = time(runs: runs, prepare: { gatesWork.copy(from: activated); dc.copy(from: dy) }) {
                RNNCellKernels.lstmBackward(gates: gatesWork.matrix, c: c.matrix, cPrev: cPrev.matrix, dy: dy.matrix,
                                            dhRec: dhRec.matrix, dc: dc.matrix, lengths: nil, t: 0)
            }
            let gruFwd = time(runs: runs, prepare: resetGRU) {
                RNNCellKernels.gruForward(gi: giWork.matrix, gh: ghWork.matrix, bih: bih.data, bhh: bhh.data,
                                          hPrev: hPrev.matrix, h: h.matrix)
            }
            resetGRU()
            RNNCellKernels.gruForward(gi: giWork.matrix, gh: ghWork.matrix, bih: bih.data, bhh: bhh.data,
                                      hPrev: hPrev.matrix, h: h.matrix)
            let savedGi = giWork.clone(), savedGh = ghWork.clone()
            let gruBwd = time(runs: runs, prepare: { giWork.copy(from: savedGi); ghWork.copy(from: savedGh) }) {
                RNNCellKernels.gruBackward(gi: giWork.matrix, gh: ghWork.matrix, hPrev: hPrev.matrix, dh: dy.matrix,
                                           dhPrev: dhPrev.matrix)
            }
            return [
                Result(name: "LSTM step forward  [\(rows), 4·\(hidden)]", elements: lstmElements, seconds: lstmFwd),
                Result(name: "LSTM step backward [\(rows), 4·\(hidden)]", elements: lstmElements, seconds: lstmBwd),
                Result(name: "GRU step forward   [\(rows), 3·\(hidden)]", elements: gruElements, seconds: gruFwd),
                Result(name: "GRU step backward  [\(rows), 3·\(hidden)]", elements: gruElements, seconds: gruBwd),
            ]
        }
        return results
    }

    /// Median seconds per call over `runs` rounds of 50 calls, each call after `prepare` (untimed
    /// inputs reset, so every call sees the same data).
    private static func time(runs: Int, prepare: () -> Void, _ body: () -> Void) -> Double {
        var samples: [Double] = []
        for _ in 0..<max(1, runs) {
            var total = 0.0
            for _ in 0..<50 {
                prepare()
                let start = Stopwatch.now()
                body()
                total += Stopwatch.now() - start
            }
            samples.append(total / 50)
        }
        return Stopwatch.median(samples)
    }
}
