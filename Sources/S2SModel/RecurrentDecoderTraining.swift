import S2SLayers
import S2SNumerics

/// The decoder over a whole training batch: every step forward, keeping what backward needs,
/// then every step backward (BPTT). Time-major throughout: row t·B + b is step t of sentence b.
///
/// Buffers (workspace keys), for T steps, B sentences, Ld layers, G gate blocks:
///   X [T·B, E (+2H)]   first layer's input [e ; ctx_{t−1}]      F [T·B, Hd+2H+E] output features
///   H{l} [(T+1)·B, Hd] states h^l_0 … h^l_T (h^l_0 = h0)        C{l} the same for LSTM memories
///   GI{l}, GH{l} [T·B, G·Hd] saved gates (GH: GRU only)         XL{l} [T·B, Hd] input of layer l ≥ 1
///   O{l} [T·B, Hd] output of a residual layer                    alpha [T·B, S]
extension RecurrentDecoder {
    /// Options of the forward pass that concern the decoder.
    struct Feed {
        /// Scheduled sampling: the probability of feeding the gold token (1 = teacher forcing).
        var goldProbability: Float
        var choice: FeedChoice
    }

    /// Forward over T steps from `h0` [B, Hd], attending `memory` (already begun with the
    /// attention). `fed` must hold the gold inputs [T·B] time-major; scheduled sampling replaces
    /// some. Returns F [T·B, Hd+2H+E] (after dropout), α [T·B, S] and the count of own
    /// predictions fed.
    func forward(steps T: Int, batch B: Int, sourceLength S: Int, h0: Matrix, training: Bool, feed: Feed,
                 random: SentenceRandom, precision: Precision) -> (features: Matrix, alpha: Matrix, ownFed: Int) {
        steps = T
        batch = B
        sourceLength = S
        self.training = training
        let drop = training && dropout.isActive, G = cells[0].gateCount
        let X = ws.matrix("X", rows: T * B, cols: E + (inputFeeding ? D : 0))
        let F = ws.matrix("F", rows: T * B, cols: featureSize)
        let alpha = ws.matrix("alpha", rows: T * B, cols: S)
        let xe = X.columns(0, E)
        embedding.forward(ids: fed.pointer, count: T * B, into: xe)
        if drop {
            dropout.forward(xe, mask: ws.matrix("xeMask", rows: T * B, cols: E), random: random,
                            purpose: SentenceRandom.Purpose.targetEmbeddingDropout, batch: B)
            dropout.drawMask(ws.matrix("fMask", rows: T * B, cols: featureSize), random: random,
                             purpose: SentenceRandom.Purpose.outputFeaturesDropout, batch: B)
        }
        for l in 0..<layers {
            MatrixOps.copy(h0, to: states(l).rows(0, B))
            if cells[l].hasMemory { MatrixOps.copy(h0, to: memories(l).rows(0, B)) }
            if l > 0 && drop {
                dropout.drawMask(ws.matrix("XLmask\(l)", rows: T * B, cols: Hd), random: random,
                                 purpose: SentenceRandom.Purpose.decoderLayerDropout(layer: l), batch: B)
            }
        }
        // The embedding part of the first layer's input product, all steps at once; rows fed
        // their own prediction are recomputed when it is known.
        Matmul.gemm(xe, cells[0].weightIH.value.matrix.columns(0, E), transB: true, into: gates(0), precision: precision)
        let wIc = inputFeeding ? contextWeight() : nil
        if inputFeeding { MatrixOps.zero(X.columns(E, D).rows(0, B)) }
        var ownFed = 0
        for t in 0..<T {
            let r0 = t * B
            var below = Matrix(X.base, rows: 0, cols: 0)
            for l in 0..<layers {
                let gi = gates(l).rows(r0, B)
                var input = X.rows(r0, B)
                if l == 0 {
                    if let wIc, t > 0 { Matmul.gemm(X.columns(E, D).rows(r0, B), weight: wIc, transB: true, into: gi, beta: 1, precision: precision) }
                } else {
                    input = ws.matrix("XL\(l)", rows: T * B, cols: Hd).rows(r0, B)
                    MatrixOps.copy(below, to: input)
                    if drop { MatrixOps.multiply(input, by: ws.matrix("XLmask\(l)", rows: T * B, cols: Hd).rows(r0, B)) }
                    Matmul.gemm(input, weight: cells[l].weightIH.value, transB: true, into: gi, precision: precision)
                }
                let H = states(l), C = cells[l].hasMemory ? memories(l) : nil
                cells[l].activate(gi: gi, gh: recurrentGates(l, G).rows(r0, B), hPrev: H.rows(r0, B), cPrev: C?.rows(r0, B),
                                  h: H.rows(r0 + B, B), c: C?.rows(r0 + B, B), precision: precision)
                below = layerOutput(l, step: t)
                if residualAt(l) {
                    MatrixOps.copy(H.rows(r0 + B, B), to: below)
                    MatrixOps.add(input, to: below)
                }
            }
            let ft = F.rows(r0, B)
            attention.forward(step: t, query: below, alpha: alpha.rows(r0, B), context: ft.columns(Hd, D), precision: precision)
            MatrixOps.copy(below, to: ft.columns(0, Hd))
            MatrixOps.copy(xe.rows(r0, B), to: ft.columns(Hd + D, E))
            if inputFeeding && t + 1 < T { MatrixOps.copy(ft.columns(Hd, D), to: X.columns(E, D).rows(r0 + B, B)) }
            if drop { MatrixOps.multiply(ft, by: ws.matrix("fMask", rows: T * B, cols: featureSize).rows(r0, B)) }
            if t + 1 < T && feed.goldProbability < 1 {
                ownFed += feedOwnPredictions(step: t, feed: feed, random: random, precision: precision)
            }
        }
        return (F, alpha, ownFed)
    }

