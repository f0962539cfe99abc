import Testing
import S2SGradientCheck
import S2SLayers
import S2SNumerics

/// A small recurrent problem: B = 4 sentences of lengths 5, 1, 3, 4 padded to S = 5.
struct StackProblem {
    let S = 5, B = 4, input = 3, hidden = 3
    let lengths: [Int32] = [5, 1, 3, 4]
    let params = ParameterSet()
    let lstm: RecurrentStack
    let x: Tensor
    let wY: Tensor
    let wF: Tensor

    init(cell: RecurrentCellKind = .lstm, layers: Int, bidirectional: Bool, residual: Bool = false, dropout: Float = 0,
         recurrentDropout: Float = 0, seed: UInt64) {
        var rng = PCG32(seed: seed)
        lstm = RecurrentStack(params, prefix: "enc", cell: cell, inputSize: input, hiddenSize: hidden, layers: layers,
                              bidirectional: bidirectional, residual: residual, dropout: dropout,
                              recurrentDropout: recurrentDropout, rng: &rng)
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

    /// One backward after a forward, then the parameters `checked` and the input against central
    /// differences of `loss(training:)`. Returns the input gradient.
    @discardableResult
    func checkGradients(training: Bool, seed: UInt64, checked: (Parameter) -> Bool = { _ in true },
                        sourceLocation: SourceLocation = #_sourceLocation) -> Tensor {
        _ = loss(training: training)
        params.zeroGrad()
        let dx = Tensor(shape: [S * B, input])
        lstm.backward(dOutput: wY.matrix, dFinal: wF.matrix, dInput: dx.matrix)
        var rng = PCG32(seed: seed)
        let check = GradientCheck()
        for param in params.all where checked(param) {
            check.check(param, rng: &rng, loss: { loss(training: training) }, sourceLocation: sourceLocation)
        }
        check.check("x", x: x.data, count: x.count, analytic: dx.array, rng: &rng, loss: { loss(training: training) },
                    sourceLocation: sourceLocation)
        return dx
    }
}

/// Every cell, one and two layers, one and two directions, with and without residuals.
private let stackShapes: [(RecurrentCellKind, Int, Bool, Bool)] = RecurrentCellKind.allCases.flatMap { cell in
    [(cell, 1, true, false), (cell, 2, true, false), (cell, 1, false, false), (cell, 2, false, false), (cell, 3, true, true)]
}

@Test(arguments: stackShapes)
func stackGradientsMatchFiniteDifferences(cell: RecurrentCellKind, layers: Int, bidirectional: Bool, residual: Bool) {
    let p = StackProblem(cell: cell, layers: layers, bidirectional: bidirectional, residual: residual,
                         seed: UInt64(10 * layers + (bidirectional ? 1 : 0)))
    let dx = p.checkGradients(training: false, seed: 5)
    // Padded positions are neither read: their input gradient is exactly 0.
    for t in 0..<p.S {
        for b in 0..<p.B where t >= Int(p.lengths[b]) {
            for j in 0..<p.input { #expect(dx[(t * p.B + b) * p.input + j] == 0) }
        }
    }
}

@Test(arguments: RecurrentCellKind.allCases, [false, true])
func dropoutBetweenLayersHasConsistentGradients(cell: RecurrentCellKind, residual: Bool) {
    let p = StackProblem(cell: cell, layers: 2, bidirectional: true, residual: residual, dropout: 0.3, seed: 77)
    p.checkGradients(training: true, seed: 6, checked: { $0.name.contains("l1") })
    // Dropout changes the result in training and not in evaluation.
    #expect(p.loss(training: true) != p.loss(training: false))
}

/// Packed-sequence semantics: each sentence of a padded batch gets exactly the outputs and final
/// states it gets alone; padded outputs are 0 (the reverse direction starts at its own last token).
/// In training with dropout too (between layers, recurrent): a sentence keeps its seed, so it
/// drops the same units alone.
@Test(arguments: RecurrentCellKind.allCases, [(1, Float(0), Float(0), false), (2, 0, 0, false), (2, 0.3, 0, true), (3, 0.5, 0, false),
                                              (1, 0, 0.4, false), (2, 0.2, 0.5, true)])
func paddedBatchEqualsSentencesAlone(cell: RecurrentCellKind, shape: (layers: Int, dropout: Float, recurrent: Float, residual: Bool)) {
    let (layers, dropout) = (shape.layers, shape.dropout)
    let p = StackProblem(cell: cell, layers: layers, bidirectional: true, residual: shape.residual, dropout: dropout,
                         recurrentDropout: shape.recurrent, seed: 3)
    let training = dropout > 0 || shape.recurrent > 0
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
    _ = RecurrentStack(params, prefix: "enc", inputSize: 4, hiddenSize: 5, layers: 2, bidirectional: true, rng: &rng)
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

/// Gate blocks per cell: G·H rows in every weight, as nn.RNN (1), nn.GRU (3) and nn.LSTM (4).
@Test(arguments: RecurrentCellKind.allCases)
func cellsHaveTheirGateBlocks(cell: RecurrentCellKind) {
    var rng = PCG32(seed: 1)
    let params = ParameterSet()
    _ = RecurrentStack(params, prefix: "enc", cell: cell, inputSize: 4, hiddenSize: 5, layers: 1, bidirectional: false, rng: &rng)
    let G = ["rnn": 1, "gated": 2, "lstm": 4, "gru": 3][cell.rawValue]!
    #expect(params["enc.weight_ih_l0"]!.shape == [G * 5, 4])
    #expect(params["enc.weight_hh_l0"]!.shape == [G * 5, 5])
    #expect(params["enc.bias_hh_l0"]!.shape == [G * 5])
}

/// A residual layer hands up its cell states plus its input: the same weights with and without
/// residuals differ by exactly the second layer's input, the first layer's output.
@Test(arguments: RecurrentCellKind.allCases)
func residualLayerAddsItsInput(cell: RecurrentCellKind) {
    let plain = StackProblem(cell: cell, layers: 2, bidirectional: true, residual: false, seed: 4)
    let res = StackProblem(cell: cell, layers: 2, bidirectional: true, residual: true, seed: 4)
    let D = plain.lstm.outputSize
    let lens = plain.lengths
    let y0 = Tensor(shape: [plain.S * plain.B, D]), y1 = Tensor(shape: [plain.S * plain.B, D])
    let below = Tensor(shape: [plain.S * plain.B, D])
    lens.withUnsafeBufferPointer {
        // The first layer alone, with the same weights, gives the second layer's input.
        var rng = PCG32(seed: 1)
        let params = ParameterSet()
        let one = RecurrentStack(params, prefix: "enc", cell: cell, inputSize: plain.input, hiddenSize: plain.hidden, layers: 1,
                                 bidirectional: true, rng: &rng)
        for q in params.all { q.value.data.update(from: plain.params[q.name]!.value.data, count: q.count); q.value.bumpVersion() }
        MatrixOps.copy(one.forward(plain.x.matrix, steps: plain.S, batch: plain.B, lengths: $0.baseAddress!, training: false),
                       to: below.matrix)
        MatrixOps.copy(plain.lstm.forward(plain.x.matrix, steps: plain.S, batch: plain.B, lengths: $0.baseAddress!, training: false),
                       to: y0.matrix)
        MatrixOps.copy(res.lstm.forward(plain.x.matrix, steps: plain.S, batch: plain.B, lengths: $0.baseAddress!, training: false),
                       to: y1.matrix)
    }
    for i in 0..<y0.count { #expect(abs(y1[i] - y0[i] - below[i]) <= 1e-5, "element \(i)") }
}
