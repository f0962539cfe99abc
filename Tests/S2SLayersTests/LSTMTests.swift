import Testing
import S2SGradientCheck
import S2SLayers
import S2SNumerics

/// A small LSTM problem: B = 4 sentences of lengths 5, 1, 3, 4 padded to S = 5.
private struct LSTMProblem {
    let S = 5, B = 4, input = 3, hidden = 3
    let lengths: [Int32] = [5, 1, 3, 4]
    let params = ParameterSet()
    let lstm: LSTM
    let x: Tensor
    let wY: Tensor
    let wF: Tensor

    init(layers: Int, bidirectional: Bool, dropout: Float = 0, seed: UInt64) {
        var rng = PCG32(seed: seed)
        lstm = LSTM(params, prefix: "enc", inputSize: input, hiddenSize: hidden, layers: layers,
                    bidirectional: bidirectional, dropout: dropout, rng: &rng)
        randomize(params, &rng, scale: 0.6)
        x = randomTensor([S * B, input], &rng)
        let out = lstm.outputSize
        wY = randomTensor([S * B, out], &rng)
        wF = randomTensor([B, out], &rng)
    }

    /// Forward with fixed dropout seeds; the objective sees outputs and final states.
    func loss(training: Bool = false) -> Double {
        var rng = PCG32(seed: 99)
        let random = SentenceRandom(count: B, drawingFrom: &rng)
        let y = lengths.withUnsafeBufferPointer {
            lstm.forward(x.matrix, steps: S, batch: B, lengths: $0.baseAddress!, training: training, random: random)
        }
        let finals = Tensor(shape: [B, lstm.outputSize])
        lstm.finalStates(into: finals.matrix)
        return project(y, wY) + project(finals.matrix, wF)
    }
}

@Test(arguments: [(1, true), (2, true), (1, false), (2, false)])
func lstmGradientsMatchFiniteDifferences(layers: Int, bidirectional: Bool) {
    let p = LSTMProblem(layers: layers, bidirectional: bidirectional, seed: UInt64(10 * layers + (bidirectional ? 1 : 0)))
    _ = p.loss()
    p.params.zeroGrad()
    let dx = Tensor(shape: [p.S * p.B, p.input])
    p.lstm.backward(dOutput: p.wY.matrix, dFinal: p.wF.matrix, dInput: dx.matrix)
    var rng = PCG32(seed: 5)
    let check = GradientCheck()
    for param in p.params.all { check.check(param, rng: &rng) { p.loss() } }
    check.check("x", x: p.x.data, count: p.x.count, analytic: dx.array, rng: &rng) { p.loss() }
    // Padded positions are neither read: their input gradient is exactly 0.
    for t in 0..<p.S {
        for b in 0..<p.B where t >= Int(p.lengths[b]) {
            for j in 0..<p.input { #expect(dx[(t * p.B + b) * p.input + j] == 0) }
        }
    }
}

@Test func lstmDropoutBetweenLayersHasConsistentGradients() {
    let p = LSTMProblem(layers: 2, bidirectional: true, dropout: 0.3, seed: 77)
    _ = p.loss(training: true)
    p.params.zeroGrad()
    let dx = Tensor(shape: [p.S * p.B, p.input])
    p.lstm.backward(dOutput: p.wY.matrix, dFinal: p.wF.matrix, dInput: dx.matrix)
    var rng = PCG32(seed: 6)
    let check = GradientCheck()
    for param in p.params.all where param.name.contains("l1") { check.check(param, rng: &rng) { p.loss(training: true) } }
    check.check("x", x: p.x.data, count: p.x.count, analytic: dx.array, rng: &rng) { p.loss(training: true) }
    // Dropout changes the result in training and not in evaluation.
    #expect(p.loss(training: true) != p.loss(training: false))
}

/// Packed-sequence semantics: each sentence of a padded batch gets exactly the outputs and final
/// states it gets alone; padded outputs are 0 (the reverse direction starts at its own last token).
/// In training with dropout too: a sentence keeps its seed, so it drops the same units alone.
@Test(arguments: [(1, Float(0)), (2, 0), (2, 0.3), (3, 0.5)])
func lstmPaddedBatchEqualsSentencesAlone(layers: Int, dropout: Float) {
    let p = LSTMProblem(layers: layers, bidirectional: true, dropout: dropout, seed: 3)
    let training = dropout > 0
    let random = SentenceRandom(seeds: [11, 12, 13, 14])
    let D = p.lstm.outputSize
    let batched = Tensor(shape: [p.S * p.B, D])
    let finals = Tensor(shape: [p.B, D])
    p.lengths.withUnsafeBufferPointer {
        MatrixOps.copy(p.lstm.forward(p.x.matrix, steps: p.S, batch: p.B, lengths: $0.baseAddress!, training: training,
                                      random: random), to: batched.matrix)
    }
    p.lstm.finalStates(into: finals.matrix)
    for b in 0..<p.B {
        let n = Int(p.lengths[b])
        let xs = Tensor(shape: [n, p.input])
        for t in 0..<n { xs.matrix.row(t).update(from: p.x.matrix.row(t * p.B + b), count: p.input) }
        let len: [Int32] = [Int32(n)]
        let alone = len.withUnsafeBufferPointer {
            p.lstm.forward(xs.matrix, steps: n, batch: 1, lengths: $0.baseAddress!, training: training, random: random.rows([b]))
        }
        let f = Tensor(shape: [1, D])
        p.lstm.finalStates(into: f.matrix)
        for t in 0..<p.S {
            for j in 0..<D {
                let v = batched.matrix[t * p.B + b, j]
                if t < n {
                    #expect(abs(v - alone[t, j]) <= 1e-6, "sentence \(b) step \(t) unit \(j)")
                } else {
                    #expect(v == 0, "padded output of sentence \(b) at step \(t) is \(v)")
                }
            }
        }
        for j in 0..<D { #expect(abs(finals.matrix[b, j] - f[j]) <= 1e-6) }
    }
}

@Test func lstmRegistersPyTorchNamesAndShapes() {
    var rng = PCG32(seed: 1)
    let params = ParameterSet()
    _ = LSTM(params, prefix: "enc", inputSize: 4, hiddenSize: 5, layers: 2, bidirectional: true, rng: &rng)
    #expect(params.names == [
        "enc.weight_ih_l0", "enc.weight_hh_l0", "enc.bias_ih_l0", "enc.bias_hh_l0",
        "enc.weight_ih_l0_reverse", "enc.weight_hh_l0_reverse", "enc.bias_ih_l0_reverse", "enc.bias_hh_l0_reverse",
        "enc.weight_ih_l1", "enc.weight_hh_l1", "enc.bias_ih_l1", "enc.bias_hh_l1",
        "enc.weight_ih_l1_reverse", "enc.weight_hh_l1_reverse", "enc.bias_ih_l1_reverse", "enc.bias_hh_l1_reverse",
    ])
    #expect(params["enc.weight_ih_l1"]!.shape == [20, 10])
    #expect(params["enc.weight_hh_l0_reverse"]!.shape == [20, 5])
    #expect(params.scalarCount == 2 * (20 * 4 + 20 * 5 + 40) + 2 * (20 * 10 + 20 * 5 + 40))
    // Default init is U(±1/√H).
    let bound = 1 / Float(5).squareRoot()
    #expect(params.all.allSatisfy { p in p.value.array.allSatisfy { abs($0) <= bound } })
}
