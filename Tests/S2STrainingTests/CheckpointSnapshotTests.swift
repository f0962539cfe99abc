import Foundation
import Testing
import S2SBundle
import S2SModel
@testable import S2STraining

/// `--keep-checkpoints N`: the parameters of the last N validations stay beside the model as
/// loadable `step-N.safetensors`, and they average into a model.
@Suite(.serialized) struct CheckpointSnapshotTests {
    @Test func fileNamesSortByStepAndOthersAreIgnored() {
        #expect(CheckpointSnapshots.fileName(step: 1200) == "step-00001200.safetensors")
        #expect(CheckpointSnapshots.step(ofFileName: "step-00001200.safetensors") == 1200)
        for other in ["model.safetensors", "latest.safetensors", "step-.safetensors", "step-12a.safetensors",
                      "step-12.safetensors.tmp", "step-١٢.safetensors"] {
            #expect(CheckpointSnapshots.step(ofFileName: other) == nil, "\(other)")
        }
    }

    @Test func keepsTheLastNValidationsAndTheyAverage() throws {
        let fixture = try TrainingFixture(train: 30, valid: 6)
        var options = TrainingFixture.tinyOptions()
        options.maxSteps = 12
        options.validEvery = 3
        options.keepCheckpoints = 2
        let trainer = try fixture.trainer(options, output: "keep")
        _ = try trainer.run()
        let directory = fixture.output("keep")
        let kept = CheckpointSnapshots.list(in: directory)
        #expect(kept.map(\.step) == [9, 12])
        // The newest is the final parameters; each is a model that loads with the run's vocabulary.
        let (last, _, info) = try ModelBundle.load(directory: kept[1].path)
        #expect(info.kind == .model && info.metadata.step == 12)
        #expect(parameterBits(last) == parameterBits(trainer.model))
        let (previous, _, _) = try ModelBundle.load(directory: kept[0].path)
        let mean = try ParameterAverage.average([previous, last])
        #expect(parameterBits(mean) != parameterBits(last))
        // Off by default: nothing but the model, the checkpoint and the logs.
        options.keepCheckpoints = 0
        _ = try fixture.trainer(options, output: "none").run()
        #expect(CheckpointSnapshots.list(in: fixture.output("none")).isEmpty)
    }
}
