import Foundation
import S2SCommandSupport
import S2SBundle
import S2SModel
import S2SNumerics
import S2SText
import Testing
@testable import S2SDecode

/// Ensembles: the combined step is the mean of the members' log-probabilities, step after step
/// and through beam reordering; an ensemble of copies of one model is that model; models of
/// other vocabularies are refused by `s2s translate`.
struct EnsembleTests {
    /// Two models of one vocabulary (different seeds and sizes) and their pipelines.
    static func twoModels(in scratch: Scratch) throws -> (Seq2SeqModel, Seq2SeqModel, TextPipelinePair, String) {
        let bundle = try makeModelBundle(in: scratch.path)
        let (a, pipelines, _) = try ModelBundle.load(directory: bundle)
        let config = ModelConfig(sourceVocabulary: a.config.sourceVocabulary, targetVocabulary: a.config.targetVocabulary,
                                 embedding: 12, hidden: 10, decoderHidden: 14, attentionSize: 6, layers: 1)
        let b = try Seq2SeqModel(config: config, seed: 11)
        try ModelBundle.save(model: b, pipelines: pipelines, directory: scratch.path + "/models/other")
        return (a, b, pipelines, bundle)
    }

    /// Row r of `m` as log-probabilities (a copy; `m` is left alone).
    static func logProbabilities(_ m: Matrix) -> [[Float]] {
        (0..<m.rows).map { r in
            let row = (0..<m.cols).map { m[r, $0] }
            let top = row.max() ?? 0
            let lse = top + log(row.reduce(Float(0)) { $0 + exp($1 - top) })
            return row.map { $0 - lse }
        }
    }

    @Test func stepIsTheMeanOfTheMembersLogProbabilities() throws {
        let scratch = try Scratch()
        let (a, b, _, _) = try Self.twoModels(in: scratch)
        let sources: [[Int32]] = [[5, 6, 7, 8, SpecialTokens.eos], [9, 10, SpecialTokens.eos]]
        let ensemble = EnsembleStepModel(members: [Seq2SeqStepModel(model: a), Seq2SeqStepModel(model: b)])
        let refs = [Seq2SeqStepModel(model: a), Seq2SeqStepModel(model: b)]
        var state = try ensemble.begin(sources: sources)
        var refStates = try refs.map { try $0.begin(sources: sources) }
        var previous: [Int32] = [SpecialTokens.bos, SpecialTokens.bos]
        for step in 0..<4 {
            if step == 2 {
                // As beam search does: row 0 continues twice, row 1 disappears.
                let rows: [Int32] = [0, 0]
                ensemble.reorder(&state, rows: rows)
                for i in refs.indices { refs[i].reorder(&refStates[i], rows: rows) }
            }
            let out = ensemble.advance(&state, previous: previous)
            let members = refs.indices.map { i -> (logp: [[Float]], attention: Matrix) in
                let o = refs[i].advance(&refStates[i], previous: previous)
                return (Self.logProbabilities(o.logits), o.attention)
            }
            for r in 0..<out.logits.rows {
                for v in 0..<out.logits.cols {
                    let expected = (members[0].logp[r][v] + members[1].logp[r][v]) / 2
                    #expect(abs(out.logits[r, v] - expected) < 1e-4, "step \(step) row \(r) token \(v)")
                }
                for s in 0..<out.attention.cols {
                    let expected = (members[0].attention[r, s] + members[1].attention[r, s]) / 2
                    #expect(abs(out.attention[r, s] - expected) < 1e-6)
                }
            }
            previous = (0..<out.logits.rows).map { Int32(5 + ($0 + step) % 7) }
        }
    }

    @Test(arguments: Translator.Strategy.allCases)
    func copiesOfOneModelTranslateAsThatModel(_ strategy: Translator.Strategy) throws {
        let scratch = try Scratch()
        let (a, _, pipelines, _) = try Self.twoModels(in: scratch)
        var settings = Translator.Settings()
        settings.strategy = strategy
        settings.options.beamSize = 3
        settings.options.maxLengthCap = 8
        let lines = ["A man rides a bike.", "Two dogs play in the snow.", "A girl"].enumerated()
            .map { Translator.Line(text: $1, number: $0 + 1) }
        let single = Translator(model: a, pipelines: pipelines, settings: settings).translate(lines)
        let copies = Translator(models: [a, a, a], pipelines: pipelines, settings: settings).translate(lines)
        #expect(single.map(\.text) == copies.map(\.text))
        for (s, c) in zip(single, copies) {
            #expect(abs(s.candidates[0].logProb - c.candidates[0].logProb) < 1e-3)
        }
    }

    @Test func twoModelsScoreDifferentlyFromEitherAlone() throws {
        let scratch = try Scratch()
        let (a, b, pipelines, _) = try Self.twoModels(in: scratch)
        var settings = Translator.Settings()
        settings.strategy = .greedy
        settings.options.maxLengthCap = 6
        let line = [Translator.Line(text: "A man rides a bike.", number: 1)]
        let both = Translator(models: [a, b], pipelines: pipelines, settings: settings).translate(line)[0]
        let onlyA = Translator(model: a, pipelines: pipelines, settings: settings).translate(line)[0]
        #expect(both.candidates[0].logProb != onlyA.candidates[0].logProb)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: repositoryRoot.appendingPathComponent(".build/debug/s2s").path)))
    func translateRefusesMembersOfAnotherVocabulary() throws {
        let scratch = try Scratch()
        let (_, _, _, bundle) = try Self.twoModels(in: scratch)
        let other = scratch.path + "/models/other"
        let ok = try S2SCommand.run(["translate", "--model", bundle, "--model", other, "--max-len", "5"],
                                    stdin: Data("A dog.\n".utf8), environment: ["OMP_NUM_THREADS": "1"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.split(separator: "\n", omittingEmptySubsequences: false).count == 2)
        let shipped = repositoryRoot.appendingPathComponent("models/default").path
        let r = try S2SCommand.run(["translate", "--model", bundle, "--model", shipped],
                                   stdin: Data("A dog.\n".utf8), environment: ["OMP_NUM_THREADS": "1"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("cannot ensemble") && r.stderr.contains("vocabularies"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
