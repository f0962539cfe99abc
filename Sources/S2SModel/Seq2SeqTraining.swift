import S2SLayers
import S2SNumerics
import S2SText

/// How a scheduled-sampling step picks the token it feeds instead of the gold one.
package enum FeedChoice: String, Codable, Sendable {
    /// The model's most probable token (Bengio et al. 2015, and the reference).
    case argmax
    /// A token drawn from the model's softmax.
    case sample
}

/// Options of one training (or evaluation) pass.
package struct TrainingStepOptions: Sendable {
    /// Scheduled sampling: each `y_prev` (t ≥ 1, gold not `<pad>`) is the gold token with this
    /// probability and the model's own prediction otherwise. 1 = teacher forcing.
    package var goldProbability: Float
    package var feedChoice: FeedChoice
    /// Dropout on (training) or off (evaluation).
    package var training: Bool
    /// Run backward and accumulate parameter gradients.
    package var computeGradients: Bool
    /// Gradients are of `lossSum / gradientNormalizer` (default: this batch's target tokens).
    /// Set it to the token count of several batches when accumulating gradients over them.
    package var gradientNormalizer: Int?
    /// Return encoder outputs, h0, attention and logits (fixture checks, inspection).
    package var captureIntermediates: Bool

    package init(goldProbability: Float = 1, feedChoice: FeedChoice = .argmax, training: Bool = true,
                computeGradients: Bool = true, gradientNormalizer: Int? = nil, captureIntermediates: Bool = false) {
        self.goldProbability = goldProbability
        self.feedChoice = feedChoice
        self.training = training
        self.computeGradients = computeGradients
        self.gradientNormalizer = gradientNormalizer
        self.captureIntermediates = captureIntermediates
    }

    /// Forward only, no dropout, teacher forcing: validation loss.
    package static let evaluation = TrainingStepOptions(training: false, computeGradients: false)
}

/// What a training pass returns.
package struct TrainingStepResult: Sendable {
    /// Σ over target tokens of the (label-smoothed) cross-entropy.
    package let lossSum: Double
    /// Target tokens that carried loss (targetOutput ≠ `<pad>`).
    package let tokenCount: Int
    /// Positions fed the model's own prediction (scheduled sampling).
    package let ownPredictionsFed: Int
    package let intermediates: Seq2SeqIntermediates?

    package var meanLoss: Double { tokenCount > 0 ? lossSum / Double(tokenCount) : 0 }
}

