import S2SLayers
import S2SNumerics

/// How a scheduled-sampling step picks the token it feeds instead of the gold one.
public enum FeedChoice: String, Codable, Sendable {
    /// The model's most probable token (Bengio et al. 2015, and the reference).
    case argmax
    /// A token drawn from the model's softmax.
    case sample
}

/// Options of one training (or evaluation) pass.
public struct TrainingStepOptions: Sendable {
    /// Scheduled sampling: each `y_prev` (t ≥ 1, gold not `<pad>`) is the gold token with this
    /// probability and the model's own prediction otherwise. 1 = teacher forcing.
    public var goldProbability: Float
    public var feedChoice: FeedChoice
    /// Dropout on (training) or off (evaluation).
    public var training: Bool
    /// Run backward and accumulate parameter gradients.
    public var computeGradients: Bool
    /// Gradients are of `lossSum / gradientNormalizer` (default: this batch's target tokens).
    /// Set it to the token count of several batches when accumulating gradients over them.
    public var gradientNormalizer: Int?
    /// Return encoder outputs, h0, attention and logits (fixture checks, inspection).
    public var captureIntermediates: Bool

    public init(goldProbability: Float = 1, feedChoice: FeedChoice = .argmax, training: Bool = true,
                computeGradients: Bool = true, gradientNormalizer: Int? = nil, captureIntermediates: Bool = false) {
        self.goldProbability = goldProbability
        self.feedChoice = feedChoice
        self.training = training
        self.computeGradients = computeGradients
        self.gradientNormalizer = gradientNormalizer
        self.captureIntermediates = captureIntermediates
    }

    /// Forward only, no dropout, teacher forcing: validation loss.
    public static let evaluation = TrainingStepOptions(training: false, computeGradients: false)
}

/// What a training pass returns.
public struct TrainingStepResult: Sendable {
    /// Σ over target tokens of the (label-smoothed) cross-entropy.
    public let lossSum: Double
    /// Target tokens that carried loss (targetOutput ≠ `<pad>`).
    public let tokenCount: Int
    /// Positions fed the model's own prediction (scheduled sampling).
    public let ownPredictionsFed: Int
    public let intermediates: Seq2SeqIntermediates?

    public var meanLoss: Double { tokenCount > 0 ? lossSum / Double(tokenCount) : 0 }
}

/// Activations of one pass, batch-major, for comparison with a reference.
public struct Seq2SeqIntermediates: @unchecked Sendable {
    public let encoderOutputs: Tensor  // [B, S, 2H]
    public let initialHidden: Tensor   // [B, Hd]
    public let attention: Tensor       // [B, T, S]
    /// [B, T, V]; NaN at positions whose targetOutput is `<pad>` (never projected).
    public let logits: Tensor
}

