import S2SCorpus
import S2SDistributed
import S2SLayers
import S2SModel
import S2SNumerics

/// One update's gradient: `accumulate` global batches, this rank's share of each, summed over
/// the ranks.
extension Trainer {
    /// What the ranks computed together in one step.
    struct StepResult {
        /// Σ loss and loss-carrying target tokens over all ranks and accumulated batches.
        var lossSum: Double
        var tokens: Int
        /// Epoch (0-based) of the last batch.
        var epoch: Int
        /// Set when the run must end before this step's update (agreed by all ranks).
        var stop: StopReason?
    }

    /// Leaves in every parameter's `grad` the gradient of Σ loss / N over the global batch(es),
    /// N their loss-carrying target tokens, identical on every rank.
    ///
    /// Equal math across rank counts: the loss of a batch is a sum over its sentences, each
    /// sentence's forward pass depends on no other (lengths mask padding, attention and the loss),
    /// and every rank divides by the same global N (known from the batch plan without asking
    /// the others), so the ranks' summed gradients are one process's gradient up to the order
    /// of fp32 additions.
    func computeGradients(goldProbability gold: Double, stopRequested: Bool, timeUp: Bool) throws -> StepResult {
        var shares: [Batch] = []
        shares.reserveCapacity(options.accumulate)
        for _ in 0..<options.accumulate {
            shares.append(try batcher.next(share: communicator.rank, of: communicator.size))
        }
        let normalizer = shares.reduce(0) { $0 + $1.globalTargetIds + $1.globalPairs * SequenceFraming.targetOverhead }
        model.parameters.zeroGrad()
        var lossSum = 0.0, tokens = 0
        let stepOptions = TrainingStepOptions(goldProbability: Float(gold), feedChoice: options.feedChoice,
                                              gradientNormalizer: normalizer)
        let last = shares.lastIndex { $0.count > 0 }
        for (i, share) in shares.enumerated() where share.count > 0 {
            let batch = try SequenceFraming.batch(sources: share.sources, targets: share.targets)
            let random = SentenceRandom(seeds: share.pairIDs.map { Self.sentenceSeed(run: options.seed, step: state.step, pair: $0) })
            // Only the last pass's gradients are final when they come out of it.
            let observer = i == last ? gradients.observer(for: communicator, compression: options.gradientCompression) : nil
            let r = try model.forwardBackward(batch, options: stepOptions, random: random, observer: observer)
            lossSum += r.lossSum
            tokens += r.tokenCount
        }
        try gradients.reduce(over: communicator, compression: options.gradientCompression)
        // One small collective carries the loss figures and the stop votes: a signal on any
        // rank, or rank 0's clock (the only one that decides --max-time).
        var totals = [lossSum, Double(tokens), stopRequested ? 1 : 0, isRoot && timeUp ? 1 : 0]
        try communicator.allreduceSum(&totals)
        let stop: StopReason? = totals[2] > 0 ? .interrupted : totals[3] > 0 ? .maxTime : nil
        return StepResult(lossSum: totals[0], tokens: Int(totals[1]), epoch: shares.last?.epoch ?? 0, stop: stop)
    }

    /// The seed of a pair's random draws (dropout masks, scheduled-sampling coins) at an update:
    /// a function of the run's seed, the update and the pair alone, so a pair draws the same
    /// numbers whichever rank, batch position or padding it gets, and a resumed run (with any
    /// number of ranks) draws what the uninterrupted one would have.
    static func sentenceSeed(run seed: UInt64, step: Int, pair: Int64) -> UInt64 {
        foldedSeed(seed &+ 2, round: step, pair: pair)
    }

    /// A pair's seed in one round (an update, an epoch) from a seed derived from the run's:
    /// folded in as `SentenceRandom.generator` folds purpose and time step.
    static func foldedSeed(_ base: UInt64, round: Int, pair: Int64) -> UInt64 {
        SentenceRandom.mix(SentenceRandom.mix(SentenceRandom.mix(base) ^ UInt64(truncatingIfNeeded: round))
                           ^ UInt64(bitPattern: pair))
    }
}
