import Foundation
import Testing
import S2SEval
@testable import S2STraining

/// Validation BLEU takes the target language's tokenizer; chrF can pick the model.
@Suite struct ValidationMetricTests {
    /// A new run resolves the tokenizer from the corpus's target language (de: 13a); a given
    /// one is kept. Only the trainer's preparation runs, no update.
    @Test func newRunTakesTheTargetLanguagesTokenizer() throws {
        let fixture = try TrainingFixture(train: 20, valid: 4)
        let resolved = try fixture.trainer(TrainingFixture.tinyOptions(), output: "lang")
        #expect(resolved.options.validTokenizer == .thirteenA)
        #expect(resolved.tokenizerReason == "for the corpus's target language de")
        var options = TrainingFixture.tinyOptions()
        options.validTokenizer = .char
        let given = try fixture.trainer(options, output: "given")
        #expect(given.options.validTokenizer == .char)
        #expect(given.options.summaryLines.contains { $0.contains("BLEU (tok char) and chrF") })
    }

    /// Checkpoints from before the choice existed computed 13a BLEU, and resume with it.
    @Test func checkpointsWithoutATokenizerMean13a() throws {
        var options = TrainingOptions.defaults
        options.validTokenizer = .zh
        var object = try #require(try JSONSerialization.jsonObject(with: Data(options.json.utf8)) as? [String: Any])
        #expect(try TrainingOptions.decode(options.json).validTokenizer == .zh)
        object["validTokenizer"] = nil
        let old = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        #expect(try TrainingOptions.decode(old).validTokenizer == .thirteenA)
    }

    @Test func bestMetricScores() {
        let record = ValidationRecord(step: 1, epoch: 1, loss: 2, perplexity: exp(2), bleu: 10, chrf: 30, sentences: 5, seconds: 1)
        #expect(TrainerState.score(record, metric: .bleu) == 10)
        #expect(TrainerState.score(record, metric: .chrf) == 30)
        #expect(TrainerState.score(record, metric: .loss) == -2)
        var old = record
        old.chrf = nil
        // A record without chrF never wins a chrF comparison.
        #expect(TrainerState.score(old, metric: .chrf) == -.infinity)
        #expect(TrainingOptions.BestMetric(rawValue: "chrf") == .chrf)
    }

    @Test func overridesSetTheTokenizerAndRefuseAChangeOnResume() throws {
        var given = TrainingOverrides()
        given.validTokenizer = .char
        given.bestMetric = .chrf
        let fresh = try given.resolve(saved: nil)
        #expect(fresh.validTokenizer == .char && fresh.bestMetric == .chrf)
        var saved = fresh
        saved.validTokenizer = .thirteenA
        #expect(throws: TrainingError.self) { try given.resolve(saved: saved) }
    }
}
