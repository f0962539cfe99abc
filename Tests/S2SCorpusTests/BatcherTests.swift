import Foundation
import Testing
import S2SNumerics
@testable import S2SCorpus

/// 800 real pairs of very different lengths (Tatoeba short, OpenNMT long), all in train.
func mixedStore(_ dir: TempDir) throws -> (CorpusStore, WordEncoder) {
    let store = try dir.store()
    var options = ImportOptions(corpus: "mix", sourceLanguage: "en", targetLanguage: "xx")
    try store.importPairs(from: .tsv(path: Fixture.path("tatoeba-fra-200.tsv")), options: options)
    options.append = true
    try store.importPairs(from: .tsv(path: Fixture.path("tatoeba-jpn-200.tsv")), options: options)
    for name in ["multi30k-200", "opennmt-200"] {
        try store.importPairs(from: .alignedFiles(source: Fixture.path("\(name).en"), target: Fixture.path("\(name).de")), options: options)
    }
    let encoder = WordEncoder(sentences: try allPairs(store, "mix").flatMap { [$0.source, $0.target] })
    return (store, encoder)
}

/// Pair ids of the next `n` batches.
func take(_ batcher: Batcher, _ n: Int) throws -> [[Int64]] {
    try (0..<n).map { _ in try batcher.next().pairIDs }
}

@Suite struct BatcherTests {
    @Test func batchesRespectTheTokenBudgetAndCoverTheEpoch() throws {
        let dir = TempDir()
        let (store, encoder) = try mixedStore(dir)
        let config = BatcherConfig(tokensPerBatch: 300, seed: 42, tokenOverhead: 1)
        let batcher = try Batcher(store: store, corpus: "mix", split: .train, encoder: encoder, config: config)
        #expect(batcher.pairCount + batcher.excluded == 800)
        var seen: [Int64] = []
        var padded = 0, real = 0
        let batches = batcher.batchesInEpoch
        for _ in 0..<batches {
            let batch = try batcher.next()
            #expect(batch.epoch == 0)
            let cost = batch.count * (batch.maxTargetLength + 1)
            #expect(cost <= 300 || batch.count == 1, "batch \(batch.index): \(batch.count) pairs × \(batch.maxTargetLength + 1)")
            // Longest source first.
            #expect(batch.sources.map(\.count) == batch.sources.map(\.count).sorted(by: >))
            seen += batch.pairIDs
            padded += cost
            real += batch.targetTokens + batch.count
        }
        #expect(seen.count == batcher.pairCount && Set(seen).count == seen.count)
        // Similar lengths travel together: little padding compared with the real tokens.
        #expect(Double(padded) < 1.1 * Double(real), "padded \(padded) vs real \(real)")
        // Sorting pools of one batch each (no length grouping at all) pads far more.
        var unsorted = config
        unsorted.poolBatches = 1
        let mixed = try Batcher(store: store, corpus: "mix", split: .train, encoder: encoder, config: unsorted)
        let mixedPadded = try (0..<mixed.batchesInEpoch).map { _ in try mixed.next() }.reduce(0) { $0 + $1.count * ($1.maxTargetLength + 1) }
        #expect(Double(mixedPadded) > 1.4 * Double(real), "unsorted padded \(mixedPadded) vs real \(real)")
        // Batches are full-ish: on average well over half the budget.
        #expect(Double(padded) / Double(batches) > 150)
        #expect(try batcher.next().epoch == 1)
    }

    @Test func idsComeFromTheEncoder() throws {
        let dir = TempDir()
        let (store, encoder) = try mixedStore(dir)
        let batcher = try Batcher(store: store, corpus: "mix", split: .train, encoder: encoder,
                                  config: BatcherConfig(tokensPerBatch: 500, seed: 1))
        let batch = try batcher.next()
        for (i, id) in batch.pairIDs.enumerated() {
            let pair = try #require(try store.pair(id: id))
            #expect(batch.sources[i] == encoder.words(pair.source))
            #expect(batch.targets[i] == encoder.words(pair.target))
        }
    }

    @Test func sameSeedSameBatchesDifferentSeedOrEpochDifferent() throws {
        let dir = TempDir()
        let (store, encoder) = try mixedStore(dir)
        let config = BatcherConfig(tokensPerBatch: 400, seed: 5)
        let a = try Batcher(store: store, corpus: "mix", split: .train, encoder: encoder, config: config)
        let b = try Batcher(store: store, corpus: "mix", split: .train, encoder: encoder, config: config)
        let n = a.batchesInEpoch
        let epochA0 = try take(a, n), epochA1 = try take(a, a.batchesInEpoch)
        #expect(try take(b, n) == epochA0)
        #expect(epochA1 != epochA0)
        var other = config
        other.seed = 6
        let c = try Batcher(store: store, corpus: "mix", split: .train, encoder: encoder, config: other)
        #expect(try take(c, c.batchesInEpoch) != epochA0)
    }

    @Test func unshuffledPlanIsSortedAndRepeats() throws {
        let dir = TempDir()
        let (store, encoder) = try mixedStore(dir)
        let batcher = try Batcher(store: store, corpus: "mix", split: .train, encoder: encoder,
                                  config: BatcherConfig(tokensPerBatch: 400, seed: 0, shuffle: false))
        let first = try (0..<batcher.batchesInEpoch).map { _ in try batcher.next() }
        let longest = first.map(\.maxTargetLength)
        #expect(longest == longest.sorted())
        #expect(try take(batcher, batcher.batchesInEpoch) == first.map(\.pairIDs))
    }

