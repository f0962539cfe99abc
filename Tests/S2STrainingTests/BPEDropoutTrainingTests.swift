import Foundation
import Testing
import S2SCorpus
import S2SNumerics
import S2SText
@testable import S2STraining

/// `s2s train --bpe-dropout P`: the training split is segmented anew every epoch, as a function
/// of run seed, epoch and pair alone; validation and P = 0 keep the cached full-merge ids.
@Suite(.serialized) struct BPEDropoutTrainingTests {
    @Test func theRateIsAProbabilityBelowOneFromFlagOrFile() throws {
        for bad in [1.0, 1.5, -0.1, Double.nan] {
            var o = TrainingOverrides()
            o.bpeDropout = bad
            #expect(throws: TrainingError.self) { try o.resolve(saved: nil) }
            do {
                _ = try o.resolve(saved: nil)
            } catch {
                #expect(error.description.hasPrefix("--bpe-dropout must be a probability in [0, 1), got"), "\(error)")
            }
        }
        var o = TrainingOverrides()
        o.bpeDropout = 0.1
        let resolved = try o.resolve(saved: nil)
        #expect(resolved.bpeDropout == 0.1 && resolved.summaryLines[1].contains("bpe-dropout 0.1"))
        #expect(try TrainingOverrides().resolve(saved: nil).bpeDropout == 0)
        // The configuration file's key is the flag's name, and a written configuration carries it.
        let file = try TrainingConfigFile.parse(Data(#"{"bpe-dropout": 0.25}"#.utf8), name: "c.json")
        #expect(file.overrides.bpeDropout == 0.25)
        #expect(TrainingConfigFile(options: resolved).json.contains(#""bpe-dropout" : 0.1"#))
        // A resume may not change it; a checkpoint written before the option decodes as off.
        var other = TrainingOverrides()
        other.bpeDropout = 0.2
        #expect(throws: TrainingError.self) { try other.resolve(saved: resolved) }
        var old = try JSONSerialization.jsonObject(with: Data(resolved.json.utf8)) as? [String: Any] ?? [:]
        old["bpeDropout"] = nil
        let decoded = try TrainingOptions.decode(String(decoding: try JSONSerialization.data(withJSONObject: old), as: UTF8.self))
        #expect(decoded.bpeDropout == 0)
    }

    /// The same seed and epoch give the same ids; other epochs give other segmentations of the
    /// same text; no piece becomes `<unk>`.
    @Test func aPairIsSegmentedAnewEachEpochAndAlikeForTheSameSeedAndEpoch() throws {
        let fixture = try TrainingFixture(train: 40, valid: 4, dropoutSymbols: true)
        let pipelines = try TextPipelinePair(directory: fixture.vocabulary)
        let encoder = try BPEDropoutEncoder(pipelines: pipelines, dropout: 0.3, seed: 7)
        let again = try BPEDropoutEncoder(pipelines: pipelines, dropout: 0.3, seed: 7)
        let (source, target) = try #require(fixture.trainPairs.max { $0.0.count + $0.1.count < $1.0.count + $1.1.count })
        let full = try pipelines.encode(source: source, target: target)
        var seen: Set<[Int32]> = []
        for epoch in 0..<8 {
            let a = try encoder.encode(source: source, target: target, pair: 5, epoch: epoch)
            let b = try again.encode(source: source, target: target, pair: 5, epoch: epoch)
            #expect(a.source == b.source && a.target == b.target, "epoch \(epoch)")
            #expect(!a.source.contains(SpecialTokens.unk) && !a.target.contains(SpecialTokens.unk))
            // Other pieces, the same text.
            #expect(pipelines.source.decode(a.source) == pipelines.source.decode(full.source))
            #expect(pipelines.target.decode(a.target) == pipelines.target.decode(full.target))
            seen.insert(a.source + [-1] + a.target)
        }
        #expect(seen.count > 2, "8 epochs gave \(seen.count) segmentations")
        #expect(seen.contains { $0 != full.source + [-1] + full.target })
        // Another pair id draws other coins for the same text.
        let pairs = try (0..<8).map { try encoder.encode(source: source, target: target, pair: Int64(100 + $0), epoch: 0) }
        #expect(Set(pairs.map { $0.source + [-1] + $0.target }).count > 1)
    }

    /// Without --dropout-symbols the vocabulary lacks intermediate pieces: those words keep their
    /// full merge instead of turning into `<unk>`, and the start-up note names the flag.
    @Test func piecesMissingFromTheVocabularyFallBackToTheFullMerge() throws {
        let plain = try TrainingFixture(train: 60, valid: 4)
        let pipelines = try TextPipelinePair(directory: plain.vocabulary)
        #expect(pipelines.source.missingDropoutSymbols.missing > 0)
        let note = try #require(BPEDropoutEncoder.vocabularyNote(pipelines, directory: plain.vocabulary))
        #expect(note.contains("s2s vocab build --dropout-symbols"))
        var rawUnknowns = 0, fallbackUnknowns = 0, differs = 0
        var rng = PCG32(seed: 3)
        for (source, _) in plain.trainPairs {
            let full = try pipelines.source.encode(source)
            let raw = try pipelines.source.encode(source, dropout: 0.5, using: &rng)
            let kept = try pipelines.source.encodeKnownPieces(source, dropout: 0.5, using: &rng)
            rawUnknowns += raw.filter { $0 == SpecialTokens.unk }.count
            fallbackUnknowns += kept.filter { $0 == SpecialTokens.unk }.count - full.filter { $0 == SpecialTokens.unk }.count
            if kept != full { differs += 1 }
        }
        #expect(rawUnknowns > 0, "the plain vocabulary should miss some dropout pieces")
        #expect(fallbackUnknowns == 0)
        #expect(differs > 0, "dropout should still change the words whose pieces the vocabulary has")

        let complete = try TrainingFixture(train: 60, valid: 4, dropoutSymbols: true)
        let all = try TextPipelinePair(directory: complete.vocabulary)
        #expect(all.source.missingDropoutSymbols.missing == 0 && all.target.missingDropoutSymbols.missing == 0)
        #expect(BPEDropoutEncoder.vocabularyNote(all, directory: complete.vocabulary) == nil)
    }

    /// P = 0 reads the cached ids, which are exactly the pipelines' encoding of the pair's text;
    /// P > 0 changes them between epochs, and a batcher restored at a saved position (resume)
    /// or split into shares (MPI ranks) gives the very ids of the uninterrupted single batcher.
    @Test func batchesResumeAndShareExactly() throws {
        let fixture = try TrainingFixture(train: 50, valid: 4, dropoutSymbols: true)
        let pipelines = try TextPipelinePair(directory: fixture.vocabulary)
        let store = try CorpusStore(path: fixture.database, mode: .existing)
        var text: [Int64: (String, String)] = [:]
        let cursor = try store.pairs(corpus: fixture.corpus, split: .train)
        while let pair = try cursor.next() { text[pair.id] = (pair.source, pair.target) }
        cursor.close()
        let config = BatcherConfig(tokensPerBatch: 200, seed: 11, tokenOverhead: 1, maxSourceLength: 100, maxTargetLength: 100)
        func batcher(_ dropout: Double) throws -> Batcher {
            let b = try Batcher(store: store, corpus: fixture.corpus, split: .train, encoder: pipelines, config: config)
            if dropout > 0 { b.epochEncoder = try BPEDropoutEncoder(pipelines: pipelines, dropout: dropout, seed: 9) }
            return b
        }
        let plain = try batcher(0)
        for _ in 0..<plain.batchesInEpoch {
            let batch = try plain.next()
            for (i, id) in batch.pairIDs.enumerated() {
                let (s, t) = try #require(text[id])
                let cached = try pipelines.encode(source: s, target: t)
                #expect(batch.sources[i] == cached.source && batch.targets[i] == cached.target)
            }
        }

        let straight = try batcher(0.2)
        var byEpoch: [[Int64: [Int32]]] = [[:], [:], [:]]
        var batches: [Batch] = []
        var epochOneStart: BatchPosition?
        while true {
            let position = straight.position
            let batch = try straight.next()
            if batch.epoch == 1 && batch.index == 0 { epochOneStart = position }
            if batch.epoch == 3 { break }
            batches.append(batch)
            #expect(batch.globalTargetIds == batch.targetTokens)
            for (i, id) in batch.pairIDs.enumerated() {
                byEpoch[batch.epoch][id] = batch.sources[i] + [-1] + batch.targets[i]
                let (s, t) = try #require(text[id])
                let full = try pipelines.encode(source: s, target: t)
                #expect(pipelines.source.decode(batch.sources[i]) == pipelines.source.decode(full.source))
                #expect(pipelines.target.decode(batch.targets[i]) == pipelines.target.decode(full.target))
            }
        }
        let changed = byEpoch[0].keys.filter { byEpoch[0][$0] != byEpoch[1][$0] }.count
        #expect(changed > byEpoch[0].count / 4, "only \(changed) of \(byEpoch[0].count) pairs changed between epochs")

        // Resume: a fresh batcher at the saved start of epoch 2 gives the same batches.
        let resumed = try batcher(0.2)
        try resumed.restore(try #require(epochOneStart))
        for expected in batches where expected.epoch >= 1 {
            let got = try resumed.next()
            #expect(got.pairIDs == expected.pairIDs && got.sources == expected.sources && got.targets == expected.targets)
        }

        // Two shares: together the single batch, each with the global target count.
        let first = try batcher(0.2), second = try batcher(0.2)
        for expected in batches {
            let a = try first.next(share: 0, of: 2), b = try second.next(share: 1, of: 2)
            var ids: [Int64: [Int32]] = [:]
            for share in [a, b] {
                #expect(share.globalTargetIds == expected.globalTargetIds && share.globalPairs == expected.globalPairs)
                for (i, id) in share.pairIDs.enumerated() { ids[id] = share.sources[i] + [-1] + share.targets[i] }
            }
            let single = Dictionary(uniqueKeysWithValues: expected.pairIDs.enumerated().map {
                ($1, expected.sources[$0] + [-1] + expected.targets[$0])
            })
            #expect(ids == single)
        }
    }

    /// A real run with --bpe-dropout 0.1 over several epochs: it trains and writes a model, its
    /// validation data is the deterministic encoding, and N + resume + N equals 2N bit for bit.
    @Test func trainingWithBPEDropoutResumesBitIdentically() throws {
        let fixture = try TrainingFixture(train: 30, valid: 6, dropoutSymbols: true)
        var options = TrainingFixture.tinyOptions(dropout: 0.1)
        options.bpeDropout = 0.1
        options.validEvery = 4
        options.maxSteps = 12
        var lines: [String] = []
        let straight = try fixture.trainer(options, output: "straight", events: { e in
            if case let .started(l) = e { lines = l }
        })
        #expect(straight.batcher.epochEncoder != nil)
        let summary = try straight.run()
        #expect(summary.step == 12 && straight.state.batcher.epoch >= 2, "epoch \(straight.state.batcher.epoch)")
        #expect(FileManager.default.fileExists(atPath: straight.modelPath))
        #expect(lines.contains { $0.contains("bpe-dropout 0.1") })
        let validator = try #require(straight.validator)
        let deterministic = try fixture.validPairs.map { try straight.pipelines.target.encode($0.1) }
        #expect(validator.targets == deterministic)

        options.maxSteps = 6
        let first = try fixture.trainer(options, output: "split")
        #expect(try first.run().step == 6)
        options.maxSteps = 12
        let second = try fixture.trainer(options, output: "split", start: .resume)
        _ = try second.run()
        #expect(parameterBits(second.model) == parameterBits(straight.model))
        #expect(second.state.batcher == straight.state.batcher)

        // P = 0 trains on the cached ids.
        options.bpeDropout = 0
        #expect(try fixture.trainer(options, output: "off").batcher.epochEncoder == nil)
    }

    /// A word-level vocabulary has no merges to drop: refused in one line, before any write.
    @Test func aWordLevelVocabularyIsRefused() throws {
        let fixture = try TrainingFixture(train: 20, valid: 2, merges: 0)
        var options = TrainingFixture.tinyOptions()
        options.bpeDropout = 0.1
        do {
            _ = try fixture.trainer(options, output: "words")
            Issue.record("a word-level vocabulary was accepted")
        } catch {
            #expect("\(error)".contains("--bpe-dropout 0.1 needs BPE codes"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.output("words")))
    }
}
