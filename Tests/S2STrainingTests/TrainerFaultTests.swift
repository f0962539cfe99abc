import Foundation
import S2SBundle
import Testing
import S2SEval
import S2SModel
import S2SNumerics
@testable import S2STraining

/// Non-finite losses and bad input: the trainer skips, rolls back, refuses — and never leaves a
/// non-finite or half-written file behind.
@Suite(.serialized) struct TrainerFaultTests {
    /// Every value of the checkpoint on disk is finite.
    static func checkpointIsFinite(_ path: String) throws -> Bool {
        let file = try SafeTensorsFile.read(from: path)
        return try file.names.allSatisfy { name in
            guard file.dtype(of: name)?.rawValue.hasPrefix("F") == true else { return true }
            return ModelBundle.allFinite(try file.tensor(name))
        }
    }

    /// NaN gradients: the update is skipped with a warning; `nanTolerance` of them in a row roll
    /// back to the last checkpoint with half the learning rate; training then goes on.
    @Test func nonFiniteGradientsAreSkippedThenRolledBack() throws {
        let fixture = try TrainingFixture(train: 40, valid: 0)
        var options = TrainingFixture.tinyOptions()
        options.maxSteps = 20
        options.validEvery = 5
        options.nanTolerance = 3
        var poisoned = 0
        let hooks = TrainerHooks(afterBackward: { step, parameters in
            // Steps 7 (once, then a good one) and 8 (three times in a row).
            if (step == 7 && poisoned == 0) || (step == 8 && (1...3).contains(poisoned)) {
                parameters["out.bias"]!.grad.data[0] = .nan
                poisoned += 1
            }
        })
        let events = EventLog()
        let trainer = try fixture.trainer(options, output: "nan", hooks: hooks, events: events.record)
        let summary = try trainer.run()
        #expect(summary.step == 20)
        #expect(trainer.state.rollbacks == 1 && trainer.state.rateScale == 0.5)
        #expect(events.warnings.contains { $0.contains("rolled back to the checkpoint of step 5") })
        #expect(events.warnings.filter { $0.contains("update skipped") }.count == 4)
        #expect(try Self.checkpointIsFinite(trainer.checkpointPath))
        #expect(trainer.model.parameters.all.allSatisfy { ModelBundle.allFinite($0.value) })
    }

