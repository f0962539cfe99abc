import Testing
import S2SLayers
import S2SModel
import S2SNumerics

/// Six sentence pairs whose sources (1–6 tokens) and targets (0–6 tokens) all differ in length,
/// so every split pads differently from the whole batch.
private func sixPairs() -> (sources: [[Int32]], targets: [[Int32]]) {
    var rng = PCG32(seed: 17)
    let sourceLengths = [3, 6, 1, 4, 2, 5], targetLengths = [4, 0, 2, 6, 3, 1]
    let sources = sourceLengths.map { n in (0..<n).map { _ in Int32(4 + rng.nextUInt32() % 7) } }
    let targets = targetLengths.map { n in (0..<n).map { _ in Int32(4 + rng.nextUInt32() % 9) } }
    return (sources, targets)
}

private struct PassTotals {
    var lossSum = 0.0, tokens = 0, ownFed = 0
    var grads: [[Float]] = []
}

/// Runs `forwardBackward` on each part (rows of the six pairs, in the order given, each keeping
/// its own seed), accumulating gradients over the parts from zero.
private func run(_ model: Seq2SeqModel, parts: [[Int]], seeds: [UInt64], options: TrainingStepOptions) throws -> PassTotals {
    let pairs = sixPairs()
    var totals = PassTotals()
    model.parameters.zeroGrad()
    for rows in parts {
        let batch = try Seq2SeqBatch(sources: rows.map { pairs.sources[$0] }, targets: rows.map { pairs.targets[$0] })
        let r = try model.forwardBackward(batch, options: options, random: SentenceRandom(seeds: rows.map { seeds[$0] }))
        totals.lossSum += r.lossSum
        totals.tokens += r.tokenCount
        totals.ownFed += r.ownPredictionsFed
    }
    totals.grads = model.parameters.all.map { $0.grad.array }
    return totals
}

/// What data-parallel training relies on: with dropout (recurrent too) and scheduled sampling on, the gradients
/// of disjoint sub-batches (normalized by the whole batch's token count) sum to the whole batch's
/// gradient, because each sentence draws the same masks, coins and tokens wherever it runs.
@Test(arguments: [
    (FeedChoice.argmax, [[1, 3, 0], [5, 2, 4]]),
    (.sample, [[4, 1], [0, 5, 3, 2]]),
    (.argmax, [[0], [1], [2], [3], [4], [5]]),
])
func splitBatchGradientsSumToTheWholeBatch(feedChoice: FeedChoice, parts: [[Int]]) throws {
    let model = try smallModel(.additive, layers: 2, decoderLayers: 2, dropout: 0.3) {
        var c = $0
        c.recurrentDropout = 0.25
        return c
    }
    var rng = PCG32(seed: 5)
    let seeds = (0..<6).map { _ in rng.next() }
    let pairs = sixPairs()
    let whole = try Seq2SeqBatch(sources: pairs.sources, targets: pairs.targets)
    let options = TrainingStepOptions(goldProbability: 0.5, feedChoice: feedChoice, gradientNormalizer: whole.targetTokenCount)
    let all = try run(model, parts: [Array(0..<6)], seeds: seeds, options: options)
    let split = try run(model, parts: parts, seeds: seeds, options: options)
    #expect(all.ownFed > 0, "scheduled sampling fed no own prediction")
    #expect(split.tokens == all.tokens && split.ownFed == all.ownFed)
    #expect(abs(split.lossSum - all.lossSum) <= 1e-5 * all.lossSum)
    for (p, (g, h)) in zip(model.parameters.all, zip(all.grads, split.grads)) {
        let scale = g.map { abs($0) }.max()!
        #expect(scale > 0, "\(p.name) has no gradient")
        let worst = zip(g, h).map { abs($0 - $1) }.max()!
        #expect(worst <= 1e-4 * scale, "\(p.name): max |Δg| \(worst), max |g| \(scale)")
    }
    // The draws matter: other seeds give another loss (so the agreement above is not vacuous).
    let reseeded = try run(model, parts: [Array(0..<6)], seeds: seeds.map { $0 ^ 1 }, options: options)
    #expect(abs(reseeded.lossSum - all.lossSum) > 1e-4 * all.lossSum)
}