    /// States h^l_0 … h^l_T of layer l [(T+1)·B, Hd].
    func states(_ l: Int) -> Matrix { ws.matrix("H\(l)", rows: (steps + 1) * batch, cols: Hd) }
    /// LSTM memories c^l_0 … c^l_T [(T+1)·B, Hd].
    func memories(_ l: Int) -> Matrix { ws.matrix("C\(l)", rows: (steps + 1) * batch, cols: Hd) }
    /// Saved gates of layer l [T·B, G·Hd]: W_ih x (+ W_hh h) before the step, activations after
    /// it, pre-activation gradients after backward.
    func gates(_ l: Int) -> Matrix { ws.matrix("GI\(l)", rows: steps * batch, cols: cells[l].gateCount * Hd) }
    /// The GRU's separate W_hh h products [T·B, 3Hd]; a 1-row placeholder for the other cells.
    func recurrentGates(_ l: Int, _ G: Int) -> Matrix {
        cells[l].kind == .gru ? ws.matrix("GH\(l)", rows: steps * batch, cols: G * Hd) : gates(l)
    }
    /// What layer l hands up at step t [B, Hd]: its state, or state + input with residuals.
    func layerOutput(_ l: Int, step t: Int) -> Matrix {
        residualAt(l) ? ws.matrix("O\(l)", rows: steps * batch, cols: Hd).rows(t * batch, batch)
                      : states(l).rows((t + 1) * batch, batch)
    }

    /// Backward from dL/dF [T·B, Hd+2H+E] (modified): every step in reverse, then the weight
    /// gradients of all steps as single GEMMs and the target embedding's gradient. Returns
    /// dL/dh0 [B, Hd], summed over the layers that start from it.
    func backward(dF: Matrix, precision: Precision, observer: (any BackwardObserver)?) -> Matrix {
        let T = steps, B = batch, G = cells[0].gateCount
        let drop = training && dropout.isActive
        if drop { MatrixOps.multiply(dF, by: ws.matrix("fMask", rows: T * B, cols: featureSize)) }
        let X = ws.matrix("X", rows: T * B, cols: E + (inputFeeding ? D : 0))
        let alpha = ws.matrix("alpha", rows: T * B, cols: sourceLength)
        let dE = ws.matrix("dE", rows: T * B, cols: E)
        MatrixOps.copy(dF.columns(Hd + D, E), to: dE)
        // dL/dh^l_{t−1}: step t writes one buffer of a pair while reading the other.
        var incoming = [Matrix?](repeating: nil, count: layers)
        let recurrent = (0..<layers).map { [ws.matrix("dhA\($0)", rows: B, cols: Hd), ws.matrix("dhB\($0)", rows: B, cols: Hd)] }
        let dc = (0..<layers).map { ws.matrix("dc\($0)", rows: B, cols: Hd, zeroed: true) }
        let dctxNext = ws.matrix("dctxNext", rows: B, cols: D, zeroed: true)
        let dq = ws.matrix("dq", rows: B, cols: Hd), dctx = ws.matrix("dctx", rows: B, cols: D)
        let dIn = [ws.matrix("dInA", rows: B, cols: Hd), ws.matrix("dInB", rows: B, cols: Hd)]
        let wIc = inputFeeding ? contextWeight() : nil
        for t in stride(from: T - 1, through: 0, by: -1) {
            observer?.backwardProgress()
            let r0 = t * B, dft = dF.rows(r0, B)
            MatrixOps.copy(dft.columns(0, Hd), to: dq)
            MatrixOps.copy(dft.columns(Hd, D), to: dctx)
            if inputFeeding { MatrixOps.add(dctxNext, to: dctx) }
            let query = layerOutput(layers - 1, step: t)
            attention.backward(step: t, query: query, alpha: alpha.rows(r0, B), dContext: dctx, dQuery: dq, precision: precision)
            var dOut = dq   // dL/d(output of layer l at step t)
            for l in stride(from: layers - 1, through: 0, by: -1) {
                let H = states(l), C = cells[l].hasMemory ? memories(l) : nil
                let gi = gates(l).rows(r0, B), next = recurrent[l][t % 2]
                cells[l].backwardStep(gi: gi, gh: recurrentGates(l, G).rows(r0, B), hPrev: H.rows(r0, B), cPrev: C?.rows(r0, B),
                                      c: C?.rows(r0 + B, B), dy: dOut, dhRec: incoming[l], dc: C != nil ? dc[l] : nil,
                                      dhPrev: next, precision: precision)
                incoming[l] = next
                guard l > 0 else { break }
                // x^l = dropout(o^{l−1}): dL/do^{l−1} = mask ⊙ (dgi · W_ih + dOut if residual).
                let dx = dIn[l % 2]
                Matmul.gemm(gi, weight: cells[l].weightIH.value, into: dx, precision: precision)
                if residualAt(l) { MatrixOps.add(dOut, to: dx) }
                if drop { MatrixOps.multiply(dx, by: ws.matrix("XLmask\(l)", rows: T * B, cols: Hd).rows(r0, B)) }
                dOut = dx
            }
            if let wIc, t > 0 { Matmul.gemm(gates(0).rows(r0, B), weight: wIc, into: dctxNext, precision: precision) }
        }
        for l in 0..<layers {
            let x = l == 0 ? X : ws.matrix("XL\(l)", rows: T * B, cols: Hd)
            cells[l].accumulateWeightGradients(dgi: gates(l), dgh: recurrentGates(l, G), x: x, hPrev: states(l).rows(0, T * B),
                                               precision: precision)
        }
        cells[0].inputGradient(dgi: gates(0), into: dE, columns: 0..<E, accumulate: true, precision: precision)
        if drop { MatrixOps.multiply(dE, by: ws.matrix("xeMask", rows: T * B, cols: E)) }
        embedding.backward(ids: fed.pointer, count: T * B, dy: dE)
        // Every layer's h (and an LSTM's c) started as h0.
        let dh0 = ws.matrix("dh0", rows: B, cols: Hd, zeroed: true)
        for l in 0..<layers {
            if let g = incoming[l] { MatrixOps.add(g, to: dh0) }
            if cells[l].hasMemory { MatrixOps.add(dc[l], to: dh0) }
        }
        return dh0
    }
}

