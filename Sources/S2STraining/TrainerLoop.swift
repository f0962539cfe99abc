import Foundation
import S2SBundle
import S2SCorpus
import S2SEval
import S2SLayers
import S2SModel
import S2SNumerics

/// The training loop: one update per batch, validation and checkpoints on the --valid-every
/// grid, and the end of the run (budget, early stopping, stop request).
extension Trainer {
    /// Rollbacks after which a run that keeps producing non-finite losses gives up.
    static let maxRollbacks = 8

    /// Running sums since the last log line.
    struct Interval {
        var lossSum = 0.0
        var tokens = 0
        var steps = 0
        var start = Trainer.now()
    }

    /// Trains until a budget is spent, early stopping triggers or a stop is requested; writes
    /// the final checkpoint and returns what happened.
    package func run() throws(TrainingError) -> TrainingSummary {
        do {
            return try runLoop()
        } catch {
            throw .wrap(error)
        }
    }

    private func runLoop() throws -> TrainingSummary {
        let runStart = Self.now()
        try synchronizeStart()   // first: on ranks other than 0 the state is rank 0's from here on
        let baseElapsed = state.elapsedSeconds
        func elapsed() -> Double { baseElapsed + Self.now() - runStart }
        func thisRun() -> Double { Self.now() - runStart }
        let stepsAtStart = state.step
        let tokensAtStart = state.targetTokens
        let metrics = isRoot ? try MetricsWriter(path: metricsPath) : nil
        emit(.started(lines: startLines()))
        if !resumed {
            // A step-0 checkpoint: `--resume` works from the start, and a run that diverges
            // early has something to roll back to.
            try onRoot { try writeCheckpoint(elapsed: elapsed()) }
        }
        var lastValidationStep = state.history.last?.step ?? -1
        var lastCheckpointStep = state.step
        var interval = Interval()
        var epoch = state.batcher.epoch + 1
        var reason: StopReason

        while true {
            // Every condition here is the same on all ranks: shared state, or agreed in the step.
            if options.maxSteps > 0 && state.step >= options.maxSteps { reason = .maxSteps; break }
            if state.earlyStopped { reason = .earlyStopping; break }
            if options.maxEpochs > 0 && batcher.position.batchIndex >= batcher.batchesInEpoch
                && batcher.position.epoch + 1 >= options.maxEpochs {
                reason = .maxEpochs
                break
            }

            // Votes taken before the step, counted in its collective: a stop asked for now
            // ends the run before this update, as in one process (the step's work is dropped).
            let gold = options.scheduledSampling.goldProbability(step: state.step)
            let stopVote = stopRequested()
            let timeVote = options.maxMinutes > 0 && thisRun() >= options.maxMinutes * 60
            let position = batcher.position
            let result = try computeGradients(goldProbability: gold, stopRequested: stopVote, timeUp: timeVote)
            if let stop = result.stop {
                try batcher.restore(position)
                reason = stop
                break
            }
            epoch = result.epoch + 1
            hooks.afterBackward?(state.step, model.parameters)
            let norm = options.clip > 0
                ? GradientClipping.clipGlobalNorm(model.parameters, maxNorm: options.clip)
                : GradientClipping.clipGlobalNorm(model.parameters, maxNorm: .infinity)
            state.batcher = batcher.position
            guard result.lossSum.isFinite && norm.isFinite else {
                try handleNonFinite(loss: result.tokens > 0 ? result.lossSum / Double(result.tokens) : result.lossSum, norm: norm)
                continue
            }
            state.nonFiniteStreak = 0
            let lr = currentRate()
            optimizer.step(model.parameters, lr: lr)
            hooks.afterUpdate?(state.step, model.parameters)
            state.step += 1
            state.targetTokens += result.tokens
            interval.lossSum += result.lossSum
            interval.tokens += result.tokens
            interval.steps += 1

            let progress = self.progress(interval: interval, epoch: epoch, teacherForcing: gold, elapsed: elapsed(),
                                         thisRun: thisRun(), stepsThisRun: state.step - stepsAtStart)
            emit(.progress(progress))
            if state.step % options.logEvery == 0 {
                try metrics?.append(.train(step: state.step, epoch: epoch, timeSeconds: progress.elapsedSeconds,
                                           loss: progress.loss, perplexity: progress.perplexity,
                                           learningRate: Double(progress.learningRate),
                                           tokensPerSecond: progress.targetTokensPerSecond, teacherForcingRatio: gold))
                emit(.logged(progress))
                interval = Interval()
            }
            let onGrid = options.validEvery > 0 && state.step % options.validEvery == 0
            if onGrid {
                try onRoot { try validate(regular: true, epoch: epoch, elapsed: elapsed(), metrics: metrics) }
                lastValidationStep = state.step
            }
            if onGrid || (options.validEvery == 0 && state.step % 1000 == 0) {
                // After a rollback the state is the checkpoint's, whose step this then is.
                try onRoot { _ = try writeCheckpointOrRollBack(elapsed: elapsed()) }
                lastCheckpointStep = state.step
                try checkReplicas()
            }
        }

        // End of the run: a last validation (off the grid: it may save a better model but moves
        // neither the learning-rate schedule nor the patience count) and a checkpoint.
        if reason != .interrupted && lastValidationStep != state.step && state.step > 0 {
            try onRoot { try validate(regular: false, epoch: epoch, elapsed: elapsed(), metrics: metrics) }
        }
        if lastCheckpointStep != state.step || reason == .interrupted || state.step == 0 {
            try onRoot { _ = try writeCheckpointOrRollBack(elapsed: elapsed()) }
        }
        let seconds = thisRun()
        let bestRecord = state.history.filter { $0.step == state.bestStep }.last
        return TrainingSummary(reason: reason, step: state.step, epoch: epoch, checkpointPath: checkpointPath,
                               bestStep: state.bestStep, best: bestRecord, history: state.history, seconds: seconds,
                               targetTokensPerSecond: seconds > 0 ? Double(state.targetTokens - tokensAtStart) / seconds : 0,
                               skippedSteps: state.skippedSteps, rollbacks: state.rollbacks)
    }

