import Foundation
import S2SDistributed
import S2SEval
import S2SLayers
import S2SModel
import S2SNumerics

/// Every setting of a training run that decides what the run computes, resolved (no "default"
/// placeholders left). Stored in the checkpoint's header as JSON, so `--resume` continues with
/// exactly the configuration the run started with and `s2s train` can print it.
///
/// Settings that only decide how long to train or how often to report (`maxSteps`, `maxMinutes`,
/// `maxEpochs`, `logEvery`, `threads`) may change on resume (`TrainingOptions.budgetKeys`);
/// anything else that differs from the checkpoint is refused.
package struct TrainingOptions: Codable, Equatable, Sendable {
    /// Which parameter update.
    package enum OptimizerKind: String, Codable, Sendable, CaseIterable { case adam, sgd }
    /// How the learning rate moves.
    package enum ScheduleKind: String, Codable, Sendable, CaseIterable {
        case plateau, constant
        case inverseSqrt = "inverse-sqrt"
    }
    /// Which validation figure picks the best model (and drives early stopping).
    package enum BestMetric: String, Codable, Sendable, CaseIterable { case bleu, chrf, loss }

    /// Architecture, dropout and label smoothing (vocabulary sizes come from the pipelines).
    package var model: ModelConfig
    /// GEMM arithmetic, as resolved for this CPU (stored as "fp32" or "bf16").
    package var precision: Precision
    /// Seeds parameter initialization (`seed`), batch order (`seed + 1`), dropout/sampling
    /// (`seed + 2`) and BPE-dropout (`seed + 3`).
    package var seed: UInt64

    // Batches.
    /// Padded target tokens per batch.
    package var batchTokens: Int
    /// Training pairs longer than this many pipeline ids on either side are left out.
    package var maxLength: Int
    /// Batches of `batchTokens` whose gradients are summed before one update (1 = none): a
    /// larger batch per update on few cores, and fewer allreduces between ranks.
    package var accumulate: Int
    /// How gradients travel between ranks (`none` = exact fp32). No effect in one process.
    package var gradientCompression: GradientCompression

    // Optimizer and learning rate.
    package var optimizer: OptimizerKind
    package var learningRate: Float
    package var beta1: Double
    package var beta2: Double
    package var weightDecay: Double
    /// BPE-dropout on the training split, re-drawn every epoch (0 = the cached full merges).
    package var bpeDropout: Double
    /// SGD momentum.
    package var momentum: Float
    /// Global gradient-norm clipping threshold (0 = off).
    package var clip: Float
    package var schedule: ScheduleKind
    /// Plateau: factor, validations without improvement tolerated, floor.
    package var decayFactor: Float
    package var decayPatience: Int
    package var minimumLearningRate: Float
    /// inverse-sqrt: warm-up steps.
    package var warmupSteps: Int

    // Scheduled sampling.
    package var scheduledSampling: ScheduledSampling
    package var feedChoice: FeedChoice

    // Validation and stopping.
    /// Validate (and checkpoint) every this many updates (0 = only at the end).
    package var validEvery: Int
    /// Use at most this many validation pairs (0 = all).
    package var validMaxSentences: Int
    /// Beam size for validation BLEU (1 = greedy).
    package var validBeam: Int
    package var bestMetric: BestMetric
    /// The tokenizer of validation BLEU; nil until the trainer resolves it from the corpus's
    /// target language (`TokenizerChoice`), after which checkpoints carry it.
    package var validTokenizer: BLEUTokenizer?
    /// Stop after this many validations without a new best (0 = never).
    package var patience: Int
    /// Consecutive non-finite steps tolerated before rolling back to the last checkpoint.
    package var nanTolerance: Int
    /// Storage of the best model's parameters.
    package var modelStorage: String
    /// Keep the parameters of the last this many validations as `step-N.safetensors` beside
    /// the model, for `s2s model average` (0 = none).
    package var keepCheckpoints: Int

    // Budget and reporting (may change on resume).
    /// Stop after this many updates in total (0 = no limit).
    package var maxSteps: Int
    /// Stop after this many minutes of this invocation (0 = no limit).
    package var maxMinutes: Double
    /// Stop after this many epochs (0 = no limit).
    package var maxEpochs: Int
    /// A metrics line (and a plain progress line) every this many updates.
    package var logEvery: Int
    /// Engine threads (0 = the engine's default).
    package var threads: Int

    /// The settings that may differ on `--resume` (they change neither the arithmetic nor the
    /// order of batches).
    package static let budgetKeys: Set<String> = ["max-steps", "max-time", "max-epochs", "log-every", "threads",
                                                 "keep-checkpoints"]

    /// Defaults: the reference's model size, Adam 1e-3, clip 1, plateau decay, greedy-BLEU
    /// validation every 1000 updates.
    package init(model: ModelConfig) {
        self.model = model
        precision = .fp32
        seed = 1
        batchTokens = 2000
        maxLength = 100
        accumulate = 1
        gradientCompression = .none
        optimizer = .adam
        learningRate = 1e-3
        beta1 = 0.9
        beta2 = 0.999
        weightDecay = 0
        bpeDropout = 0
        momentum = 0
        clip = 1
        schedule = .plateau
        decayFactor = 0.5
        decayPatience = 2
        minimumLearningRate = 1e-5
        warmupSteps = 4000
        scheduledSampling = .none
        feedChoice = .argmax
        validEvery = 1000
        validMaxSentences = 0
        validBeam = 1
        bestMetric = .bleu
        patience = 8
        nanTolerance = 5
        modelStorage = "f32"
        keepCheckpoints = 0
        maxSteps = 0
        maxMinutes = 0
        maxEpochs = 0
        logEvery = 100
        threads = 0
    }

    /// `s2s train`'s defaults: E = H = Hd = A = 256, one encoder layer, additive attention,
    /// dropout 0.2, label smoothing 0.1 (vocabulary sizes are placeholders the trainer fills in).
    package static var defaults: TrainingOptions {
        TrainingOptions(model: ModelConfig(sourceVocabulary: 5, targetVocabulary: 5, embedding: 256, hidden: 256,
                                           layers: 1, attention: .additive, dropout: 0.2, labelSmoothing: 0.1))
    }

    /// Rejects settings that cannot be trained with, naming the option.
    package func validate() throws(TrainingError) {
        func check(_ ok: Bool, _ message: @autoclosure () -> String) throws(TrainingError) {
            if !ok { throw .invalidOption(message()) }
        }
        // The architecture in the flags' words first; the model's own check catches the rest.
        try check(precision != .int8, "--precision int8 is for decoding (translate, evaluate, bench decode); train with fp32 or bf16")
        let m = model
        try check(m.layers >= 1, "--enc-layers must be ≥ 1, got \(m.layers)")
        try check(m.decoderLayers >= 1, "--dec-layers must be ≥ 1, got \(m.decoderLayers)")
        try check(m.attention != .dot || m.decoderHidden == m.encoderOutput,
                  "--attention dot scores the decoder state against encoder outputs of 2 × --hidden = \(m.encoderOutput); "
                  + "give --dec-hidden \(m.encoderOutput) (it is \(m.decoderHidden)) or another --attention")
        try check(!m.residual || m.layers > 1 || m.decoderLayers > 1,
                  "--residual connects stacked layers: give --enc-layers or --dec-layers of 2 or more")
        let rates: [(String, Float?)] = [("dropout", m.dropout), ("dropout-emb", m.embeddingDropout),
                                         ("dropout-layer", m.layerDropout), ("dropout-out", m.outputDropout),
                                         ("dropout-ctx", m.contextDropout), ("word-dropout", m.wordDropout),
                                         ("dropout-rec", m.recurrentDropout)]
        for (flag, rate) in rates {
            if let rate { try check(rate >= 0 && rate < 1, "--\(flag) must be in [0, 1), got \(rate)") }
        }
        do {
            try model.validate()
        } catch {
            throw .invalidOption(error.description)
        }
        try check(batchTokens > 0, "--batch-tokens must be positive, got \(batchTokens)")
        try check(maxLength > 0, "--max-length must be positive, got \(maxLength)")
        try check(accumulate >= 1, "--accumulate must be ≥ 1, got \(accumulate)")
        try check(learningRate > 0 && learningRate.isFinite, "--lr must be positive, got \(learningRate)")
        try check(clip >= 0 && clip.isFinite, "--clip must be ≥ 0, got \(clip)")
        try check(decayFactor > 0 && decayFactor <= 1, "--lr-decay must be in (0, 1], got \(decayFactor)")
        try check(decayPatience >= 0, "--lr-patience must be ≥ 0, got \(decayPatience)")
        try check(minimumLearningRate >= 0, "--min-lr must be ≥ 0, got \(minimumLearningRate)")
        try check(warmupSteps > 0, "--warmup must be positive, got \(warmupSteps)")
        try check((0..<1).contains(beta1) && (0..<1).contains(beta2), "Adam betas must be in [0, 1)")
        try check(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1), got \(momentum)")
        try check(weightDecay >= 0, "--weight-decay must be ≥ 0, got \(weightDecay)")
        try check(bpeDropout >= 0 && bpeDropout < 1, "--bpe-dropout must be a probability in [0, 1), got \(bpeDropout)")
        try check(validEvery >= 0, "--valid-every must be ≥ 0, got \(validEvery)")
        try check(validMaxSentences >= 0, "--valid-max-sentences must be ≥ 0, got \(validMaxSentences)")
        try check(validBeam >= 1, "--valid-beam must be ≥ 1, got \(validBeam)")
        try check(patience >= 0, "--patience must be ≥ 0, got \(patience)")
        try check(keepCheckpoints >= 0, "--keep-checkpoints must be ≥ 0, got \(keepCheckpoints)")
        try check(nanTolerance >= 1, "--nan-tolerance must be ≥ 1, got \(nanTolerance)")
        try check(["f32", "f16", "bf16"].contains(modelStorage), "--model-storage must be f32, f16 or bf16, got \(modelStorage)")
        try check(maxSteps >= 0, "--max-steps must be ≥ 0, got \(maxSteps)")
        try check(maxMinutes >= 0 && maxMinutes.isFinite, "--max-time must be ≥ 0 minutes, got \(maxMinutes)")
        try check(maxEpochs >= 0, "--max-epochs must be ≥ 0, got \(maxEpochs)")
        try check(logEvery >= 1, "--log-every must be ≥ 1, got \(logEvery)")
        try check(threads >= 0, "--threads must be ≥ 0, got \(threads)")
        switch scheduledSampling {
        case .none: break
        case let .linear(k, c, minimum):
            try check((0...1).contains(k) && c >= 0 && (0...1).contains(minimum), "--ss-schedule linear needs 0 ≤ k ≤ 1, c ≥ 0, 0 ≤ min ≤ 1")
        case let .exponential(k):
            try check(k > 0 && k < 1, "--ss-schedule exponential needs 0 < k < 1, got \(k)")
        case let .inverseSigmoid(k):
            try check(k >= 1, "--ss-schedule inverse-sigmoid needs k ≥ 1, got \(k)")
        }
    }

    /// The learning-rate schedule these settings describe.
    package var learningRateSchedule: LearningRateSchedule {
        switch schedule {
        case .constant:
            return .constant(learningRate)
        case .plateau:
            return .decayOnPlateau(initial: learningRate, factor: decayFactor, patience: decayPatience,
                                   minimum: minimumLearningRate, threshold: 1e-4)
        case .inverseSqrt:
            return .warmupInverseSqrt(peak: learningRate, warmupSteps: warmupSteps)
        }
    }

    /// A fresh optimizer of the configured kind.
    package func makeOptimizer() -> any Optimizer {
        switch optimizer {
        case .adam: return Adam(beta1: beta1, beta2: beta2, weightDecay: weightDecay)
        case .sgd: return SGD(momentum: momentum, weightDecay: Float(weightDecay))
        }
    }

    /// The configuration as pretty JSON with sorted keys (printed at start, stored in checkpoints).
    package var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Parses `json` (a checkpoint's `training_config`). Settings added after a checkpoint was
    /// written take the value that reproduces what that run computed.
    package static func decode(_ json: String) throws -> TrainingOptions {
        guard var object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "training_config is not a JSON object"))
        }
        for (key, value) in addedSettings where object[key] == nil { object[key] = value }
        return try JSONDecoder().decode(TrainingOptions.self, from: JSONSerialization.data(withJSONObject: object))
    }

    /// Keys added since the first checkpoint format, with the value that means "as before".
    static var addedSettings: [(String, Any)] {
        [("accumulate", 1), ("gradientCompression", "none"), ("validTokenizer", BLEUTokenizer.thirteenA.rawValue),
         ("keepCheckpoints", 0), ("bpeDropout", 0)]
    }

    /// The resolved configuration, one `name value` per line, for the start of a run.
    package var summaryLines: [String] {
        let m = model
        let opt = optimizer == .adam ? "adam(β1=\(beta1), β2=\(beta2), wd=\(weightDecay))" : "sgd(momentum=\(momentum), wd=\(weightDecay))"
        let sched: String
        switch schedule {
        case .constant: sched = "constant"
        case .plateau: sched = "plateau(factor=\(decayFactor), patience=\(decayPatience), min=\(minimumLearningRate))"
        case .inverseSqrt: sched = "inverse-sqrt(warmup=\(warmupSteps))"
        }
        return [
            "model        \(m.summary)",
            "regularize   dropout \(m.dropoutRates.summary), label-smoothing \(m.labelSmoothing)"
                + (bpeDropout > 0 ? ", bpe-dropout \(bpeDropout) (training split, fresh every epoch)" : ""),
            "optimizer    \(opt), lr \(learningRate), schedule \(sched), clip \(clip == 0 ? "off" : "\(clip)")",
            "batches      \(batchTokens) target tokens\(accumulate > 1 ? " × \(accumulate) accumulated" : ""), max length \(maxLength), seed \(seed), precision \(precision), threads \(threads == 0 ? "default" : "\(threads)")",
            "sampling     \(scheduledSampling.description), feed \(feedChoice.rawValue)",
            "validation   every \(validEvery == 0 ? "end only" : "\(validEvery) steps"), \(validMaxSentences == 0 ? "all" : "\(validMaxSentences)") sentences, \(validBeam == 1 ? "greedy" : "beam \(validBeam)") BLEU (tok \(validTokenizer?.rawValue ?? "from the target language")) and chrF, best by \(bestMetric.rawValue), patience \(patience == 0 ? "off" : "\(patience)")"
                + (keepCheckpoints > 0 ? ", keeps the last \(keepCheckpoints)" : ""),
            "budget       max-steps \(maxSteps == 0 ? "none" : "\(maxSteps)"), max-time \(maxMinutes == 0 ? "none" : "\(maxMinutes) min"), max-epochs \(maxEpochs == 0 ? "none" : "\(maxEpochs)"), log every \(logEvery)",
        ]
    }
}