extension Seq2SeqModel {
    /// One forward pass over a padded batch and, with `options.computeGradients`, the backward
    /// pass: ADDS dLoss/dθ into every parameter's `grad` (call `parameters.zeroGrad()` first).
    ///
    /// Teacher forcing feeds `targetInput[t]` at step t; scheduled sampling replaces it per token.
    /// The decoder loop keeps `[h ; ctx ; e]` of every step and the output layer, softmax and
    /// cross-entropy run once over all (non-pad) positions: one [N, Hd+2H+E] × [.., V] GEMM forward,
    /// two backward. Rows fed their own prediction are projected early, alone (no gradient flows
    /// through that choice).
    ///
    /// Every random draw (dropout masks, scheduled-sampling coins, sampled tokens) comes from
    /// `random`, one seed per batch row in the batch's row order, per (sentence, purpose, step):
    /// a sentence with the same seed gets the same draws in any batch, of any size or padding.
    /// So a batch split among processes, each sentence keeping its seed and every part using the
    /// whole batch's `gradientNormalizer`, sums to the gradient of the whole batch.
    @discardableResult
    public func forwardBackward(_ batch: Seq2SeqBatch, options: TrainingStepOptions = TrainingStepOptions(),
                                random: SentenceRandom,
                                observer: (any BackwardObserver)? = nil) throws(LayerError) -> TrainingStepResult {
        try batch.validate(for: config)
        guard random.count == batch.size else {
            throw .invalidBatch("\(random.count) sentence seeds for \(batch.size) sentences")
        }
        let B = batch.size, S = batch.sourceLength, T = batch.targetLength
        let E = config.embedding, Hd = config.decoderHidden, D = config.encoderOutput, Dout = config.outputInput
        let ws = trainWorkspace, ix = trainIndices, prec = precision
        let drop = Dropout(options.training ? config.dropout : 0)

        // Time-major id copies: row t·B + b is position t of sentence b.
        let lens = ix.sourceLengths.set(batch.sourceLengths)
        let srcIds = ix.sourceIds.reserve(S * B)
        for b in 0..<B { for t in 0..<S { srcIds[t * B + b] = batch.source[b * S + t] } }
        let fed = ix.fedTokens.reserve(T * B), tgt = ix.targets.reserve(T * B)
        for b in 0..<B {
            for t in 0..<T {
                fed[t * B + b] = batch.targetInput[b * T + t]
                tgt[t * B + b] = batch.targetOutput[b * T + t]
            }
        }

        profile.lap("batch setup")

        // Encoder → bridge → attention memory.
        let srcEmb = ws.matrix("srcEmb", rows: S * B, cols: E)
        sourceEmbedding.forward(ids: srcIds, count: S * B, into: srcEmb)
        let srcMask = drop.isActive ? ws.matrix("srcEmbMask", rows: S * B, cols: E) : nil
        if let srcMask {
            drop.forward(srcEmb, mask: srcMask, random: random, purpose: SentenceRandom.Purpose.sourceEmbeddingDropout, batch: B)
        }
        let encTM = encoder.forward(srcEmb, steps: S, batch: B, lengths: lens, training: options.training, random: random,
                                    precision: prec)
        profile.lap("encoder forward")
        let finals = ws.matrix("finals", rows: B, cols: D)
        encoder.finalStates(into: finals)
        let hs = ws.matrix("H", rows: (T + 1) * B, cols: Hd)   // h0, h_1 … h_T
        let h0 = hs.rows(0, B)
        bridge.forward(finals, into: h0, precision: prec)
        RNNCellKernels.tanh(h0.base, into: h0.base, count: B * Hd)
        let encBM = ws.matrix("encBM", rows: B * S, cols: D)
        MatrixOps.swapLeadingAxes(encTM, outer: S, inner: B, into: encBM)
        attention.beginTraining(encoder: encBM, sourceLength: S, lengths: lens, steps: T, precision: prec)
        profile.lap("bridge + keys")

        // Decoder loop. X_t = [e_t ; ctx_{t-1}] (GRU input), F_t = [h_t ; ctx_t ; e_t] (output input).
        let X = ws.matrix("X", rows: T * B, cols: E + D)
        let F = ws.matrix("F", rows: T * B, cols: Dout)
        let gi = ws.matrix("GI", rows: T * B, cols: 3 * Hd), gh = ws.matrix("GH", rows: T * B, cols: 3 * Hd)
        let alpha = ws.matrix("alpha", rows: T * B, cols: S)
        let xe = X.columns(0, E), xc = X.columns(E, D)
        targetEmbedding.forward(ids: fed, count: T * B, into: xe)
        let embMask = drop.isActive ? ws.matrix("tgtEmbMask", rows: T * B, cols: E) : nil
        if let embMask {
            drop.forward(xe, mask: embMask, random: random, purpose: SentenceRandom.Purpose.targetEmbeddingDropout, batch: B)
        }
        let featMask = drop.isActive ? ws.matrix("featMask", rows: T * B, cols: Dout) : nil
        if let featMask {
            drop.drawMask(featMask, random: random, purpose: SentenceRandom.Purpose.outputFeaturesDropout, batch: B)
        }
        let wIH = cell.weightIH.value.matrix
        let wIe = wIH.columns(0, E), wIc = contextWeight()
        // The embedding half of the GRU's input product for all steps at once; rows that get
        // their own prediction fed are recomputed when it is known.
        Matmul.gemm(xe, wIe, transB: true, into: gi, precision: prec)
        MatrixOps.zero(xc.rows(0, B))
        var ownFed = 0
        for t in 0..<T {
            let r0 = t * B
            let git = gi.rows(r0, B)
            if t > 0 { Matmul.gemm(xc.rows(r0, B), weight: wIc, transB: true, into: git, beta: 1, precision: prec) }
            let h = hs.rows(r0 + B, B)
            cell.activate(gi: git, gh: gh.rows(r0, B), hPrev: hs.rows(r0, B), h: h, precision: prec)
            let ft = F.rows(r0, B)
            attention.forward(step: t, query: h, alpha: alpha.rows(r0, B), context: ft.columns(Hd, D), precision: prec)
            MatrixOps.copy(h, to: ft.columns(0, Hd))
            MatrixOps.copy(xe.rows(r0, B), to: ft.columns(Hd + D, E))
            if t + 1 < T { MatrixOps.copy(ft.columns(Hd, D), to: xc.rows(r0 + B, B)) }
            if let featMask { MatrixOps.multiply(ft, by: featMask.rows(r0, B)) }
            if t + 1 < T && options.goldProbability < 1 {
                ownFed += feedOwnPredictions(step: t, batch: B, options: options, embMask: embMask, random: random)
            }
        }

        profile.lap("decoder forward")

        // Output layer + loss over the positions that carry loss, all steps at once. Padded
        // positions are left out, but the projected row count is a multiple of 64 (zero rows,
        // ignored targets) so batches of varying length reuse a few GEMM shapes.
        let pad = ModelConfig.padId
        var n = 0
        for i in 0..<T * B where tgt[i] != pad { n += 1 }
        let m = min(T * B, (n + Self.outputRowQuantum - 1) / Self.outputRowQuantum * Self.outputRowQuantum)
        let full = m == T * B
        let rowOf = ix.compactRows.reserve(m), ctg = ix.compactTargets.reserve(m)
        if full {
            for i in 0..<m { rowOf[i] = Int32(i); ctg[i] = tgt[i] }
        } else {
            var k = 0
            for i in 0..<T * B where tgt[i] != pad { rowOf[k] = Int32(i); ctg[k] = tgt[i]; k += 1 }
            for i in n..<m { rowOf[i] = -1; ctg[i] = pad }
        }
        let fc = full ? F : ws.matrix("Fc", rows: m, cols: Dout)
        if !full {
            for i in 0..<n { fc.row(i).update(from: F.row(Int(rowOf[i])), count: Dout) }
            MatrixOps.zero(fc.rows(n, m - n))
        }
        let logits = ws.matrix("logits", rows: m, cols: config.targetVocabulary)
        output.forward(fc, into: logits, precision: prec)
        profile.lap("output forward")
        let captured = options.captureIntermediates
            ? capture(batch: batch, encBM: encBM, h0: h0, alpha: alpha, logits: logits, rowOf: rowOf, count: m) : nil
        let ce = SoftmaxCrossEntropy(ignoreIndex: pad, labelSmoothing: config.labelSmoothing)
        // A separate gradient buffer: the cross-entropy kernel vectorizes only when its output
        // does not alias the logits (4x faster at [1280, 8000]).
        let dLogits = options.computeGradients ? ws.matrix("dLogits", rows: m, cols: config.targetVocabulary) : nil
        let (lossSum, count) = n > 0
            ? ce.evaluate(logits: logits, targets: ctg, gradient: dLogits, normalizer: options.gradientNormalizer ?? n)
            : (0, 0)
        profile.lap("softmax + loss")
        let result = TrainingStepResult(lossSum: lossSum, tokenCount: count, ownPredictionsFed: ownFed, intermediates: captured)
        guard options.computeGradients, n > 0 else { return result }

        // Backward: output layer, then the decoder loop in reverse.
        let dfc = ws.matrix("dFc", rows: m, cols: Dout)
        output.backward(x: fc, dy: dLogits!, dx: dfc, precision: prec)
        observer?.gradientsFinal(parametersFinishedFirst)
        profile.lap("output backward")
        let dF: Matrix
        if full {
            dF = dfc
        } else {
            dF = ws.matrix("dF", rows: T * B, cols: Dout, zeroed: true)
            for i in 0..<n { dF.row(Int(rowOf[i])).update(from: dfc.row(i), count: Dout) }
        }
        if let featMask { MatrixOps.multiply(dF, by: featMask) }
        let dE = ws.matrix("dE", rows: T * B, cols: E)
        MatrixOps.copy(dF.columns(Hd + D, E), to: dE)
        let dhNext = ws.matrix("dhNext", rows: B, cols: Hd, zeroed: true)
        let dctxNext = ws.matrix("dctxNext", rows: B, cols: D, zeroed: true)
        let dh = ws.matrix("dh", rows: B, cols: Hd), dctx = ws.matrix("dctx", rows: B, cols: D)
        for t in stride(from: T - 1, through: 0, by: -1) {
            observer?.backwardProgress()
            let r0 = t * B
            let dft = dF.rows(r0, B)
            MatrixOps.copy(dft.columns(0, Hd), to: dh)
            MatrixOps.add(dhNext, to: dh)
            MatrixOps.copy(dft.columns(Hd, D), to: dctx)
            MatrixOps.add(dctxNext, to: dctx)
            attention.backward(step: t, query: hs.rows(r0 + B, B), alpha: alpha.rows(r0, B), dContext: dctx,
                               dQuery: dh, precision: prec)
            cell.backwardStep(gi: gi.rows(r0, B), gh: gh.rows(r0, B), hPrev: hs.rows(r0, B), dh: dh, dhPrev: dhNext,
                              precision: prec)
            if t > 0 { Matmul.gemm(gi.rows(r0, B), weight: wIc, into: dctxNext, precision: prec) }
        }
        profile.lap("decoder backward")
        cell.accumulateWeightGradients(dgi: gi, dgh: gh, x: X, hPrev: hs.rows(0, T * B), precision: prec)
        cell.inputGradient(dgi: gi, into: dE, columns: 0..<E, accumulate: true, precision: prec)
        if let embMask { MatrixOps.multiply(dE, by: embMask) }
        targetEmbedding.backward(ids: fed, count: T * B, dy: dE)
        profile.lap("decoder weight gradients")
        observer?.backwardProgress()

        // Bridge (dh0 = dhNext), attention keys and context, encoder, source embeddings.
        MatrixOps.tanhBackward(y: h0, grad: dhNext)
        let dFinals = ws.matrix("dFinals", rows: B, cols: D)
        bridge.backward(x: finals, dy: dhNext, dx: dFinals, precision: prec)
        let dEncBM = ws.matrix("dEncBM", rows: B * S, cols: D, zeroed: true)
        attention.endBackward(dEncoder: dEncBM, precision: prec)
        profile.lap("bridge + keys backward")
        observer?.backwardProgress()
        let dEncTM = ws.matrix("dEncTM", rows: S * B, cols: D)
        MatrixOps.swapLeadingAxes(dEncBM, outer: B, inner: S, into: dEncTM)
        let dSrc = ws.matrix("dSrcEmb", rows: S * B, cols: E)
        encoder.backward(dOutput: dEncTM, dFinal: dFinals, dInput: dSrc, precision: prec)
        if let srcMask { MatrixOps.multiply(dSrc, by: srcMask) }
        sourceEmbedding.backward(ids: srcIds, count: S * B, dy: dSrc)
        profile.lap("encoder backward")
        return result
    }

