import Testing
import S2SGradientCheck
import S2SLayers
import S2SNumerics

@Test func linearGradientsMatchFiniteDifferences() {
    var rng = PCG32(seed: 11)
    let params = ParameterSet()
    let layer = Linear(params, prefix: "lin", input: 5, output: 4, rng: &rng)
    let x = randomTensor([6, 5], &rng), w = randomTensor([6, 4], &rng)
    let y = Tensor(shape: [6, 4])
    func loss() -> Double { layer.forward(x.matrix, into: y.matrix); return project(y.matrix, w) }
    _ = loss()
    let dx = Tensor(shape: [6, 5])
    layer.backward(x: x.matrix, dy: w.matrix, dx: dx.matrix)
    let check = GradientCheck()
    for p in params.all { check.check(p, rng: &rng, loss: loss) }
    check.check("x", x: x.data, count: x.count, analytic: dx.array, rng: &rng, loss: loss)
    #expect(params.names == ["lin.weight", "lin.bias"] && params["lin.weight"]!.shape == [4, 5])
}

@Test func embeddingPaddingRowIsZeroAndLearnsNothing() {
    var rng = PCG32(seed: 12)
    let params = ParameterSet()
    let emb = Embedding(params, prefix: "src_emb", vocabulary: 7, dimension: 3, rng: &rng)
    #expect(emb.weight.value.array.prefix(3).allSatisfy { $0 == 0 })
    let ids: [Int32] = [3, 0, 3, 6, 0, 1]
    let out = Tensor(shape: [6, 3])
    let w = randomTensor([6, 3], &rng)
    func loss() -> Double {
        ids.withUnsafeBufferPointer { emb.forward(ids: $0.baseAddress!, count: 6, into: out.matrix) }
        return project(out.matrix, w)
    }
    _ = loss()
    #expect((3..<6).allSatisfy { out[$0] == 0 })   // row 1 of the output reads the padding row
    ids.withUnsafeBufferPointer { emb.backward(ids: $0.baseAddress!, count: 6, dy: w.matrix) }
    #expect(emb.weight.grad.array.prefix(3).allSatisfy { $0 == 0 })
    // Row 3 appears twice: its gradient is the sum of both.
    for j in 0..<3 { #expect(abs(emb.weight.grad[3 * 3 + j] - (w[j] + w[2 * 3 + j])) <= 1e-6) }
    var check = GradientCheck()
    check.samples = 21
    // Every row except the padding row (whose gradient is 0 by definition, not by derivative).
    let g = emb.weight.grad
    check.check("src_emb.weight[1...]", x: emb.weight.value.data + 3, count: 18, analytic: Array(g.array[3...]), rng: &rng, loss: loss)
}

/// One step of every cell (the decoder's cell): weights, input, h_{t−1} and, for the LSTM,
/// c_{t−1}, with gradient arriving on h_t both as dy and as dhRec (and on c_t for the LSTM).
/// `masked`: with a fixed recurrent dropout mask on h_{t−1} in the recurrent product, so h0
/// reaches the loss through the masked product and (gated cells) the unmasked carry.
@Test(arguments: RecurrentCellKind.allCases, [false, true])
func recurrentCellGradientsMatchFiniteDifferences(kind: RecurrentCellKind, masked: Bool) {
    var rng = PCG32(seed: 13)
    let params = ParameterSet()
    let cell = RecurrentCell(params, prefix: "cell", kind: kind, inputSize: 4, hiddenSize: 3, rng: &rng)
    randomize(params, &rng, scale: 0.8)
    let N = 5, G = kind.gateCount
    let x = randomTensor([N, 4], &rng), h0 = randomTensor([N, 3], &rng), c0 = randomTensor([N, 3], &rng)
    let w = randomTensor([N, 3], &rng), wRec = randomTensor([N, 3], &rng), wc = randomTensor([N, 3], &rng)
    let gi = Tensor(shape: [N, G * 3]), gh = Tensor(shape: [N, G * 3]), h = Tensor(shape: [N, 3]), c = Tensor(shape: [N, 3])
    let lstm = kind == .lstm
    // The step holds views: the tensors behind them live as long as this function.
    let mask = fixedRecurrentMask(rows: N, hidden: 3, p: 0.4), operand = Tensor(shape: [N, 3]), scratch = Tensor(shape: [N, 3])
    let step = masked ? RecurrentDropout.Step(mask: mask.matrix, operand: operand.matrix, scratch: scratch.matrix) : nil
    func loss(recurrent: RecurrentDropout.Step?) -> Double {
        cell.forward(x: x.matrix, hPrev: h0.matrix, cPrev: lstm ? c0.matrix : nil, h: h.matrix, c: lstm ? c.matrix : nil,
                     gi: gi.matrix, gh: gh.matrix, recurrent: recurrent)
        return project(h.matrix, w) + project(h.matrix, wRec) + (lstm ? project(c.matrix, wc) : 0)
    }
    func loss() -> Double { loss(recurrent: step) }
    if masked { #expect(loss(recurrent: nil) != loss(), "the mask changes nothing") }
    _ = loss()
    let dh0 = Tensor(shape: [N, 3]), dx = Tensor(shape: [N, 4])
    let dc = Tensor(shape: [N, 3])
    MatrixOps.copy(wc.matrix, to: dc.matrix)
    cell.backwardStep(gi: gi.matrix, gh: gh.matrix, hPrev: h0.matrix, cPrev: lstm ? c0.matrix : nil, c: lstm ? c.matrix : nil,
                      dy: w.matrix, dhRec: wRec.matrix, dc: lstm ? dc.matrix : nil, dhPrev: dh0.matrix, recurrent: step)
    cell.inputGradient(dgi: gi.matrix, into: dx.matrix)
    cell.accumulateWeightGradients(dgi: gi.matrix, dgh: gh.matrix, x: x.matrix, hPrev: step?.operand ?? h0.matrix)
    let check = GradientCheck()
    for p in params.all { check.check(p, rng: &rng, loss: loss) }
    check.check("x", x: x.data, count: x.count, analytic: dx.array, rng: &rng, loss: loss)
    check.check("h0", x: h0.data, count: h0.count, analytic: dh0.array, rng: &rng, loss: loss)
    if lstm { check.check("c0", x: c0.data, count: c0.count, analytic: dc.array, rng: &rng, loss: loss) }
    withExtendedLifetime((mask, operand, scratch)) {}
}

/// Attention over N = 3 sentences of lengths 4, 1, 2 (S = 4), two query steps, so the key and
/// encoder gradients accumulate across steps.
@Test(arguments: [AttentionKind.additive, .bilinear])
func attentionGradientsMatchFiniteDifferences(kind: AttentionKind) {
    var rng = PCG32(seed: kind == .additive ? 14 : 15)
    let N = 3, S = 4, D = 4, Hd = 3
    let lengths: [Int32] = [4, 1, 2]
    let params = ParameterSet()
    let att: any Attention = kind == .additive
        ? AdditiveAttention(params, encoderSize: D, querySize: Hd, attentionSize: 5, rng: &rng)
        : BilinearAttention(params, encoderSize: D, querySize: Hd, rng: &rng)
    randomize(params, &rng, scale: 0.7)
    let enc = randomTensor([N * S, D], &rng)
    for s in 0..<N { for j in Int(lengths[s])..<S { for d in 0..<D { enc.matrix[s * S + j, d] = 0 } } }
    let q = [randomTensor([N, Hd], &rng), randomTensor([N, Hd], &rng)]
    let w = [randomTensor([N, D], &rng), randomTensor([N, D], &rng)]
    let alpha = [Tensor(shape: [N, S]), Tensor(shape: [N, S])]
    let ctx = [Tensor(shape: [N, D]), Tensor(shape: [N, D])]
    func loss() -> Double {
        lengths.withUnsafeBufferPointer { lens in
            att.beginTraining(encoder: enc.matrix, sourceLength: S, lengths: lens.baseAddress!, steps: 2, precision: .fp32)
            for t in 0..<2 { att.forward(step: t, query: q[t].matrix, alpha: alpha[t].matrix, context: ctx[t].matrix, precision: .fp32) }
        }
        return project(ctx[0].matrix, w[0]) + project(ctx[1].matrix, w[1])
    }
    _ = loss()
    // Masking: weights beyond each length are exactly 0 and the rest sum to 1.
    for t in 0..<2 {
        for s in 0..<N {
            let row = (0..<S).map { alpha[t].matrix[s, $0] }
            #expect(row[Int(lengths[s])...].allSatisfy { $0 == 0 })
            #expect(abs(row.reduce(0, +) - 1) <= 1e-6)
        }
    }
    let dq = [Tensor(shape: [N, Hd]), Tensor(shape: [N, Hd])]
    let dEnc = Tensor(shape: [N * S, D])
    for t in [1, 0] {
        att.backward(step: t, query: q[t].matrix, alpha: alpha[t].matrix, dContext: w[t].matrix, dQuery: dq[t].matrix, precision: .fp32)
    }
    att.endBackward(dEncoder: dEnc.matrix, precision: .fp32)
    let check = GradientCheck()
    for p in params.all { check.check(p, rng: &rng, loss: loss) }
    for t in 0..<2 { check.check("q\(t)", x: q[t].data, count: q[t].count, analytic: dq[t].array, rng: &rng, loss: loss) }
    var all = check
    all.samples = N * S * D
    all.check("enc", x: enc.data, count: enc.count, analytic: dEnc.array, rng: &rng, loss: loss)

    // Inference shares the math, and `sourceRows` lets several rows attend one sentence.
    let keys = Tensor(shape: [N * S, att.keySize])
    att.computeKeys(encoder: enc.matrix, into: keys.matrix, precision: .fp32)
    lengths.withUnsafeBufferPointer { lens in
        let memory = AttentionMemory(encoder: enc.matrix, keys: keys.matrix, sourceLength: S, lengths: lens.baseAddress!)
        let rows: [Int32] = [2, 0, 2, 1]
        let queries = Tensor(shape: [4, Hd])
        for (r, s) in rows.enumerated() { queries.matrix.row(r).update(from: q[1].matrix.row(Int(s)), count: Hd) }
        let a = Tensor(shape: [4, S]), c = Tensor(shape: [4, D])
        rows.withUnsafeBufferPointer {
            att.attend(query: queries.matrix, memory: memory, sourceRows: $0.baseAddress, alpha: a.matrix, context: c.matrix, precision: .fp32)
        }
        for (r, s) in rows.enumerated() {
            for j in 0..<S { #expect(abs(a.matrix[r, j] - alpha[1].matrix[Int(s), j]) <= 1e-6) }
            for d in 0..<D { #expect(abs(c.matrix[r, d] - ctx[1].matrix[Int(s), d]) <= 1e-6) }
        }
    }
}

@Test func crossEntropyWithSmoothingAndIgnoreMatchesFiniteDifferences() {
    var rng = PCG32(seed: 16)
    let N = 5, V = 6
    let targets: [Int32] = [3, 0, 5, 1, 0]
    let logits = randomTensor([N, V], &rng, scale: 2)
    let ce = SoftmaxCrossEntropy(ignoreIndex: 0, labelSmoothing: 0.1)
    func loss() -> Double {
        let copy = logits.clone()
        let r = targets.withUnsafeBufferPointer { ce.evaluate(logits: copy.matrix, targets: $0.baseAddress!, computeGradient: false) }
        return r.lossSum / Double(r.count)
    }
    let grad = logits.clone()
    let r = targets.withUnsafeBufferPointer { ce.evaluate(logits: grad.matrix, targets: $0.baseAddress!, computeGradient: true) }
    #expect(r.count == 3)
    // Ignored rows have no gradient.
    #expect((V..<2 * V).allSatisfy { grad[$0] == 0 } && (4 * V..<5 * V).allSatisfy { grad[$0] == 0 })
    var check = GradientCheck()
    check.step = 1e-3
    check.samples = N * V
    check.check("logits", x: logits.data, count: logits.count, analytic: grad.array, rng: &rng, loss: loss)
}

@Test func dropoutMaskIsSeededScaledAndReused() {
    let d = Dropout(0.25)
    var rng = PCG32(seed: 3)
    let random = SentenceRandom(count: 4, drawingFrom: &rng)   // 100 rows = 25 steps × 4 sentences
    let x = Tensor(shape: [100, 40], repeating: 1)
    let m1 = Tensor(shape: [100, 40]), m2 = Tensor(shape: [100, 40])
    d.forward(x.matrix, mask: m1.matrix, random: random, purpose: 7, batch: 4)
    d.drawMask(m2.matrix, random: random, purpose: 7, batch: 4)
    #expect(m1.array == m2.array)
    let kept = m1.array.filter { $0 != 0 }
    #expect(kept.allSatisfy { abs($0 - 1 / 0.75) <= 1e-6 })
    let dropped = Double(4000 - kept.count) / 4000
    #expect(abs(dropped - 0.25) < 0.03)
    #expect(x.array == m1.array)   // x was all ones
    let g = Tensor(shape: [100, 40], repeating: 2)
    d.backward(g.matrix, mask: m1.matrix)
    #expect(g.array == m1.array.map { 2 * $0 })
}
