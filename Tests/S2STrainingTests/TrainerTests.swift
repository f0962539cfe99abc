import Foundation
import S2SBundle
import Testing
import S2SDecode
import S2SEval
import S2SModel
import S2SText
@testable import S2STraining

/// Serialized: each training uses the engine's OpenMP team; several at once on two cores only
/// slow each other down.
@Suite(.serialized) struct TrainerTests {
    /// A tiny model trained on a hundred short pairs learns them: the training loss falls below
    /// a threshold and greedy decoding gives back most of the targets.
    @Test func tinyModelLearnsItsTrainingPairs() throws {
        let fixture = try TrainingFixture(train: 40, valid: 10)
        var options = TrainingFixture.tinyOptions()
        options.maxSteps = 100
        options.validEvery = 50
        options.learningRate = 0.02
        options.schedule = .constant
        var lastLoss = Double.infinity
        let trainer = try fixture.trainer(options, output: "tiny", events: { e in
            if case let .logged(p) = e { lastLoss = p.loss }
        })
        let summary = try trainer.run()
        #expect(summary.reason == .maxSteps && summary.step == 100)
        #expect(lastLoss < 0.15, "training loss \(lastLoss)")

        // Greedy decoding of the training sources gives back their targets.
        let model = trainer.model, pipelines = trainer.pipelines
        let sources = try fixture.trainPairs.map { SequenceFraming.source(try pipelines.source.encode($0.0)) }
        let hyps = try GreedySearch().decode(Seq2SeqStepModel(model: model), sources: sources)
            .map { pipelines.target.decode($0.tokens) }
        let bleu = try BLEU().corpusScore(hypotheses: hyps, references: fixture.trainPairs.map(\.1)).score
        #expect(bleu > 90, "BLEU on the training pairs \(bleu)")
        // The best model (by validation BLEU) is a loadable bundle.
        let (_, _, info) = try ModelBundle.load(directory: fixture.output("tiny"))
        #expect(info.metadata.step == summary.bestStep && info.metadata.validBLEU == summary.best?.bleu)
        // Validation ran on the grid and wrote its lines.
        #expect(summary.history.map(\.step) == [50, 100])
        let log = try MetricsLogReader.read(path: fixture.output("tiny") + "/metrics.jsonl").records
        #expect(log.filter { $0.kind == .valid }.count == 2 && log.filter { $0.kind == .train }.count == 10)
        // chrF is measured with BLEU at every validation and logged.
        #expect(summary.history.allSatisfy { ($0.chrf ?? 0) > 0 })
        #expect(log.filter { $0.kind == .valid }.map(\.chrf) == summary.history.map(\.chrf))
    }

    /// 2N updates straight and N + resume + N give the same bits: parameters, optimizer moments,
    /// generator, batch position — with dropout (recurrent too), label smoothing, scheduled
    /// sampling (sampled tokens), plateau decay and validation in between.
    @Test func resumeContinuesBitIdentically() throws {
        let fixture = try TrainingFixture(train: 60, valid: 8)
        var options = TrainingFixture.tinyOptions(dropout: 0.2, labelSmoothing: 0.1)
        options.model.recurrentDropout = 0.25
        options.scheduledSampling = .linear(k: 1, c: 0.02, minimum: 0.3)
        options.feedChoice = .sample
        options.validEvery = 6
        options.decayPatience = 0
        options.maxSteps = 24
        let straight = try fixture.trainer(options, output: "straight")
        _ = try straight.run()

        options.maxSteps = 12
        let first = try fixture.trainer(options, output: "split")
        #expect(try first.run().step == 12)
        options.maxSteps = 24
        let second = try fixture.trainer(options, output: "split", start: .resume)
        #expect(second.state.step == 12)
        _ = try second.run()

        #expect(parameterBits(second.model) == parameterBits(straight.model))
        let a = straight.optimizer.stateTensors(), b = second.optimizer.stateTensors()
        #expect(a.map(\.name) == b.map(\.name))
        #expect(zip(a, b).allSatisfy { $0.tensor.array.map(\.bitPattern) == $1.tensor.array.map(\.bitPattern) })
        var s1 = straight.state, s2 = second.state
        s1.elapsedSeconds = 0
        s2.elapsedSeconds = 0
        s1.history = s1.history.map { var r = $0; r.seconds = 0; return r }
        s2.history = s2.history.map { var r = $0; r.seconds = 0; return r }
        #expect(s1 == s2)
        // The checkpoint on disk says the same.
        let saved = try Checkpoint.read(second.checkpointPath)
        #expect(saved.state.step == 24 && saved.state.rng == straight.state.rng)
    }

    /// A stop request (what SIGINT/SIGTERM set) ends the run after the current step with a
    /// checkpoint of exactly that step, which resumes.
    @Test func stopRequestWritesAResumableCheckpoint() throws {
        let fixture = try TrainingFixture(train: 40, valid: 0)
        var options = TrainingFixture.tinyOptions()
        options.maxSteps = 100
        var steps = 0
        let events = EventLog()
        let trainer = try fixture.trainer(options, output: "stop", stop: { steps >= 5 }, events: { e in
            events.record(e)
            if case .progress = e { steps += 1 }
        })
        let summary = try trainer.run()
        #expect(summary.reason == .interrupted && summary.step == 5)
        #expect(events.checkpoints.last == 5)
        let saved = try Checkpoint.read(summary.checkpointPath)
        #expect(saved.state.step == 5)
        let resumed = try fixture.trainer(options, output: "stop", start: .resume)
        #expect(parameterBits(resumed.model) == parameterBits(trainer.model))
    }

    /// The real signal path: SIGINT sets StopSignal's flag, which the default stop check reads.
    @Test func sigintStopsTrainingThroughStopSignal() throws {
        let fixture = try TrainingFixture(train: 30, valid: 0)
        var options = TrainingFixture.tinyOptions()
        options.maxSteps = 1000
        StopSignal.install()
        defer { StopSignal.reset() }
        var raised = false
        let hooks = TrainerHooks(afterUpdate: { step, _ in
            // Process-directed, as Ctrl-C is: the test's worker thread blocks signals, and the
            // kernel hands it to a thread that does not.
            if step == 2 && !raised { raised = true; kill(getpid(), SIGINT); var waited = 0
                while !StopSignal.requested && waited < 5000 { usleep(1000); waited += 1 }
            }
        })
        let trainer = try Trainer(data: fixture.data, options: options, outputDirectory: fixture.output("sig"),
                                  start: .fresh(overwrite: false), hooks: hooks)
        let summary = try trainer.run()
        #expect(summary.reason == .interrupted && summary.step == 3)
        #expect(try Checkpoint.read(summary.checkpointPath).state.step == 3)
    }
}