    @Test func positionRoundTripResumesExactly() throws {
        let dir = TempDir()
        let (store, encoder) = try mixedStore(dir)
        let config = BatcherConfig(tokensPerBatch: 350, seed: 2024, tokenOverhead: 2)
        let original = try Batcher(store: store, corpus: "mix", split: .train, encoder: encoder, config: config)
        // Stop in the middle of the second epoch, save, keep going.
        _ = try take(original, original.batchesInEpoch + 3)
        let saved = try JSONEncoder().encode(original.position)
        let continued = try take(original, original.batchesInEpoch + 5) // crosses into epoch 2

        // A different process would open the store anew: so does this.
        let reopened = try CorpusStore(path: store.path, mode: .existing)
        let counting = WordEncoder(sentences: try allPairs(reopened, "mix").flatMap { [$0.source, $0.target] })
        let resumed = try Batcher(store: reopened, corpus: "mix", split: .train, encoder: counting, config: config)
        #expect(counting.calls == 0) // ids came from the cache
        let position = try JSONDecoder().decode(BatchPosition.self, from: saved)
        #expect(position.epoch == 1 && position.batchIndex == 3)
        try resumed.restore(position)
        #expect(resumed.position == position)
        #expect(try take(resumed, continued.count) == continued)
    }

    @Test func positionAtEpochEndRollsOver() throws {
        let dir = TempDir()
        let (store, encoder) = try mixedStore(dir)
        let config = BatcherConfig(tokensPerBatch: 600, seed: 9)
        let a = try Batcher(store: store, corpus: "mix", split: .train, encoder: encoder, config: config)
        _ = try take(a, a.batchesInEpoch)
        let end = a.position
        let next = try take(a, 2)
        let b = try Batcher(store: store, corpus: "mix", split: .train, encoder: encoder, config: config)
        try b.restore(end)
        #expect(try take(b, 2) == next)
    }

    @Test func positionFromOtherSettingsIsRefused() throws {
        let dir = TempDir()
        let (store, encoder) = try mixedStore(dir)
        let a = try Batcher(store: store, corpus: "mix", split: .train, encoder: encoder,
                            config: BatcherConfig(tokensPerBatch: 300, seed: 1))
        let b = try Batcher(store: store, corpus: "mix", split: .train, encoder: encoder,
                            config: BatcherConfig(tokensPerBatch: 301, seed: 1))
        #expect(throws: CorpusError.positionMismatch(expected: b.fingerprint, found: a.fingerprint)) { try b.restore(a.position) }
    }

    @Test func encodingsAreCachedPerKey() throws {
        let dir = TempDir()
        let (store, encoder) = try mixedStore(dir)
        let config = BatcherConfig(tokensPerBatch: 300, seed: 1)
        let first = try Batcher(store: store, corpus: "mix", split: .train, encoder: encoder, config: config)
        #expect(encoder.calls == 800 && first.encoding == EncodingReport(cached: 0, encoded: 800))
        let second = try Batcher(store: store, corpus: "mix", split: .train, encoder: encoder, config: config)
        #expect(encoder.calls == 800 && second.encoding == EncodingReport(cached: 800, encoded: 0))
        let salted = WordEncoder(sentences: try allPairs(store, "mix").flatMap { [$0.source, $0.target] }, salt: "-v2")
        _ = try Batcher(store: store, corpus: "mix", split: .train, encoder: salted, config: config)
        #expect(salted.calls == 800)
        #expect(try store.stats(corpus: "mix").encodings.map(\.pairs) == [800, 800])
        // A pair added later is encoded alone.
        try store.importPairs(from: .tsv(path: dir.write("one.tsv", "brand new\tganz neu\n")),
                              options: ImportOptions(corpus: "mix", append: true))
        let third = try Batcher(store: store, corpus: "mix", split: .train, encoder: encoder, config: config)
        #expect(third.encoding == EncodingReport(cached: 800, encoded: 1))
    }

    @Test func overLongAndEmptyPairsAreLeftOut() throws {
        let dir = TempDir()
        let (store, encoder) = try mixedStore(dir)
        let limit = 12
        let batcher = try Batcher(store: store, corpus: "mix", split: .train, encoder: encoder,
                                  config: BatcherConfig(tokensPerBatch: 300, seed: 1, maxSourceLength: limit, maxTargetLength: limit))
        let tooLong = try allPairs(store, "mix").filter {
            encoder.words($0.source).count > limit || encoder.words($0.target).count > limit
        }.count
        #expect(tooLong > 0 && batcher.excluded == tooLong && batcher.pairCount == 800 - tooLong)
        for _ in 0..<batcher.batchesInEpoch {
            let batch = try batcher.next()
            #expect(batch.maxSourceLength <= limit && batch.maxTargetLength <= limit)
        }
        #expect(throws: CorpusError.emptySplit(corpus: "mix", split: "test")) {
            try Batcher(store: store, corpus: "mix", split: .test, encoder: encoder, config: BatcherConfig(tokensPerBatch: 300, seed: 1))
        }
    }

    @Test func positionJSONKeepsFull64BitState() throws {
        var rng = PCG32(seed: 0xFFFF_FFFF_FFFF_FFFF)
        _ = rng.nextUInt32()
        let position = BatchPosition(epoch: 3, batchIndex: 17, epochRNG: rng, fingerprint: 0xFEDC_BA98_7654_3210)
        let decoded = try JSONDecoder().decode(BatchPosition.self, from: JSONEncoder().encode(position))
        #expect(decoded == position)
    }
}
