import Foundation
import Testing
import S2SGradientCheck
import S2SLayers
import S2SNumerics

/// A recurrent dropout mask [N, H] at rate p from fixed sentence seeds, with both dropped and
/// kept units (else a check that uses it could not tell a masked product from a plain one).
func fixedRecurrentMask(rows N: Int, hidden H: Int, p: Float, purpose: UInt64 = 9) -> Tensor {
    let mask = Tensor(shape: [N, H])
    RecurrentDropout(p).drawMask(mask.matrix, random: SentenceRandom(seeds: (0..<N).map { UInt64(40 + $0) }), purpose: purpose)
    let values = Set(mask.array)
    #expect(values == [0, 1 / (1 - p)], "mask values \(values)")
    return mask
}

/// Whole stacks in training with recurrent dropout (and dropout between layers): every weight
/// and the input gradient match central differences; the masks are fixed by the sentence seeds.
@Test(arguments: RecurrentCellKind.allCases, [(1, false, Float(0)), (2, true, 0.2)])
func stackGradientsWithRecurrentDropoutMatchFiniteDifferences(cell: RecurrentCellKind, shape: (layers: Int, bidirectional: Bool, dropout: Float)) {
    let p = StackProblem(cell: cell, layers: shape.layers, bidirectional: shape.bidirectional, dropout: shape.dropout,
                         recurrentDropout: 0.4, seed: 23)
    #expect(p.loss(training: true) != p.loss(training: false), "recurrent dropout changes nothing")
    p.checkGradients(training: true, seed: 8)
}

/// The vanilla RNN recomputed by hand from its weights, h_t = tanh(W_ih x_t + b_ih + b_hh +
/// W_hh (h_{t−1} ⊙ m_d)) with m_d the sentence's mask of direction d drawn once at purpose
/// `encoderRecurrentDropout(layer: 0, direction: d)`: the stack uses that one mask at every step
/// of every sentence, a different one per sentence and per direction.
@Test func oneMaskPerSentenceAndDirectionServesEveryStep() {
    let S = 6, B = 3, I = 2, H = 8, p: Float = 0.5
    let lengths: [Int32] = [6, 2, 4]
    var rng = PCG32(seed: 12)
    let params = ParameterSet()
    let stack = RecurrentStack(params, prefix: "enc", cell: .rnn, inputSize: I, hiddenSize: H, layers: 1, bidirectional: true,
                               recurrentDropout: p, rng: &rng)
    randomize(params, &rng, scale: 0.7)
    let x = randomTensor([S * B, I], &rng)
    let random = SentenceRandom(seeds: [101, 202, 303])
    let y = lengths.withUnsafeBufferPointer {
        stack.forward(x.matrix, steps: S, batch: B, lengths: $0.baseAddress!, training: true, random: random)
    }
    var masks: [Tensor] = []
    for d in 0..<2 {
        let m = Tensor(shape: [B, H])
        RecurrentDropout(p).drawMask(m.matrix, random: random, purpose: SentenceRandom.Purpose.encoderRecurrentDropout(layer: 0, direction: d))
        masks.append(m)
        let w = stack.weights[0][d]
        for b in 0..<B {
            let n = Int(lengths[b])
            var hPrev = [Float](repeating: 0, count: H)
            for t in d == 0 ? Array(0..<n) : Array((0..<n).reversed()) {
                var h = [Float](repeating: 0, count: H)
                for j in 0..<H {
                    var a = Double(w.biasIH.value[j] + w.biasHH.value[j])
                    for i in 0..<I { a += Double(w.weightIH.value[j * I + i] * x.matrix[t * B + b, i]) }
                    for k in 0..<H { a += Double(w.weightHH.value[j * H + k] * hPrev[k] * m.matrix[b, k]) }
                    h[j] = Float(Foundation.tanh(a))
                    #expect(abs(y[t * B + b, d * H + j] - h[j]) <= 1e-5, "direction \(d) sentence \(b) step \(t) unit \(j)")
                }
                hPrev = h
            }
        }
    }
    // Distinct per sentence and per direction; a sentence's mask is its own wherever it sits.
    let rows = (0..<2).flatMap { d in (0..<B).map { Array(UnsafeBufferPointer(start: masks[d].matrix.row($0), count: H)) } }
    #expect(Set(rows).count == rows.count, "two masks coincide: \(rows)")
    let moved = Tensor(shape: [2, H])
    RecurrentDropout(p).drawMask(moved.matrix, random: random.rows([2, 0]), purpose: SentenceRandom.Purpose.encoderRecurrentDropout(layer: 0, direction: 0))
    #expect(Array(UnsafeBufferPointer(start: moved.matrix.row(0), count: H)) == rows[2])
    #expect(Array(UnsafeBufferPointer(start: moved.matrix.row(1), count: H)) == rows[0])
}

/// Off is exactly today's stack: a stack with recurrent dropout at inference (training false),
/// and one with rate 0 in training, give the same outputs and gradients bit for bit as the
/// plain stack; in training the rate changes both.
@Test(arguments: RecurrentCellKind.allCases)
func recurrentDropoutOffAndAtInferenceIsThePlainStack(cell: RecurrentCellKind) {
    func run(recurrent: Float, training: Bool) -> [[Float]] {
        let p = StackProblem(cell: cell, layers: 2, bidirectional: true, recurrentDropout: recurrent, seed: 44)
        var rng = PCG32(seed: 99)
        let random = SentenceRandom(count: p.B, drawingFrom: &rng)
        let y = p.lengths.withUnsafeBufferPointer {
            p.lstm.forward(p.x.matrix, steps: p.S, batch: p.B, lengths: $0.baseAddress!, training: training, random: training ? random : nil)
        }
        let out = (0..<y.rows).flatMap { Array(UnsafeBufferPointer(start: y.row($0), count: y.cols)) }
        p.params.zeroGrad()
        let dx = Tensor(shape: [p.S * p.B, p.input])
        p.lstm.backward(dOutput: p.wY.matrix, dFinal: p.wF.matrix, dInput: dx.matrix)
        return [out, dx.array] + p.params.all.map(\.grad.array)
    }
    let plain = run(recurrent: 0, training: false)
    #expect(run(recurrent: 0.4, training: false) == plain)
    #expect(run(recurrent: 0, training: true) == plain)
    let dropped = run(recurrent: 0.4, training: true)
    #expect(dropped[0] != plain[0] && dropped.last != plain.last)
}