    /// Weights that blow up (infinite after an update) are never written: the checkpoint due
    /// at that step is refused, training rolls back, and the file on disk stays finite.
    @Test func explodingWeightsAreNeverCheckpointed() throws {
        let fixture = try TrainingFixture(train: 40, valid: 0)
        var options = TrainingFixture.tinyOptions()
        options.maxSteps = 12
        options.validEvery = 4
        var exploded = false
        let hooks = TrainerHooks(afterUpdate: { step, parameters in
            if step == 7 && !exploded {  // the update that makes step 8, a checkpoint step
                exploded = true
                parameters["bridge.weight"]!.value.data[3] = .infinity
            }
        })
        let events = EventLog()
        let trainer = try fixture.trainer(options, output: "inf", hooks: hooks, events: events.record)
        let summary = try trainer.run()
        #expect(summary.step == 12)
        #expect(events.warnings.contains { $0.contains("NaN or infinity") })
        #expect(trainer.state.rollbacks == 1)
        #expect(try Self.checkpointIsFinite(trainer.checkpointPath))
        // No validation split: model.safetensors holds the latest finite parameters.
        #expect(try ModelBundle.load(directory: fixture.output("inf")).model.parameters.all.allSatisfy {
            ModelBundle.allFinite($0.value)
        })
    }

    /// Weights that blow up just before a validation step: the non-finite validation loss is
    /// neither recorded nor checkpointed (JSON has no NaN); training rolls back and goes on.
    @Test func nonFiniteValidationLossRollsBack() throws {
        let fixture = try TrainingFixture(train: 40, valid: 6)
        var options = TrainingFixture.tinyOptions()
        options.maxSteps = 12
        options.validEvery = 4
        var exploded = false
        let hooks = TrainerHooks(afterUpdate: { step, parameters in
            if step == 7 && !exploded {  // the update that makes step 8, a validation step
                exploded = true
                parameters["out.bias"]!.value.data[5] = .nan
            }
        })
        let events = EventLog()
        let trainer = try fixture.trainer(options, output: "nanvalid", hooks: hooks, events: events.record)
        let summary = try trainer.run()
        #expect(summary.step == 12)
        #expect(trainer.state.rollbacks == 1)
        #expect(trainer.state.history.allSatisfy { $0.loss.isFinite })
        #expect(try Self.checkpointIsFinite(trainer.checkpointPath))
        // The log stays readable (`s2s plot`): no line with a non-finite loss.
        #expect(throws: Never.self) { _ = try MetricsLogReader.read(path: trainer.metricsPath) }
    }

    /// A checkpoint is refused when resumed with another vocabulary, another model size or
    /// other training options; only the budget may change.
    @Test func resumeRefusesAnotherVocabularyOrModel() throws {
        let fixture = try TrainingFixture(train: 30, valid: 0)
        var options = TrainingFixture.tinyOptions()
        options.maxSteps = 3
        _ = try fixture.trainer(options, output: "r").run()
        let before = try Data(contentsOf: URL(fileURLWithPath: fixture.output("r") + "/latest.safetensors"))

        let other = try TrainingFixture(train: 30, valid: 0, lowercase: true)
        #expect { _ = try Trainer(data: other.data, options: options, outputDirectory: fixture.output("r"), start: .resume) } throws: {
            "\($0)".contains("vocabulary/model mismatch")
        }
        var bigger = options
        bigger.model.hidden = 32
        #expect { _ = try fixture.trainer(bigger, output: "r", start: .resume) } throws: {
            "\($0)".contains("hidden 24") && "\($0)".contains("hidden 32")
        }
        var otherRate = options
        otherRate.learningRate = 0.5
        #expect { _ = try fixture.trainer(otherRate, output: "r", start: .resume) } throws: { "\($0)".contains("options differ") }
        // The refused attempts left the checkpoint as it was.
        let afterRefusals = try Data(contentsOf: URL(fileURLWithPath: fixture.output("r") + "/latest.safetensors"))
        #expect(before.count > 0)
        #expect(afterRefusals == before)
        var longer = options
        longer.maxSteps = 5
        longer.logEvery = 1
        #expect(try fixture.trainer(longer, output: "r", start: .resume).run().step == 5)
    }

    /// Bad input: one clear error, nothing written or overwritten.
    @Test func badInputIsRefusedBeforeAnythingIsWritten() throws {
        let fixture = try TrainingFixture(train: 30, valid: 0)
        let options = TrainingFixture.tinyOptions()
        func fails(_ data: TrainingData, _ out: String, _ start: Trainer.Start = .fresh(overwrite: false),
                   _ options: TrainingOptions = TrainingFixture.tinyOptions(), contains text: String) {
            #expect { _ = try Trainer(data: data, options: options, outputDirectory: out, start: start) } throws: { error in
                let ok = "\(error)".contains(text)
                if !ok { Issue.record("unexpected error: \(error)") }
                return ok
            }
        }
        let out = fixture.output("bad")
        var data = fixture.data
        data.corpus = "nope"
        fails(data, out, contains: "no corpus named 'nope'")
        data = fixture.data
        data.database = fixture.root + "/missing.sqlite"
        fails(data, out, contains: "no corpus database")
        data = fixture.data
        data.vocabulary = fixture.root + "/vocab/missing"
        fails(data, out, contains: "vocab/missing")
        fails(fixture.data, fixture.root + "/corpora/corpora.sqlite/sub", contains: "cannot create")
        fails(fixture.data, out, .resume, contains: "no checkpoint")
        var bad = options
        bad.learningRate = -1
        fails(fixture.data, out, .fresh(overwrite: false), bad, contains: "--lr")
        #expect(!FileManager.default.fileExists(atPath: out + "/latest.safetensors"))
        #expect(!FileManager.default.fileExists(atPath: out), "a refused run created \(out)")

        // A corpus whose train split is empty.
        let store = try S2SCorpusStoreOpener.open(fixture.database)
        let tsv = fixture.root + "/only-valid.tsv"
        try "a b\tc d\n".write(toFile: tsv, atomically: true, encoding: .utf8)
        try S2SCorpusStoreOpener.importValid(store, tsv: tsv, corpus: "validonly")
        data = fixture.data
        data.corpus = "validonly"
        fails(data, out, contains: "no pairs in its train split")

        // An existing run is not overwritten without --overwrite.
        var short = options
        short.maxSteps = 1
        _ = try fixture.trainer(short, output: "keep").run()
        let kept = try Data(contentsOf: URL(fileURLWithPath: fixture.output("keep") + "/latest.safetensors"))
        fails(fixture.data, fixture.output("keep"), contains: "--overwrite")
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.output("keep") + "/latest.safetensors")) == kept)
        _ = try fixture.trainer(short, output: "keep", start: .fresh(overwrite: true)).run()
    }
}

import S2SCorpus

/// Store helpers for the bad-input test.
enum S2SCorpusStoreOpener {
    static func open(_ path: String) throws -> CorpusStore { try CorpusStore(path: path, mode: .existing) }

    static func importValid(_ store: CorpusStore, tsv: String, corpus: String) throws {
        let options = ImportOptions(corpus: corpus, sourceLanguage: "en", targetLanguage: "de", split: .valid)
        try store.importPairs(from: .tsv(path: tsv), options: options, isCancelled: { false })
    }
}
