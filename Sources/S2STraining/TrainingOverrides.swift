import S2SDistributed
import S2SEval
import S2SLayers
import S2SModel
import S2SNumerics

/// The options a user gave on the command line (nil = not given), applied to the defaults for a
/// new run or to the checkpoint's options for `--resume`, where anything but the budget settings
/// must agree with what the run was started with.
package struct TrainingOverrides: Equatable, Sendable {
    package var embedding, hidden, decoderHidden, attentionSize, layers: Int?
    package var attention: AttentionKind?
    package var encoderCell, decoderCell: RecurrentCellKind?
    package var decoderLayers: Int?
    package var inputFeeding: Bool?
    package var residual: Bool?
    package var tying: EmbeddingTying?
    package var dropout, labelSmoothing: Float?
    /// Per-site dropout (`DropoutRates`): embeddings, between layers, output layer input,
    /// encoder outputs, whole words, recurrent connections.
    package var embeddingDropout, layerDropout, outputDropout, contextDropout, wordDropout, recurrentDropout: Float?
    package var orthogonal: Bool?
    /// `auto` leaves the arithmetic to the caller (a new run resolves it; a resumed run keeps its own).
    package var precision: PrecisionChoice?
    package var seed: UInt64?
    package var batchTokens, maxLength, accumulate: Int?
    package var gradientCompression: GradientCompression?
    package var optimizer: TrainingOptions.OptimizerKind?
    package var learningRate, momentum, clip: Float?
    package var weightDecay: Double?
    package var bpeDropout: Double?
    package var schedule: TrainingOptions.ScheduleKind?
    package var decayFactor, minimumLearningRate: Float?
    package var decayPatience, warmupSteps: Int?
    /// "none", "linear", "exponential" or "inverse-sigmoid", with k, c and the minimum.
    package var samplingSchedule: String?
    package var samplingK, samplingC, samplingMinimum: Double?
    package var sampleFed: Bool?
    package var validEvery, validMaxSentences, validBeam, patience, nanTolerance: Int?
    package var bestMetric: TrainingOptions.BestMetric?
    /// `--valid-tokenize`: the validation BLEU tokenizer (default: from the target language).
    package var validTokenizer: BLEUTokenizer?
    package var modelStorage: String?
    package var keepCheckpoints: Int?
    package var maxSteps, maxEpochs, logEvery, threads: Int?
    package var maxMinutes: Double?

    package init() {}

    /// The resolved options: `saved` (resume) or `TrainingOptions.defaults` with every given
    /// value applied. On resume, a given value that differs from the checkpoint's is an error
    /// unless it is a budget setting (`TrainingOptions.budgetKeys`).
    package func resolve(saved: TrainingOptions?) throws(TrainingError) -> TrainingOptions {
        var o = saved ?? TrainingOptions.defaults
        var conflicts: [String] = []
        func set<T: Equatable>(_ name: String, _ value: T?, _ path: WritableKeyPath<TrainingOptions, T>) {
            guard let value, o[keyPath: path] != value else { return }
            if saved != nil && !TrainingOptions.budgetKeys.contains(name) {
                conflicts.append("--\(name) \(value) (checkpoint: \(o[keyPath: path]))")
            }
            o[keyPath: path] = value
        }
        // Sizes: a decoder or attention size of 0 (or, for a new run, not given) follows --hidden.
        set("emb", embedding, \.model.embedding)
        set("hidden", hidden, \.model.hidden)
        if let d = decoderHidden {
            set("dec-hidden", d == 0 ? o.model.hidden : d, \.model.decoderHidden)
        } else if saved == nil {
            o.model.decoderHidden = o.model.hidden
        }
        if let a = attentionSize {
            set("att-dim", a == 0 ? o.model.decoderHidden : a, \.model.attentionSize)
        } else if saved == nil {
            o.model.attentionSize = o.model.decoderHidden
        }
        set("layers", layers, \.model.layers)
        set("enc-cell", encoderCell, \.model.encoderCell)
        set("dec-cell", decoderCell, \.model.decoderCell)
        set("dec-layers", decoderLayers, \.model.decoderLayers)
        set("input-feeding", inputFeeding, \.model.inputFeeding)
        set("residual", residual, \.model.residual)
        set("tie-embeddings", tying, \.model.tying)
        set("attention", attention, \.model.attention)
        set("dropout", dropout, \.model.dropout)
        set("dropout-emb", embeddingDropout.map { Optional($0) }, \.model.embeddingDropout)
        set("dropout-layer", layerDropout.map { Optional($0) }, \.model.layerDropout)
        set("dropout-out", outputDropout.map { Optional($0) }, \.model.outputDropout)
        set("dropout-ctx", contextDropout, \.model.contextDropout)
        set("word-dropout", wordDropout, \.model.wordDropout)
        set("dropout-rec", recurrentDropout, \.model.recurrentDropout)
        set("label-smoothing", labelSmoothing, \.model.labelSmoothing)
        set("orthogonal-init", orthogonal, \.model.orthogonalRecurrent)
        set("precision", precision?.explicit, \.precision)
        set("seed", seed, \.seed)
        set("batch-tokens", batchTokens, \.batchTokens)
        set("max-length", maxLength, \.maxLength)
        set("accumulate", accumulate, \.accumulate)
        set("gradient-compression", gradientCompression, \.gradientCompression)
        set("optimizer", optimizer, \.optimizer)
        set("lr", learningRate, \.learningRate)
        set("momentum", momentum, \.momentum)
        set("weight-decay", weightDecay, \.weightDecay)
        set("bpe-dropout", bpeDropout, \.bpeDropout)
        set("clip", clip, \.clip)
        set("lr-schedule", schedule, \.schedule)
        set("lr-decay", decayFactor, \.decayFactor)
        set("lr-patience", decayPatience, \.decayPatience)
        set("min-lr", minimumLearningRate, \.minimumLearningRate)
        set("warmup", warmupSteps, \.warmupSteps)
        if samplingSchedule != nil || samplingK != nil || samplingC != nil || samplingMinimum != nil {
            set("ss-schedule", try scheduledSampling(current: o.scheduledSampling), \.scheduledSampling)
        }
        set("ss-sample", sampleFed.map { $0 ? FeedChoice.sample : .argmax }, \.feedChoice)
        set("valid-every", validEvery, \.validEvery)
        set("valid-max-sentences", validMaxSentences, \.validMaxSentences)
        set("valid-beam", validBeam, \.validBeam)
        set("best-metric", bestMetric, \.bestMetric)
        set("valid-tokenize", validTokenizer.map { Optional($0) }, \.validTokenizer)
        set("patience", patience, \.patience)
        set("nan-tolerance", nanTolerance, \.nanTolerance)
        set("model-storage", modelStorage, \.modelStorage)
        set("keep-checkpoints", keepCheckpoints, \.keepCheckpoints)
        set("max-steps", maxSteps, \.maxSteps)
        set("max-time", maxMinutes, \.maxMinutes)
        set("max-epochs", maxEpochs, \.maxEpochs)
        set("log-every", logEvery, \.logEvery)
        set("threads", threads, \.threads)
        if !conflicts.isEmpty {
            throw .conflict("--resume continues the checkpoint's configuration; these options differ from it: "
                + conflicts.joined(separator: ", ") + " (only --max-steps, --max-time, --max-epochs, --log-every and --threads may change)")
        }
        try o.validate()
        return o
    }

    /// The schedule named by --ss-schedule with --ss-k/--ss-c/--ss-min (defaults per schedule:
    /// linear k 1, c 1e-4, min 0.5; exponential k 0.9999; inverse-sigmoid k 1000). Without
    /// --ss-schedule the current schedule's kind is kept.
    func scheduledSampling(current: ScheduledSampling) throws(TrainingError) -> ScheduledSampling {
        let name: String
        if let samplingSchedule {
            name = samplingSchedule
        } else {
            switch current {
            case .none: name = "none"
            case .linear: name = "linear"
            case .exponential: name = "exponential"
            case .inverseSigmoid: name = "inverse-sigmoid"
            }
        }
        if name == "exponential" || name == "inverse-sigmoid", samplingC != nil || samplingMinimum != nil {
            throw .invalidOption("--ss-c and --ss-min apply to --ss-schedule linear only")
        }
        switch name {
        case "none":
            if samplingK != nil || samplingC != nil || samplingMinimum != nil {
                throw .invalidOption("--ss-k/--ss-c/--ss-min need a --ss-schedule other than none")
            }
            return .none
        case "linear":
            var (k, c, m) = (1.0, 1e-4, 0.5)
            if case let .linear(k0, c0, m0) = current { (k, c, m) = (k0, c0, m0) }
            return .linear(k: samplingK ?? k, c: samplingC ?? c, minimum: samplingMinimum ?? m)
        case "exponential":
            var k = 0.9999
            if case let .exponential(k0) = current { k = k0 }
            return .exponential(k: samplingK ?? k)
        case "inverse-sigmoid":
            var k = 1000.0
            if case let .inverseSigmoid(k0) = current { k = k0 }
            return .inverseSigmoid(k: samplingK ?? k)
        default:
            throw .invalidOption("--ss-schedule must be none, linear, exponential or inverse-sigmoid, got '\(name)'")
        }
    }
}
