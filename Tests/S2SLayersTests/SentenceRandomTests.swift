import Testing
import S2SLayers
import S2SNumerics

private func firstDraws(_ random: SentenceRandom, purpose: UInt64, row: Int, step: Int) -> [UInt32] {
    var g = random.generator(purpose: purpose, row: row, step: step)
    return (0..<4).map { _ in g.nextUInt32() }
}

@Test func generatorIsAFunctionOfSeedPurposeAndStep() {
    let random = SentenceRandom(seeds: [5, 6, 5])
    let base = firstDraws(random, purpose: 1, row: 0, step: 3)
    // Same seed, purpose and step: the same numbers, whichever row holds the seed.
    #expect(firstDraws(random, purpose: 1, row: 0, step: 3) == base)
    #expect(firstDraws(random, purpose: 1, row: 2, step: 3) == base)
    // Any one of the three changed: other numbers.
    #expect(firstDraws(random, purpose: 1, row: 1, step: 3) != base)
    #expect(firstDraws(random, purpose: 2, row: 0, step: 3) != base)
    #expect(firstDraws(random, purpose: 1, row: 0, step: 4) != base)
    // xor-related inputs stay apart (a plain xor of seed, purpose and step would merge them).
    #expect(firstDraws(random, purpose: 0, row: 0, step: 2) != base)
    // Every encoder layer has a purpose of its own, none equal to the other purposes.
    let P = SentenceRandom.Purpose.self
    let named = [P.sourceEmbeddingDropout, P.targetEmbeddingDropout, P.outputFeaturesDropout, P.scheduledSamplingCoin,
                 P.sampledToken, P.sourceWordDropout, P.targetWordDropout, P.encoderOutputDropout,
                 P.sourceBPEDropout, P.targetBPEDropout]
    let layers = (0..<8).flatMap { [P.encoderLayerDropout(layer: $0), P.decoderLayerDropout(layer: $0)] }
    #expect(Set(named + layers).count == named.count + layers.count)
}

@Test func seedsDrawnFromAStreamAreReproducibleAndSubsettable() {
    var a = PCG32(seed: 9), b = PCG32(seed: 9)
    let r1 = SentenceRandom(count: 5, drawingFrom: &a), r2 = SentenceRandom(count: 5, drawingFrom: &b)
    #expect(r1 == r2 && a == b)
    #expect(Set(r1.seeds).count == 5)
    #expect(r1.rows([3, 0]).seeds == [r1.seeds[3], r1.seeds[0]])
}

/// A sentence's dropout mask depends on its seed and the time step only: the same in a batch of
/// one without padding and in a larger, longer-padded batch at another row.
@Test func dropoutMaskOfASentenceIgnoresBatchSizeAndPadding() {
    let d = Dropout(0.4)
    let cols = 33, seed: UInt64 = 0xC0FFEE, purpose = SentenceRandom.Purpose.targetEmbeddingDropout
    func mask(seeds: [UInt64], steps: Int) -> Tensor {
        let m = Tensor(shape: [steps * seeds.count, cols])
        d.drawMask(m.matrix, random: SentenceRandom(seeds: seeds), purpose: purpose, batch: seeds.count)
        return m
    }
    let alone = mask(seeds: [seed], steps: 3)
    let batched = mask(seeds: [1, 2, 3, seed, 4], steps: 7)
    let other = mask(seeds: [2, 3, seed], steps: 5)
    for t in 0..<3 {
        for j in 0..<cols {
            #expect(batched.matrix[t * 5 + 3, j] == alone.matrix[t, j], "step \(t) unit \(j)")
            #expect(other.matrix[t * 3 + 2, j] == alone.matrix[t, j], "step \(t) unit \(j)")
        }
    }
    // Other sentences and other steps draw other masks (the comparison above is not vacuous).
    let row0 = (0..<cols).map { alone.matrix[0, $0] }
    #expect((0..<cols).map { alone.matrix[1, $0] } != row0)
    #expect((0..<cols).map { batched.matrix[2, $0] } != row0)
    #expect(Set(row0).count == 2)
}
