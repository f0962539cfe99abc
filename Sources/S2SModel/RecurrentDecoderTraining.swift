import S2SLayers
import S2SNumerics
import S2SText

/// The decoder over a whole training batch: every step forward, keeping what backward needs,
/// then every step backward (BPTT). Time-major throughout: row t·B + b is step t of sentence b.
///
/// Buffers (workspace keys), for T steps, B sentences, Ld layers, G gate blocks:
///   X [T·B, E (+2H)]   first layer's input [e ; ctx_{t−1}]      F [T·B, Hd+2H+E] output features
///   H{l} [(T+1)·B, Hd] states h^l_0 … h^l_T (h^l_0 = h0)        C{l} the same for LSTM memories
///   GI{l}, GH{l} [T·B, G·Hd] saved gates (GH: GRU only)         XL{l} [T·B, Hd] input of layer l ≥ 1
///   O{l} [T·B, Hd] output of a residual layer                    alpha [T·B, S]
///   RM{l} [B, Hd] recurrent dropout masks, one per sentence       HM{l} [T·B, Hd] h^l_t ⊙ m, what W_hh read
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
        let rates = dropout.when(training)
        let X = ws.matrix("X", rows: T * B, cols: E + (inputFeeding ? D : 0))
        let F = ws.matrix("F", rows: T * B, cols: featureSize)
        let alpha = ws.matrix("alpha", rows: T * B, cols: S)
        let xe = X.columns(0, E)
        embedding.forward(ids: fed.pointer, count: T * B, into: xe)
        if rates.masksEmbeddings {
            let mask = ws.matrix("xeMask", rows: T * B, cols: E)
            rates.drawEmbeddingMask(mask, random: random, elementPurpose: SentenceRandom.Purpose.targetEmbeddingDropout,
                                    wordPurpose: SentenceRandom.Purpose.targetWordDropout, batch: B)
            MatrixOps.multiply(xe, by: mask)
        }
        if rates.output > 0 {
            Dropout(rates.output).drawMask(ws.matrix("fMask", rows: T * B, cols: featureSize), random: random,
                                           purpose: SentenceRandom.Purpose.outputFeaturesDropout, batch: B)
        }
        let buf = (0..<layers).map(buffers)
        for (l, b) in buf.enumerated() {
            MatrixOps.copy(h0, to: b.states.rows(0, B))
            if let c = b.memories { MatrixOps.copy(h0, to: c.rows(0, B)) }
            if let mask = b.inputMask {
                Dropout(rates.layer).drawMask(mask, random: random, purpose: SentenceRandom.Purpose.decoderLayerDropout(layer: l),
                                              batch: B)
            }
            if let rec = b.recurrent {
                RecurrentDropout(rates.recurrent).drawMask(rec.mask, random: random,
                                                           purpose: SentenceRandom.Purpose.decoderRecurrentDropout(layer: l))
            }
        }
        // The embedding part of the first layer's input product, all steps at once; rows fed
        // their own prediction are recomputed when it is known.
        Matmul.gemm(xe, cells[0].weightIH.value.matrix.columns(0, E), transB: true, into: buf[0].gates, precision: precision)
        let wIc = inputFeeding ? contextWeight() : nil
        if inputFeeding { MatrixOps.zero(X.columns(E, D).rows(0, B)) }
        var ownFed = 0
        for t in 0..<T {
            let r0 = t * B
            var below = Matrix(X.base, rows: 0, cols: 0)
            for (l, b) in buf.enumerated() {
                let gi = b.gates.rows(r0, B)
                var input = X.rows(r0, B)
                if let x = b.input {
                    input = x.rows(r0, B)
                    MatrixOps.copy(below, to: input)
                    if let mask = b.inputMask { MatrixOps.multiply(input, by: mask.rows(r0, B)) }
                    Matmul.gemm(input, weight: cells[l].weightIH.value, transB: true, into: gi, precision: precision)
                } else if let wIc, t > 0 {
                    Matmul.gemm(X.columns(E, D).rows(r0, B), weight: wIc, transB: true, into: gi, beta: 1, precision: precision)
                }
                let H = b.states, C = b.memories
                cells[l].activate(gi: gi, gh: b.recurrentGates.rows(r0, B), hPrev: H.rows(r0, B), cPrev: C?.rows(r0, B),
                                  h: H.rows(r0 + B, B), c: C?.rows(r0 + B, B), recurrent: b.recurrent?.step(t), precision: precision)
                below = b.output(step: t, batch: B)
                if b.output != nil {
                    MatrixOps.copy(H.rows(r0 + B, B), to: below)
                    MatrixOps.add(input, to: below)
                }
            }
            let ft = F.rows(r0, B)
            attention.forward(step: t, query: below, alpha: alpha.rows(r0, B), context: ft.columns(Hd, D), precision: precision)
            MatrixOps.copy(below, to: ft.columns(0, Hd))
            MatrixOps.copy(xe.rows(r0, B), to: ft.columns(Hd + D, E))
            if inputFeeding && t + 1 < T { MatrixOps.copy(ft.columns(Hd, D), to: X.columns(E, D).rows(r0 + B, B)) }
            if rates.output > 0 { MatrixOps.multiply(ft, by: ws.matrix("fMask", rows: T * B, cols: featureSize).rows(r0, B)) }
            if t + 1 < T && feed.goldProbability < 1 {
                ownFed += feedOwnPredictions(step: t, feed: feed, random: random, precision: precision)
            }
        }
        return (F, alpha, ownFed)
    }

    /// The buffers of layer l for this pass, looked up once per pass (the time loops index these
    /// views instead of the workspace's keyed dictionary at every step).
    struct LayerBuffers {
        /// h^l_0 … h^l_T [(T+1)·B, Hd].
        let states: Matrix
        /// LSTM memories c^l_0 … c^l_T [(T+1)·B, Hd].
        let memories: Matrix?
        /// Saved gates [T·B, G·Hd]: W_ih x (+ W_hh h) before a step, activations after it,
        /// pre-activation gradients after backward.
        let gates: Matrix
        /// The GRU's separate W_hh h products [T·B, 3Hd]; the other cells add theirs into `gates`.
        let recurrentGates: Matrix
        /// Layer l ≥ 1: its input x^l [T·B, Hd] (after dropout) and the dropout mask.
        let input: Matrix?
        let inputMask: Matrix?
        /// Residual layers: o^l = h^l + x^l [T·B, Hd].
        let output: Matrix?
        /// Recurrent dropout (training): masks [B, Hd] and the operands h^l_t ⊙ m of W_hh [T·B, Hd].
        let recurrent: RecurrentDropout.Buffers?

        /// What the layer hands up at step t [B, Hd]: its state, or state + input with residuals.
        func output(step t: Int, batch B: Int) -> Matrix { output?.rows(t * B, B) ?? states.rows((t + 1) * B, B) }
    }

    func buffers(_ l: Int) -> LayerBuffers {
        let rows = steps * batch, G = cells[l].gateCount
        let gates = ws.matrix("GI\(l)", rows: rows, cols: G * Hd)
        return LayerBuffers(
            states: ws.matrix("H\(l)", rows: rows + batch, cols: Hd),
            memories: cells[l].hasMemory ? ws.matrix("C\(l)", rows: rows + batch, cols: Hd) : nil,
            gates: gates,
            recurrentGates: cells[l].kind == .gru ? ws.matrix("GH\(l)", rows: rows, cols: G * Hd) : gates,
            input: l > 0 ? ws.matrix("XL\(l)", rows: rows, cols: Hd) : nil,
            inputMask: l > 0 && training && dropout.layer > 0 ? ws.matrix("XLmask\(l)", rows: rows, cols: Hd) : nil,
            output: residualAt(l) ? ws.matrix("O\(l)", rows: rows, cols: Hd) : nil,
            recurrent: training && dropout.recurrent > 0
                ? RecurrentDropout.Buffers(mask: ws.matrix("RM\(l)", rows: batch, cols: Hd), operands: ws.matrix("HM\(l)", rows: rows, cols: Hd),
                                           scratch: ws.matrix("RScratch", rows: batch, cols: Hd))
                : nil)
    }

    /// Backward from dL/dF [T·B, Hd+2H+E] (modified): every step in reverse, then the weight
    /// gradients of all steps as single GEMMs and the target embedding's gradient. Returns
    /// dL/dh0 [B, Hd], summed over the layers that start from it.
    func backward(dF: Matrix, precision: Precision, observer: (any BackwardObserver)?) -> Matrix {
        let T = steps, B = batch
        let rates = dropout.when(training)
        let buf = (0..<layers).map(buffers)
        if rates.output > 0 { MatrixOps.multiply(dF, by: ws.matrix("fMask", rows: T * B, cols: featureSize)) }
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
            let query = buf[layers - 1].output(step: t, batch: B)
            attention.backward(step: t, query: query, alpha: alpha.rows(r0, B), dContext: dctx, dQuery: dq, precision: precision)
            var dOut = dq   // dL/d(output of layer l at step t)
            for l in stride(from: layers - 1, through: 0, by: -1) {
                let b = buf[l], H = b.states, C = b.memories
                let gi = b.gates.rows(r0, B), next = recurrent[l][t % 2]
                cells[l].backwardStep(gi: gi, gh: b.recurrentGates.rows(r0, B), hPrev: H.rows(r0, B), cPrev: C?.rows(r0, B),
                                      c: C?.rows(r0 + B, B), dy: dOut, dhRec: incoming[l], dc: C != nil ? dc[l] : nil,
                                      dhPrev: next, recurrent: b.recurrent?.step(t), precision: precision)
                incoming[l] = next
                guard l > 0 else { break }
                // x^l = dropout(o^{l−1}): dL/do^{l−1} = mask ⊙ (dgi · W_ih + dOut if residual).
                let dx = dIn[l % 2]
                Matmul.gemm(gi, weight: cells[l].weightIH.value, into: dx, precision: precision)
                if residualAt(l) { MatrixOps.add(dOut, to: dx) }
                if let mask = b.inputMask { MatrixOps.multiply(dx, by: mask.rows(r0, B)) }
                dOut = dx
            }
            if let wIc, t > 0 { Matmul.gemm(buf[0].gates.rows(r0, B), weight: wIc, into: dctxNext, precision: precision) }
        }
        for (l, b) in buf.enumerated() {
            cells[l].accumulateWeightGradients(dgi: b.gates, dgh: b.recurrentGates, x: b.input ?? X,
                                               hPrev: b.recurrent?.operands ?? b.states.rows(0, T * B), precision: precision)
        }
        cells[0].inputGradient(dgi: buf[0].gates, into: dE, columns: 0..<E, accumulate: true, precision: precision)
        if rates.masksEmbeddings { MatrixOps.multiply(dE, by: ws.matrix("xeMask", rows: T * B, cols: E)) }
        embedding.backward(ids: fed.pointer, count: T * B, dy: dE)
        // Every layer's h (and an LSTM's c) started as h0.
        let dh0 = ws.matrix("dh0", rows: B, cols: Hd, zeroed: true)
        for l in 0..<layers {
            if let g = incoming[l] { MatrixOps.add(g, to: dh0) }
            if buf[l].memories != nil { MatrixOps.add(dc[l], to: dh0) }
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
            if coin < pOwn && ids[(t + 1) * B + b] != SpecialTokens.pad {
                rows[n] = Int32(b)
                n += 1
            }
        }
        guard n > 0 else { return 0 }
        let F = ws.matrix("F", rows: T * B, cols: featureSize)
        let feats = ws.matrix("ownF", rows: n, cols: featureSize)
        for i in 0..<n { feats.row(i).update(from: F.row(t * B + Int(rows[i])), count: featureSize) }
        let logits = ws.matrix("ownLogits", rows: n, cols: V)
        let hidden = output.isTied ? ws.matrix("ownHidden", rows: n, cols: output.hiddenSize) : nil
        output.forward(feats, hidden: hidden, into: logits, precision: precision)
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
        let gi = buffers(0).gates
        let wIe = cells[0].weightIH.value.matrix.columns(0, E)
        let table = embedding.weight.value.matrix
        let drop = dropout.when(training).masksEmbeddings
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