extension RecurrentDecoder {
    /// Scheduled sampling after step t: one coin per sentence; sentences whose next gold token is
    /// real and whose coin says "own" get the model's prediction from step t (projected here, for
    /// those rows only) as y_{t} of step t+1. Returns how many were replaced. Coin and sampled
    /// token of sentence b come from its own generators at step t, so they do not depend on the
    /// other rows (or on how many of them were replaced). No gradient flows through the choice.
    func feedOwnPredictions(step t: Int, feed: Feed, random: SentenceRandom, precision: Precision) -> Int {
        let T = steps, B = batch, V = output.outputSize
        let ids = fed.pointer, rows = ownRows.reserve(B), tokens = ownTokens.reserve(B)
        let pOwn = 1 - feed.goldProbability
        var n = 0
        for b in 0..<B {
            var coinRNG = random.generator(purpose: SentenceRandom.Purpose.scheduledSamplingCoin, row: b, step: t)
            let coin = coinRNG.nextUnitFloat()
            if coin < pOwn && ids[(t + 1) * B + b] != ModelConfig.padId {
                rows[n] = Int32(b)
                n += 1
            }
        }
        guard n > 0 else { return 0 }
        let F = ws.matrix("F", rows: T * B, cols: featureSize)
        let feats = ws.matrix("ownF", rows: n, cols: featureSize)
        for i in 0..<n { feats.row(i).update(from: F.row(t * B + Int(rows[i])), count: featureSize) }
        let logits = ws.matrix("ownLogits", rows: n, cols: V)
        output.forward(feats, into: logits, precision: precision)
        switch feed.choice {
        case .argmax:
            Kernels.argmaxRows(logits, into: tokens)
        case .sample:
            Kernels.softmaxRows(logits, validColumns: nil)
            for i in 0..<n {
                let p = logits.row(i)
                var tokenRNG = random.generator(purpose: SentenceRandom.Purpose.sampledToken, row: Int(rows[i]), step: t)
                var u = tokenRNG.nextUnitFloat(), pick = V - 1
                for j in 0..<V {
                    u -= p[j]
                    if u < 0 { pick = j; break }
                }
                tokens[i] = Int32(pick)
            }
        }
        let X = ws.matrix("X", rows: T * B, cols: E + (inputFeeding ? D : 0))
        let gi = gates(0)
        let wIe = cells[0].weightIH.value.matrix.columns(0, E)
        let table = embedding.weight.value.matrix
        let drop = training && dropout.isActive
        for i in 0..<n {
            let r = (t + 1) * B + Int(rows[i])
            ids[r] = tokens[i]
            let xe = X.rows(r, 1).columns(0, E)
            xe.base.update(from: table.row(Int(tokens[i])), count: E)
            if drop { MatrixOps.multiply(xe, by: ws.matrix("xeMask", rows: T * B, cols: E).rows(r, 1)) }
            Matmul.gemm(xe, wIe, transB: true, into: gi.rows(r, 1), precision: precision)
        }
        return n
    }
}