    /// The learning rate of the next update: the schedule times the rollback scale.
    func currentRate() -> Float { state.scheduler.rate(step: state.step) * state.rateScale }

    /// A step whose loss or gradient norm is NaN/inf: no update; after `nanTolerance` in a row,
    /// back to the last checkpoint with half the learning rate.
    private func handleNonFinite(loss: Double, norm: Float) throws {
        model.parameters.zeroGrad()
        state.nonFiniteStreak += 1
        state.skippedSteps += 1
        emit(.warning("step \(state.step + 1): non-finite loss \(loss) / gradient norm \(norm); update skipped (\(state.nonFiniteStreak) in a row)"))
        if state.nonFiniteStreak >= options.nanTolerance { try onRoot { try rollBack() } }
    }

    /// Restores the last checkpoint (parameters, optimizer, batches, generators, schedule) with
    /// the learning-rate scale halved.
    func rollBack() throws {
        let scale = state.rateScale * 0.5, rollbacks = state.rollbacks + 1, skipped = state.skippedSteps
        guard rollbacks <= Self.maxRollbacks else {
            throw TrainingError.diverged("non-finite losses persist after \(Self.maxRollbacks) rollbacks (learning rate scaled by \(scale * 2)); try a lower --lr or --clip")
        }
        let contents = try Checkpoint.read(checkpointPath)
        let fresh = options.makeOptimizer()
        try Checkpoint.restore(contents, model: model, optimizer: fresh)
        optimizer = fresh
        try batcher.restore(contents.state.batcher)
        state = contents.state
        state.rateScale = scale
        state.rollbacks = rollbacks
        state.skippedSteps = skipped
        state.nonFiniteStreak = 0
        emit(.warning("rolled back to the checkpoint of step \(state.step) with the learning rate scaled by \(scale)"))
    }

    /// Writes the checkpoint; when the parameters or optimizer state turned non-finite (so it
    /// must not be written), rolls back instead. Returns whether a checkpoint was written.
    private func writeCheckpointOrRollBack(elapsed: Double) throws -> Bool {
        do {
            try writeCheckpoint(elapsed: elapsed)
            return true
        } catch let error as ModelBundleError {
            guard case .nonFinite = error else { throw error }
            emit(.warning("\(error)"))
            try rollBack()
            return false
        }
    }

    func writeCheckpoint(elapsed: Double) throws {
        var saved = state
        saved.elapsedSeconds = elapsed
        try Checkpoint.write(to: checkpointPath, model: model, pipelines: pipelines, optimizer: optimizer,
                             options: options, state: saved, corpus: data.corpus)
        emit(.checkpoint(path: checkpointPath, step: state.step))
    }

    /// Validates, logs, keeps the best model; on the grid also steps the plateau schedule and
    /// the patience count.
    private func validate(regular: Bool, epoch: Int, elapsed: Double, metrics: MetricsWriter?) throws {
        guard let validator else {
            // No validation split: the latest parameters are the model.
            try saveModel(record: nil, epoch: epoch)
            return
        }
        let start = Self.now()
        let (loss, _) = try validator.loss(model: model)
        guard loss.isFinite else {
            // The parameters blew up since the last step's checks: nothing of this state may be
            // logged, saved or checkpointed (JSON has no NaN), so go back as for a NaN step.
            emit(.warning("validation loss at step \(state.step) is \(loss); the parameters are not usable"))
            try rollBack()
            return
        }
        let (bleu, chrf, _) = try validator.scores(model: model, pipelines: pipelines, beam: options.validBeam,
                                                   tokenizer: options.validTokenizer ?? .thirteenA)
        let record = ValidationRecord(step: state.step, epoch: epoch, loss: loss, perplexity: exp(loss), bleu: bleu,
                                      chrf: chrf, sentences: validator.count, seconds: Self.now() - start)
        state.history.append(record)
        try metrics?.append(.valid(step: record.step, epoch: epoch, timeSeconds: elapsed, loss: loss,
                                  perplexity: record.perplexity, bleu: bleu, chrf: chrf))
        try keepSnapshot(record: record, epoch: epoch)
        let score = TrainerState.score(record, metric: options.bestMetric)
        let improved = score.isFinite && (state.bestScore.map { score > $0 } ?? true)
        if improved {
            state.bestScore = score
            state.bestStep = state.step
            state.validationsWithoutImprovement = 0
            try saveModel(record: record, epoch: epoch)
        } else if regular {
            state.validationsWithoutImprovement += 1
            if options.patience > 0 && state.validationsWithoutImprovement >= options.patience { state.earlyStopped = true }
        }
        emit(.validated(record, best: improved))
        if regular && loss.isFinite {
            let before = currentRate()
            if state.scheduler.reportValidation(loss: loss) {
                emit(.note("validation loss has not improved for \(options.decayPatience + 1) validations: learning rate \(before) → \(currentRate())"))
            }
        }
    }