/// Activations of one pass, batch-major, for comparison with a reference.
package struct Seq2SeqIntermediates: @unchecked Sendable {
    package let encoderOutputs: Tensor  // [B, S, 2H]
    package let initialHidden: Tensor   // [B, Hd]
    package let attention: Tensor       // [B, T, S]
    /// [B, T, V]; NaN at positions whose targetOutput is `<pad>` (never projected).
    package let logits: Tensor
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
    package func forwardBackward(_ batch: Seq2SeqBatch, options: TrainingStepOptions = TrainingStepOptions(),
                                random: SentenceRandom,
                                observer: (any BackwardObserver)? = nil) throws(LayerError) -> TrainingStepResult {
        try batch.validate(for: config)
        guard random.count == batch.size else {
            throw .invalidBatch("\(random.count) sentence seeds for \(batch.size) sentences")
        }
        let B = batch.size, S = batch.sourceLength, T = batch.targetLength
        let Dout = config.outputInput
        let ws = trainWorkspace, ix = trainIndices, prec = precision
        let rates = config.dropoutRates.when(options.training)

        // Time-major id copies: row t·B + b is position t of sentence b.
        let fed = decoder.fed.reserve(T * B), tgt = ix.targets.reserve(T * B)
        for b in 0..<B {
            for t in 0..<T {
                fed[t * B + b] = batch.targetInput[b * T + t]
                tgt[t * B + b] = batch.targetOutput[b * T + t]
            }
        }
        profile.lap("batch setup")

        let (memory, h0) = encoder.forward(batch, decoderSteps: T, dropout: rates, training: options.training, random: random,
                                           precision: prec)
        profile.lap("encoder forward")
        let (F, alpha, ownFed) = decoder.forward(
            steps: T, batch: B, sourceLength: S, h0: h0, training: options.training,
            feed: RecurrentDecoder.Feed(goldProbability: options.goldProbability, choice: options.feedChoice), random: random,
            precision: prec)
        profile.lap("decoder forward")

        // Output layer + loss over the positions that carry loss, all steps at once. Padded
        // positions are left out, but the projected row count is a multiple of 64 (zero rows,
        // ignored targets) so batches of varying length reuse a few GEMM shapes.
        let pad = SpecialTokens.pad
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
        let hidden = decoder.output.isTied ? ws.matrix("Tout", rows: m, cols: decoder.output.hiddenSize) : nil
        decoder.output.forward(fc, hidden: hidden, into: logits, precision: prec)
        profile.lap("output forward")
        let captured = options.captureIntermediates
            ? capture(batch: batch, encBM: memory.encoder, h0: h0, alpha: alpha, logits: logits, rowOf: rowOf, count: m) : nil
        let ce = SoftmaxCrossEntropy(ignoreIndex: pad, labelSmoothing: config.labelSmoothing)
        // A separate gradient buffer: the cross-entropy kernel vectorizes only when its output
        // does not alias the logits (4x faster at [1280, 8000]).
        let dLogits = options.computeGradients ? ws.matrix("dLogits", rows: m, cols: config.targetVocabulary) : nil
        let (lossSum, count) = n > 0
            ? ce.evaluate(logits: logits, targets: ctg, gradient: dLogits, normalizer: options.gradientNormalizer ?? n)
            : (0, 0)
        profile.lap("softmax + loss")
        let result = TrainingStepResult(lossSum: lossSum, tokenCount: count, ownPredictionsFed: ownFed, intermediates: captured)
        guard options.computeGradients, let dLogits, n > 0 else { return result }

        // Backward: output layer, the decoder's steps in reverse, then the encoder.
        let dfc = ws.matrix("dFc", rows: m, cols: Dout)
        let dHidden = decoder.output.isTied ? ws.matrix("dTout", rows: m, cols: decoder.output.hiddenSize) : nil
        decoder.output.backward(features: fc, hidden: hidden, scratch: dHidden, dLogits: dLogits, dFeatures: dfc, precision: prec)
        observer?.gradientsFinal(parametersFinishedFirst)
        profile.lap("output backward")
        let dF: Matrix
        if full {
            dF = dfc
        } else {
            dF = ws.matrix("dF", rows: T * B, cols: Dout, zeroed: true)
            for i in 0..<n { dF.row(Int(rowOf[i])).update(from: dfc.row(i), count: Dout) }
        }
        let dh0 = decoder.backward(dF: dF, precision: prec, observer: observer)
        profile.lap("decoder backward")
        observer?.backwardProgress()
        encoder.backward(dh0: dh0, precision: prec)
        profile.lap("encoder backward")
        return result
    }

    /// `forwardBackward(_:options:random:)` with one sentence seed per batch row drawn from `rng`
    /// (`batch.size` draws of `next()`, whether or not the pass uses them): for callers that
    /// keep a single stream. Reproducible, but a sentence's seed then depends on its place in the
    /// stream, so splitting the batch changes the draws; data-parallel callers pass `random`.
    @discardableResult
    package func forwardBackward(_ batch: Seq2SeqBatch, options: TrainingStepOptions = TrainingStepOptions(),
                                rng: inout PCG32) throws(LayerError) -> TrainingStepResult {
        try forwardBackward(batch, options: options, random: SentenceRandom(count: batch.size, drawingFrom: &rng))
    }

    /// Validation: mean loss with dropout off, teacher forcing, no gradients (so no draws: the
    /// seeds are never read).
    package func evaluationLoss(_ batch: Seq2SeqBatch) throws(LayerError) -> TrainingStepResult {
        try forwardBackward(batch, options: .evaluation, random: SentenceRandom(seeds: Array(repeating: 0, count: batch.size)))
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
