import Testing
import Foundation
@testable import S2SText

/// Building a pipeline directory from sentence pairs, loading it, and line ↔ ids.
@Suite struct PipelineTests {
    /// The committed Tatoeba en–fr sample as pairs.
    static func pairs() throws -> [(String, String)] {
        var out: [(String, String)] = []
        try ParallelText.forEachPair(tsv: Fixture.path("corpus-sample/tatoeba.fra.txt")) { out.append(($0, $1)) }
        return out
    }

    static func options(merges: Int = 500, joint: Bool = true, shared: Bool = false, minCount: Int = 1,
                        maxSize: Int? = nil, lowercase: Bool = false, dropoutSymbols: Bool = false) -> VocabularyBuildOptions {
        VocabularyBuildOptions(source: TokenizerSettings(language: "en", lowercase: lowercase),
                               target: TokenizerSettings(language: "fr", lowercase: lowercase),
                               merges: merges, joint: joint, shared: shared, minCount: minCount, maxSize: maxSize,
                               dropoutSymbols: dropoutSymbols)
    }

    static func build(_ options: VocabularyBuildOptions) throws -> (BuiltPipeline, String, [(String, String)]) {
        let pairs = try pairs()
        let builder = try VocabularyBuilder(options: options)
        try builder.add(pairs: pairs)
        #expect(builder.pairs == pairs.count)
        let built = builder.finish()
        let dir = try Fixture.temporaryDirectory() + "/vocab/sample"
        try built.write(to: dir)
        return (built, dir, pairs)
    }

