import Foundation
import Testing
import S2SBundle
import S2SModel
@testable import S2STraining

/// `--tie-embeddings` end to end through the trainer: target tying trains and saves a model that
/// loads as tied; three-way tying is refused, naming the option, when the two sides have
/// different vocabularies.
@Suite(.serialized) struct TiedEmbeddingTrainingTests {
    @Test func targetTyingTrainsAndSavesATiedModel() throws {
        let fixture = try TrainingFixture(train: 30, valid: 4)
        var options = TrainingFixture.tinyOptions()
        options.model.tying = .target
        options.maxSteps = 6
        let trainer = try fixture.trainer(options, output: "tied")
        _ = try trainer.run()
        let (model, _, info) = try ModelBundle.load(directory: fixture.output("tied"))
        #expect(info.config.tying == .target && model.parameters["out.weight"] == nil)
        #expect(model.parameterCount < (try Seq2SeqModel(config: { var c = info.config; c.tying = .none; return c }())).parameterCount)
        #expect(parameterBits(model) == parameterBits(trainer.model))
    }

    @Test func threeWayTyingNeedsOneVocabulary() throws {
        let fixture = try TrainingFixture(train: 30, valid: 0)
        var options = TrainingFixture.tinyOptions()
        options.model.tying = .all
        options.maxSteps = 2
        #expect {
            _ = try fixture.trainer(options, output: "all")
        } throws: { error in
            "\(error)".contains("--tie-embeddings all") && "\(error)".contains("vocab build --joint --shared")
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.output("all")))
    }
}