    /// Writes the current parameters as the bundle's `model.safetensors`.
    private func saveModel(record: ValidationRecord?, epoch: Int) throws {
        let storage = SafeTensorsFile.FloatStorage(rawValue: options.modelStorage) ?? .f32
        let metadata = ModelBundleMetadata(step: state.step, epoch: epoch, validBLEU: record?.bleu, validLoss: record?.loss,
                                           extra: [Checkpoint.trainingConfigKey: options.json, Checkpoint.corpusKey: data.corpus])
        do {
            try ModelBundle.save(model: model, pipelines: pipelines, directory: outputDirectory, metadata: metadata,
                                 storage: storage)
        } catch {
            // A non-finite model is never written; the loop's checks roll back on the next step.
            guard case .nonFinite = error else { throw error }
            emit(.warning("\(error)"))
        }
    }

    /// With `--keep-checkpoints N`: the validated parameters as `step-N.safetensors`, the last N kept.
    private func keepSnapshot(record: ValidationRecord, epoch: Int) throws {
        guard options.keepCheckpoints > 0 else { return }
        let metadata = ModelBundleMetadata(step: state.step, epoch: epoch, validBLEU: record.bleu, validLoss: record.loss,
                                           extra: [Checkpoint.trainingConfigKey: options.json, Checkpoint.corpusKey: data.corpus])
        try CheckpointSnapshots.save(model: model, pipelines: pipelines, directory: outputDirectory, metadata: metadata,
                                     keep: options.keepCheckpoints)
    }

    /// Figures for the progress line, averaged over the current interval.
    private func progress(interval: Interval, epoch: Int, teacherForcing: Double, elapsed: Double, thisRun: Double,
                          stepsThisRun: Int) -> TrainingProgress {
        let loss = interval.tokens > 0 ? interval.lossSum / Double(interval.tokens) : 0
        let seconds = max(Self.now() - interval.start, 1e-9)
        var eta: Double?
        if options.maxSteps > 0 && stepsThisRun > 0 {
            eta = Double(options.maxSteps - state.step) * thisRun / Double(stepsThisRun)
        }
        if options.maxMinutes > 0 {
            let left = max(0, options.maxMinutes * 60 - thisRun)
            eta = min(eta ?? left, left)
        }
        return TrainingProgress(step: state.step, epoch: epoch, loss: loss, perplexity: exp(min(loss, 700)),
                                targetTokensPerSecond: Double(interval.tokens) / seconds, learningRate: currentRate(),
                                teacherForcing: teacherForcing, elapsedSeconds: elapsed, etaSeconds: eta,
                                maxSteps: options.maxSteps > 0 ? options.maxSteps : nil)
    }

    /// The lines printed before training: data, model, resolved configuration.
    private func startLines() -> [String] {
        var lines = [
            "data         \(data.corpus) in \(data.database): \(trainingPairs) training pairs (\(excludedPairs) left out: empty or longer than \(options.maxLength)), \(validator?.count ?? 0) validation pairs",
            "vocabulary   \(data.vocabulary): \(pipelines.source.vocabulary.count) source / \(pipelines.target.vocabulary.count) target entries",
            "parameters   \(model.parameterCount)",
        ]
        lines += options.summaryLines
        lines.append("valid BLEU   tok:\(options.validTokenizer?.rawValue ?? BLEUTokenizer.thirteenA.rawValue) \(tokenizerReason); best model by \(options.bestMetric.rawValue)")
        lines.append(resumed
            ? "resuming     \(checkpointPath) at step \(state.step), epoch \(state.batcher.epoch + 1)"
            : "output       \(outputDirectory)")
        if validator == nil { lines.append("note         no validation split: model.safetensors holds the latest parameters") }
        if let bpeDropoutNote { lines.append("note         \(bpeDropoutNote)") }
        return lines
    }

    /// Monotonic seconds.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
