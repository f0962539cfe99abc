import Foundation
import S2SBundle
import S2SNumerics
import S2STraining

/// Trains a translator on a corpus, as `s2s train` does, reporting progress as it goes.
///
/// ```swift
/// let result = try Training.run(database: db, corpus: "m30k", vocabulary: URL(fileURLWithPath: "vocab/m30k"),
///                               output: URL(fileURLWithPath: "models/m30k"), configuration: runFile) { step in
///     print("step \(step.step): loss \(step.loss)")
/// }
/// let translator = try Translator(model: result.model)
/// ```
public enum Training {
    /// Where training stands after an update.
    public struct Progress: Sendable {
        /// Updates done so far.
        public var step: Int
        /// The epoch (1-based) of the last batch.
        public var epoch: Int
        /// Mean training loss per target token since the previous report.
        public var loss: Double
        /// BLEU on the corpus's valid split, when this report follows a validation.
        public var validationBLEU: Double?
    }

    /// What a finished run left behind.
    public struct Result: Sendable {
        /// The model directory (the best model by the configured metric), for ``Translator/init(model:)``.
        public var model: URL
        /// Updates done.
        public var steps: Int
        /// The best validation BLEU, when the run validated.
        public var bestBLEU: Double?
    }

    /// Trains on the train split of `corpus` in `database` with the text pipeline in
    /// `vocabulary`, writing the model directory `output`.
    ///
    /// - Parameters:
    ///   - database: The corpus database.
    ///   - corpus: The corpus's name in it: its train split trains, its valid split validates.
    ///   - vocabulary: A directory written by ``CorpusDatabase/buildVocabulary(corpus:merges:joint:output:)``.
    ///   - output: The model directory to write (replaced if it holds a run).
    ///   - configuration: A `s2s train --config` file (JSON keyed by the flags' long names); nil
    ///     for `s2s train`'s defaults.
    ///   - maxSteps: Updates to stop after; overrides the configuration's `max-steps`.
    ///   - progress: Called on the training thread at every log step and after every validation.
    /// - Returns: Where the model is, the updates done and the best validation BLEU.
    public static func run(database: CorpusDatabase, corpus: String, vocabulary: URL, output: URL,
                           configuration: URL? = nil, maxSteps: Int? = nil,
                           progress: @escaping (Progress) -> Void = { _ in }) throws(S2SError) -> Result {
        do {
            var overrides = try configuration.map { url throws(TrainingError) in try TrainingConfigFile.read(path: url.path).overrides }
                ?? TrainingOverrides()
            if let maxSteps { overrides.maxSteps = maxSteps }
            let options = try overrides.resolve(saved: nil)
            // The same kernel choice as `s2s train` (a speed choice; it sets a process-wide switch).
            LargeGemmKernel.resolve(for: options.precision)
            let data = TrainingData(database: database.path.path, corpus: corpus, vocabulary: vocabulary.path)
            let trainer = try Trainer(data: data, options: options, outputDirectory: output.path, start: .fresh(overwrite: true),
                                      stopRequested: { false }) { event in
                switch event {
                case let .logged(p):
                    progress(Progress(step: p.step, epoch: p.epoch, loss: p.loss))
                case let .validated(record, _):
                    progress(Progress(step: record.step, epoch: record.epoch, loss: record.loss, validationBLEU: record.bleu))
                default:
                    break
                }
            }
            let summary = try trainer.run()
            return Result(model: URL(fileURLWithPath: trainer.modelPath).deletingLastPathComponent(), steps: summary.step,
                          bestBLEU: summary.best?.bleu)
        } catch {
            throw S2SError(error)
        }
    }
}