    @Test func encodeDecodeRoundTrip() throws {
        let (built, dir, pairs) = try Self.build(Self.options())
        #expect(built.sourceCodes == built.targetCodes && built.sourceCodes?.merges.count == 500)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir))
                == ["pipeline.json", "joint.bpe", "source.vocab", "target.vocab"])
        let source = try TextPipeline.load(directory: dir, side: .source)
        let target = try TextPipeline.load(directory: dir, side: .target)
        #expect(source.vocabulary.contentHash == built.sourceVocabulary.contentHash)
        #expect(built.sourceCoverage.unknown == 0 && built.targetCoverage.unknown == 0, "min count 1 keeps every piece")
        for (s, t) in pairs {
            for (line, pipeline) in [(s, source), (t, target)] {
                let ids = try pipeline.encode(line)
                #expect(!ids.contains(SpecialTokens.unk))
                #expect(ids == (try pipeline.pieces(line)).map { pipeline.vocabulary.id($0) })
                #expect(pipeline.decode(ids) == (try pipeline.tokenizer.normalize(line)), "\(line)")
                #expect(pipeline.decode([SpecialTokens.bos] + ids + [SpecialTokens.eos, SpecialTokens.pad]) == pipeline.decode(ids))
            }
        }
        // BPE really splits: fewer pieces than characters, more than tokens, on the French side.
        let line = "Je ne comprends pas pourquoi tu es parti."
        #expect(try target.pieces(line).count > target.tokenizer.tokenize(line).count)
        #expect(target.decode([SpecialTokens.unk]) == "<unk>")
    }

    @Test func pairEncoderShape() throws {
        let (_, dir, pairs) = try Self.build(Self.options(merges: 200))
        let pair = try TextPipelinePair(directory: dir)
        let again = try TextPipelinePair(directory: dir).copy()
        #expect(pair.cacheKey == again.cacheKey && pair.cacheKey.count == 64)
        let (s, t) = pairs[3]
        let ids = try pair.encode(source: s, target: t)
        let separately = (try pair.source.encode(s), try again.target.encode(t))
        #expect(ids.source == separately.0 && ids.target == separately.1)
        let (_, other, _) = try Self.build(Self.options(merges: 201))
        let otherKey = try TextPipelinePair(directory: other).cacheKey
        #expect(otherKey != pair.cacheKey)
    }

    @Test func dropoutCopyAndFingerprint() throws {
        let (plain, _, _) = try Self.build(Self.options(minCount: 2))
        let (built, dir, _) = try Self.build(Self.options(minCount: 2, dropoutSymbols: true))
        #expect(built.targetVocabulary.count > plain.targetVocabulary.count)
        let a = try TextPipeline.load(directory: dir, side: .target)
        let b = try a.copy()
        let line = "Nous étions extrêmement fatigués après la randonnée."
        #expect(try a.encode(line) == b.encode(line))
        #expect(a.fingerprint == b.fingerprint && a.fingerprint.count == 64)
        #expect(a.fingerprint != (try TextPipeline.load(directory: dir, side: .source)).fingerprint)
        var rng = SplitMix(seed: 3)
        var variants = Set<[Int32]>()
        for _ in 0..<30 {
            let ids = try a.encode(line, dropout: 0.2, using: &rng)
            #expect(!ids.contains(SpecialTokens.unk), "dropout symbols are in the vocabulary")
            #expect(a.decode(ids) == (try a.tokenizer.normalize(line)))
            variants.insert(ids)
        }
        #expect(variants.count > 1)
    }

    @Test func sharedSeparateAndWordLevelLayouts() throws {
        let (shared, dir1, _) = try Self.build(Self.options(shared: true))
        #expect(shared.sourceVocabulary == shared.targetVocabulary)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir1)) == ["pipeline.json", "joint.bpe", "shared.vocab"])

        let (separate, dir2, _) = try Self.build(Self.options(merges: 300, joint: false, maxSize: 200))
        #expect(separate.sourceCodes != separate.targetCodes)
        #expect(separate.sourceVocabulary.count == 200 && separate.targetVocabulary.count == 200)
        #expect(separate.targetCoverage.unknown > 0)
        let target = try TextPipeline.load(directory: dir2, side: .target)
        let lines = try Self.pairs().map(\.1)
        let coverage = try target.coverage(of: lines)
        #expect(coverage == separate.targetCoverage, "the training text's coverage, recounted line by line")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir2))
                == ["pipeline.json", "source.bpe", "target.bpe", "source.vocab", "target.vocab"])
        let config = try PipelineConfig.load(directory: dir2)
        #expect(config.source.codes == "source.bpe" && config.target.tokenizer.language == "fr" && config.maxSize == 200)

        let (words, dir3, _) = try Self.build(Self.options(merges: 0, lowercase: true))
        #expect(words.sourceCodes == nil)
        let p = try TextPipeline.load(directory: dir3, side: .source)
        #expect(p.bpe == nil)
        #expect(try p.pieces("Tom is HERE.") == ["▁tom", "▁is", "▁here", "."])
    }

    @Test func directoryIsReplacedOnlyWhenAsked() throws {
        let (built, dir, _) = try Self.build(Self.options(merges: 50))
        #expect(throws: TextError.self) { try built.write(to: dir) }
        let (other, _, _) = try Self.build(Self.options(merges: 60))
        try other.write(to: dir, replace: true)
        #expect(try PipelineConfig.load(directory: dir).merges == 60)
        let parent = (dir as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["sample"], "no temp or old directory left")
    }

    @Test func tamperedOrMalformedDirectoriesAreRejected() throws {
        let (_, dir, _) = try Self.build(Self.options(merges: 50))
        // A vocabulary edited after the build.
        let vocabPath = "\(dir)/target.vocab"
        var bytes = try FileBytes.read(vocabPath)
        bytes += Array("extra\t1\n".utf8)
        try AtomicFile.write(bytes, to: vocabPath)
        #expect(throws: TextError.self) { try TextPipeline.load(directory: dir, side: .target) }
        do {
            _ = try TextPipeline.load(directory: dir, side: .target)
        } catch {
            #expect("\(error)".hasPrefix("\(vocabPath): not a valid text pipeline: content hash"))
        }
        #expect(throws: Never.self) { try TextPipeline.load(directory: dir, side: .source) }
        // Codes edited after the build.
        try AtomicFile.write(Array("#version: 0.2\nx y\n".utf8), to: "\(dir)/joint.bpe")
        #expect(throws: TextError.self) { try TextPipeline.load(directory: dir, side: .source) }
        // Settings that are not JSON, miss a key, or name a path outside the directory.
        let json = "\(dir)/pipeline.json"
        let good = String(decoding: try FileBytes.read(json), as: UTF8.self)
        for bad in ["not json", "{}", good.replacingOccurrences(of: "\"target.vocab\"", with: "\"../x.vocab\""),
                    good.replacingOccurrences(of: "\"s2s-text-pipeline\"", with: "\"other\""),
                    good.replacingOccurrences(of: "\"nfkc\"", with: "\"nfd\"")] {
            try AtomicFile.write(Array(bad.utf8), to: json)
            #expect(throws: TextError.self, "\(bad.prefix(40))") { try TextPipeline.load(directory: dir, side: .target) }
        }
        #expect(throws: TextError.self) { try PipelineConfig.load(directory: "/nonexistent") }
    }

    @Test func badOptionsAreRejected() {
        #expect(throws: TextError.self) { try VocabularyBuilder(options: Self.options(merges: -1)) }
        #expect(throws: TextError.self) { try VocabularyBuilder(options: Self.options(minCount: 0)) }
        #expect(throws: TextError.self) { try VocabularyBuilder(options: Self.options(maxSize: 4)) }
    }
}