    /// `forwardBackward(_:options:random:)` with one sentence seed per batch row drawn from `rng`
    /// (`batch.size` draws of `next()`, whether or not the pass uses them): for callers that
    /// keep a single stream. Reproducible, but a sentence's seed then depends on its place in the
    /// stream, so splitting the batch changes the draws; data-parallel callers pass `random`.
    @discardableResult
    public func forwardBackward(_ batch: Seq2SeqBatch, options: TrainingStepOptions = TrainingStepOptions(),
                                rng: inout PCG32) throws(LayerError) -> TrainingStepResult {
        try forwardBackward(batch, options: options, random: SentenceRandom(count: batch.size, drawingFrom: &rng))
    }

    /// Validation: mean loss with dropout off, teacher forcing, no gradients (so no draws: the
    /// seeds are never read).
    public func evaluationLoss(_ batch: Seq2SeqBatch) throws(LayerError) -> TrainingStepResult {
        try forwardBackward(batch, options: .evaluation, random: SentenceRandom(seeds: Array(repeating: 0, count: batch.size)))
    }

    /// Scheduled sampling after step t: one coin per sentence; sentences whose next gold token is
    /// real and whose coin says "own" get the model's prediction from step t (projected here, for
    /// those rows only) as y_prev of step t+1. Returns how many were replaced. Coin and sampled
    /// token of sentence b come from its own generators at step t, so they do not depend on the
    /// other rows (or on how many of them were replaced).
    private func feedOwnPredictions(step t: Int, batch B: Int, options: TrainingStepOptions, embMask: Matrix?,
                                    random: SentenceRandom) -> Int {
        let ws = trainWorkspace, ix = trainIndices
        let fed = ix.fedTokens.pointer, rows = ix.ownRows.reserve(B), tokens = ix.ownTokens.reserve(B)
        let pOwn = 1 - options.goldProbability
        var n = 0
        for b in 0..<B {
            var coinRNG = random.generator(purpose: SentenceRandom.Purpose.scheduledSamplingCoin, row: b, step: t)
            let coin = coinRNG.nextUnitFloat()
            if coin < pOwn && fed[(t + 1) * B + b] != ModelConfig.padId {
                rows[n] = Int32(b)
                n += 1
            }
        }
        guard n > 0 else { return 0 }
        let E = config.embedding, Dout = config.outputInput, V = config.targetVocabulary
        let F = ws.matrix("F", rows: 0, cols: Dout)
        let feats = ws.matrix("ownF", rows: n, cols: Dout)
        for i in 0..<n { feats.row(i).update(from: F.base + (t * B + Int(rows[i])) * Dout, count: Dout) }
        let logits = ws.matrix("ownLogits", rows: n, cols: V)
        output.forward(feats, into: logits, precision: precision)
        switch options.feedChoice {
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
        let X = ws.matrix("X", rows: 0, cols: E + config.encoderOutput)
        let gi = ws.matrix("GI", rows: 0, cols: 3 * config.decoderHidden)
        let wIe = cell.weightIH.value.matrix.columns(0, E)
        let emb = targetEmbedding.weight.value.matrix
        for i in 0..<n {
            let r = (t + 1) * B + Int(rows[i])
            fed[r] = tokens[i]
            let xe = Matrix(X.base + r * X.cols, rows: 1, cols: E)
            xe.base.update(from: emb.row(Int(tokens[i])), count: E)
            if let embMask { MatrixOps.multiply(xe, by: embMask.rows(r, 1)) }
            Matmul.gemm(xe, wIe, transB: true, into: Matrix(gi.base + r * gi.cols, rows: 1, cols: gi.cols), precision: precision)
        }
        return n
    }

    /// Rows of the output layer's GEMM come in multiples of this (see forwardBackward).
    static let outputRowQuantum = 64

    /// Batch-major copies of the pass's activations (logits NaN where not projected).
    private func capture(batch: Seq2SeqBatch, encBM: Matrix, h0: Matrix, alpha: Matrix, logits: Matrix,
                         rowOf: UnsafePointer<Int32>, count n: Int) -> Seq2SeqIntermediates {
        let B = batch.size, S = batch.sourceLength, T = batch.targetLength, V = config.targetVocabulary
        let enc = Tensor(shape: [B, S, config.encoderOutput])
        MatrixOps.copy(encBM, to: enc.matrix)
        let h = Tensor(shape: [B, config.decoderHidden])
        MatrixOps.copy(h0, to: h.matrix)
        let att = Tensor(shape: [B, T, S])
        MatrixOps.swapLeadingAxes(alpha, outer: T, inner: B, into: att.matrix)
        let lg = Tensor(shape: [B, T, V], repeating: .nan)
        for i in 0..<n where rowOf[i] >= 0 {
            let r = Int(rowOf[i]), t = r / B, b = r % B
            (lg.data + (b * T + t) * V).update(from: logits.row(i), count: V)
        }
        return Seq2SeqIntermediates(encoderOutputs: enc, initialHidden: h, attention: att, logits: lg)
    }
}
