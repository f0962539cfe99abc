import S2SDistributed
import S2SEval
import S2SLayers
import S2SModel
import S2SNumerics

/// The keys of a configuration file: `s2s train`'s long flag names (`--enc-layers`, not its
/// alias `--layers`).
enum TrainingConfigKey: String, CodingKey, CaseIterable {
    case db, corpus, vocab, out
    case emb, hidden, decHidden = "dec-hidden", attDim = "att-dim", encLayers = "enc-layers"
    case encCell = "enc-cell", decCell = "dec-cell", decLayers = "dec-layers", inputFeeding = "input-feeding"
    case residual, attention, dropout, labelSmoothing = "label-smoothing", orthogonalInit = "orthogonal-init"
    case tieEmbeddings = "tie-embeddings", dropoutEmb = "dropout-emb", dropoutLayer = "dropout-layer"
    case dropoutOut = "dropout-out", dropoutCtx = "dropout-ctx", wordDropout = "word-dropout"
    case dropoutRec = "dropout-rec", bpeDropout = "bpe-dropout"
    case precision, seed, batchTokens = "batch-tokens", maxLength = "max-length", accumulate
    case gradientCompression = "gradient-compression", optimizer, lr, momentum, weightDecay = "weight-decay", clip
    case lrSchedule = "lr-schedule", lrDecay = "lr-decay", lrPatience = "lr-patience", minLr = "min-lr", warmup
    case ssSchedule = "ss-schedule", ssK = "ss-k", ssC = "ss-c", ssMin = "ss-min", ssSample = "ss-sample"
    case validEvery = "valid-every", validMaxSentences = "valid-max-sentences", validBeam = "valid-beam"
    case bestMetric = "best-metric", validTokenize = "valid-tokenize", patience, nanTolerance = "nan-tolerance"
    case modelStorage = "model-storage", maxSteps = "max-steps", maxTime = "max-time", maxEpochs = "max-epochs"
    case logEvery = "log-every", threads, keepCheckpoints = "keep-checkpoints"
}

/// Any key, to find the ones no flag has.
private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension TrainingConfigFile: Codable {
    package init(from decoder: any Decoder) throws {
        let all = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = all.allKeys.map(\.stringValue).sorted().first(where: { TrainingConfigKey(rawValue: $0) == nil }) {
            throw TrainingConfigError(message: "'\(unknown)' is not an option of s2s train (keys are the long flag names, e.g. \"enc-cell\")")
        }
        let c = try decoder.container(keyedBy: TrainingConfigKey.self)
        func choice<T>(_ key: TrainingConfigKey, _ make: (String) -> T?, _ names: [String]) throws -> T? {
            guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard let value = make(text) else {
                throw TrainingConfigError(message: "'\(key.rawValue)' must be one of \(names.joined(separator: ", ")), got '\(text)'")
            }
            return value
        }
        db = try c.decodeIfPresent(String.self, forKey: .db)
        corpus = try c.decodeIfPresent(String.self, forKey: .corpus)
        vocab = try c.decodeIfPresent(String.self, forKey: .vocab)
        out = try c.decodeIfPresent(String.self, forKey: .out)
        var o = TrainingOverrides()
        o.embedding = try c.decodeIfPresent(Int.self, forKey: .emb)
        o.hidden = try c.decodeIfPresent(Int.self, forKey: .hidden)
        o.decoderHidden = try c.decodeIfPresent(Int.self, forKey: .decHidden)
        o.attentionSize = try c.decodeIfPresent(Int.self, forKey: .attDim)
        o.layers = try c.decodeIfPresent(Int.self, forKey: .encLayers)
        o.encoderCell = try choice(.encCell, RecurrentCellKind.init(rawValue:), RecurrentCellKind.allCases.map(\.rawValue))
        o.decoderCell = try choice(.decCell, RecurrentCellKind.init(rawValue:), RecurrentCellKind.allCases.map(\.rawValue))
        o.decoderLayers = try c.decodeIfPresent(Int.self, forKey: .decLayers)
        o.inputFeeding = try c.decodeIfPresent(Bool.self, forKey: .inputFeeding)
        o.residual = try c.decodeIfPresent(Bool.self, forKey: .residual)
        o.attention = try choice(.attention, AttentionKind.init(optionName:), AttentionKind.allCases.map(\.optionName))
        o.dropout = try c.decodeIfPresent(Float.self, forKey: .dropout)
        o.tying = try choice(.tieEmbeddings, EmbeddingTying.init(rawValue:), EmbeddingTying.allCases.map(\.rawValue))
        o.embeddingDropout = try c.decodeIfPresent(Float.self, forKey: .dropoutEmb)
        o.layerDropout = try c.decodeIfPresent(Float.self, forKey: .dropoutLayer)
        o.outputDropout = try c.decodeIfPresent(Float.self, forKey: .dropoutOut)
        o.contextDropout = try c.decodeIfPresent(Float.self, forKey: .dropoutCtx)
        o.wordDropout = try c.decodeIfPresent(Float.self, forKey: .wordDropout)
        o.recurrentDropout = try c.decodeIfPresent(Float.self, forKey: .dropoutRec)
        o.bpeDropout = try c.decodeIfPresent(Double.self, forKey: .bpeDropout)
        o.labelSmoothing = try c.decodeIfPresent(Float.self, forKey: .labelSmoothing)
        o.orthogonal = try c.decodeIfPresent(Bool.self, forKey: .orthogonalInit)
        o.precision = try choice(.precision, PrecisionChoice.init(rawValue:), PrecisionChoice.allCases.map(\.rawValue))
        o.seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        o.batchTokens = try c.decodeIfPresent(Int.self, forKey: .batchTokens)
        o.maxLength = try c.decodeIfPresent(Int.self, forKey: .maxLength)
        o.accumulate = try c.decodeIfPresent(Int.self, forKey: .accumulate)
        o.gradientCompression = try choice(.gradientCompression, GradientCompression.init(rawValue:),
                                           GradientCompression.allCases.map(\.rawValue))
        o.optimizer = try choice(.optimizer, TrainingOptions.OptimizerKind.init(rawValue:),
                                 TrainingOptions.OptimizerKind.allCases.map(\.rawValue))
        o.learningRate = try c.decodeIfPresent(Float.self, forKey: .lr)
        o.momentum = try c.decodeIfPresent(Float.self, forKey: .momentum)
        o.weightDecay = try c.decodeIfPresent(Double.self, forKey: .weightDecay)
        o.clip = try c.decodeIfPresent(Float.self, forKey: .clip)
        o.schedule = try choice(.lrSchedule, TrainingOptions.ScheduleKind.init(rawValue:),
                                TrainingOptions.ScheduleKind.allCases.map(\.rawValue))
        o.decayFactor = try c.decodeIfPresent(Float.self, forKey: .lrDecay)
        o.decayPatience = try c.decodeIfPresent(Int.self, forKey: .lrPatience)
        o.minimumLearningRate = try c.decodeIfPresent(Float.self, forKey: .minLr)
        o.warmupSteps = try c.decodeIfPresent(Int.self, forKey: .warmup)
        o.samplingSchedule = try choice(.ssSchedule, { ScheduledSampling.names.contains($0) ? $0 : nil }, ScheduledSampling.names)
        o.samplingK = try c.decodeIfPresent(Double.self, forKey: .ssK)
        o.samplingC = try c.decodeIfPresent(Double.self, forKey: .ssC)
        o.samplingMinimum = try c.decodeIfPresent(Double.self, forKey: .ssMin)
        o.sampleFed = try c.decodeIfPresent(Bool.self, forKey: .ssSample)
        o.validEvery = try c.decodeIfPresent(Int.self, forKey: .validEvery)
        o.validMaxSentences = try c.decodeIfPresent(Int.self, forKey: .validMaxSentences)
        o.validBeam = try c.decodeIfPresent(Int.self, forKey: .validBeam)
        o.bestMetric = try choice(.bestMetric, TrainingOptions.BestMetric.init(rawValue:),
                                  TrainingOptions.BestMetric.allCases.map(\.rawValue))
        o.validTokenizer = try choice(.validTokenize, BLEUTokenizer.init(rawValue:), BLEUTokenizer.allCases.map(\.rawValue))
        o.patience = try c.decodeIfPresent(Int.self, forKey: .patience)
        o.nanTolerance = try c.decodeIfPresent(Int.self, forKey: .nanTolerance)
        o.modelStorage = try choice(.modelStorage, { ["f32", "f16", "bf16"].contains($0) ? $0 : nil }, ["f32", "f16", "bf16"])
        o.maxSteps = try c.decodeIfPresent(Int.self, forKey: .maxSteps)
        o.maxMinutes = try c.decodeIfPresent(Double.self, forKey: .maxTime)
        o.maxEpochs = try c.decodeIfPresent(Int.self, forKey: .maxEpochs)
        o.logEvery = try c.decodeIfPresent(Int.self, forKey: .logEvery)
        o.threads = try c.decodeIfPresent(Int.self, forKey: .threads)
        o.keepCheckpoints = try c.decodeIfPresent(Int.self, forKey: .keepCheckpoints)
        overrides = o
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: TrainingConfigKey.self)
        let o = overrides
        try c.encodeIfPresent(db, forKey: .db)
        try c.encodeIfPresent(corpus, forKey: .corpus)
        try c.encodeIfPresent(vocab, forKey: .vocab)
        try c.encodeIfPresent(out, forKey: .out)
        try c.encodeIfPresent(o.embedding, forKey: .emb)
        try c.encodeIfPresent(o.hidden, forKey: .hidden)
        try c.encodeIfPresent(o.decoderHidden, forKey: .decHidden)
        try c.encodeIfPresent(o.attentionSize, forKey: .attDim)
        try c.encodeIfPresent(o.layers, forKey: .encLayers)
        try c.encodeIfPresent(o.encoderCell?.rawValue, forKey: .encCell)
        try c.encodeIfPresent(o.decoderCell?.rawValue, forKey: .decCell)
        try c.encodeIfPresent(o.decoderLayers, forKey: .decLayers)
        try c.encodeIfPresent(o.inputFeeding, forKey: .inputFeeding)
        try c.encodeIfPresent(o.residual, forKey: .residual)
        try c.encodeIfPresent(o.attention?.optionName, forKey: .attention)
        try c.encodeIfPresent(o.dropout, forKey: .dropout)
        try c.encodeIfPresent(o.tying?.rawValue, forKey: .tieEmbeddings)
        try c.encodeIfPresent(o.embeddingDropout, forKey: .dropoutEmb)
        try c.encodeIfPresent(o.layerDropout, forKey: .dropoutLayer)
        try c.encodeIfPresent(o.outputDropout, forKey: .dropoutOut)
        try c.encodeIfPresent(o.contextDropout, forKey: .dropoutCtx)
        try c.encodeIfPresent(o.wordDropout, forKey: .wordDropout)
        try c.encodeIfPresent(o.recurrentDropout, forKey: .dropoutRec)
        try c.encodeIfPresent(o.bpeDropout, forKey: .bpeDropout)
        try c.encodeIfPresent(o.labelSmoothing, forKey: .labelSmoothing)
        try c.encodeIfPresent(o.orthogonal, forKey: .orthogonalInit)
        try c.encodeIfPresent(o.precision?.rawValue, forKey: .precision)
        try c.encodeIfPresent(o.seed, forKey: .seed)
        try c.encodeIfPresent(o.batchTokens, forKey: .batchTokens)
        try c.encodeIfPresent(o.maxLength, forKey: .maxLength)
        try c.encodeIfPresent(o.accumulate, forKey: .accumulate)
        try c.encodeIfPresent(o.gradientCompression?.rawValue, forKey: .gradientCompression)
        try c.encodeIfPresent(o.optimizer?.rawValue, forKey: .optimizer)
        try c.encodeIfPresent(o.learningRate, forKey: .lr)
        try c.encodeIfPresent(o.momentum, forKey: .momentum)
        try c.encodeIfPresent(o.weightDecay, forKey: .weightDecay)
        try c.encodeIfPresent(o.clip, forKey: .clip)
        try c.encodeIfPresent(o.schedule?.rawValue, forKey: .lrSchedule)
        try c.encodeIfPresent(o.decayFactor, forKey: .lrDecay)
        try c.encodeIfPresent(o.decayPatience, forKey: .lrPatience)
        try c.encodeIfPresent(o.minimumLearningRate, forKey: .minLr)
        try c.encodeIfPresent(o.warmupSteps, forKey: .warmup)
        try c.encodeIfPresent(o.samplingSchedule, forKey: .ssSchedule)
        try c.encodeIfPresent(o.samplingK, forKey: .ssK)
        try c.encodeIfPresent(o.samplingC, forKey: .ssC)
        try c.encodeIfPresent(o.samplingMinimum, forKey: .ssMin)
        try c.encodeIfPresent(o.sampleFed, forKey: .ssSample)
        try c.encodeIfPresent(o.validEvery, forKey: .validEvery)
        try c.encodeIfPresent(o.validMaxSentences, forKey: .validMaxSentences)
        try c.encodeIfPresent(o.validBeam, forKey: .validBeam)
        try c.encodeIfPresent(o.bestMetric?.rawValue, forKey: .bestMetric)
        try c.encodeIfPresent(o.validTokenizer?.rawValue, forKey: .validTokenize)
        try c.encodeIfPresent(o.patience, forKey: .patience)
        try c.encodeIfPresent(o.nanTolerance, forKey: .nanTolerance)
        try c.encodeIfPresent(o.modelStorage, forKey: .modelStorage)
        try c.encodeIfPresent(o.maxSteps, forKey: .maxSteps)
        try c.encodeIfPresent(o.maxMinutes, forKey: .maxTime)
        try c.encodeIfPresent(o.maxEpochs, forKey: .maxEpochs)
        try c.encodeIfPresent(o.logEvery, forKey: .logEvery)
        try c.encodeIfPresent(o.threads, forKey: .threads)
        try c.encodeIfPresent(o.keepCheckpoints, forKey: .keepCheckpoints)
    }
}

extension TrainingOverrides {
    /// Every setting of `options` given explicitly: resolving these over the defaults gives
    /// `options` back.
    package init(options t: TrainingOptions) {
        self.init()
        let m = t.model
        embedding = m.embedding
        hidden = m.hidden
        decoderHidden = m.decoderHidden
        attentionSize = m.attentionSize
        layers = m.layers
        encoderCell = m.encoderCell
        decoderCell = m.decoderCell
        decoderLayers = m.decoderLayers
        inputFeeding = m.inputFeeding
        residual = m.residual
        attention = m.attention
        dropout = m.dropout
        tying = m.tying
        embeddingDropout = m.embeddingDropout
        layerDropout = m.layerDropout
        outputDropout = m.outputDropout
        contextDropout = m.contextDropout
        wordDropout = m.wordDropout
        recurrentDropout = m.recurrentDropout
        bpeDropout = t.bpeDropout
        labelSmoothing = m.labelSmoothing
        orthogonal = m.orthogonalRecurrent
        precision = PrecisionChoice(t.precision)
        seed = t.seed
        batchTokens = t.batchTokens
        maxLength = t.maxLength
        accumulate = t.accumulate
        gradientCompression = t.gradientCompression
        optimizer = t.optimizer
        learningRate = t.learningRate
        momentum = t.momentum
        weightDecay = t.weightDecay
        clip = t.clip
        schedule = t.schedule
        decayFactor = t.decayFactor
        decayPatience = t.decayPatience
        minimumLearningRate = t.minimumLearningRate
        warmupSteps = t.warmupSteps
        switch t.scheduledSampling {
        case .none: samplingSchedule = "none"
        case let .linear(k, c, minimum): (samplingSchedule, samplingK, samplingC, samplingMinimum) = ("linear", k, c, minimum)
        case let .exponential(k): (samplingSchedule, samplingK) = ("exponential", k)
        case let .inverseSigmoid(k): (samplingSchedule, samplingK) = ("inverse-sigmoid", k)
        }
        sampleFed = t.feedChoice == .sample
        validEvery = t.validEvery
        validMaxSentences = t.validMaxSentences
        validBeam = t.validBeam
        bestMetric = t.bestMetric
        validTokenizer = t.validTokenizer
        patience = t.patience
        nanTolerance = t.nanTolerance
        modelStorage = t.modelStorage
        maxSteps = t.maxSteps
        maxMinutes = t.maxMinutes
        maxEpochs = t.maxEpochs
        logEvery = t.logEvery
        threads = t.threads
        keepCheckpoints = t.keepCheckpoints
    }

    /// These settings with every one that `other` gives replaced by `other`'s (flags over a file).
    package func overlaid(by other: TrainingOverrides) -> TrainingOverrides {
        var o = self
        func take<T>(_ path: WritableKeyPath<TrainingOverrides, T?>) {
            if let value = other[keyPath: path] { o[keyPath: path] = value }
        }
        take(\.embedding); take(\.hidden); take(\.decoderHidden); take(\.attentionSize); take(\.layers)
        take(\.attention); take(\.encoderCell); take(\.decoderCell); take(\.decoderLayers); take(\.inputFeeding)
        take(\.residual); take(\.dropout); take(\.labelSmoothing); take(\.orthogonal); take(\.precision); take(\.seed)
        take(\.batchTokens); take(\.maxLength); take(\.accumulate); take(\.gradientCompression); take(\.optimizer)
        take(\.learningRate); take(\.momentum); take(\.clip); take(\.weightDecay); take(\.schedule)
        take(\.decayFactor); take(\.minimumLearningRate); take(\.decayPatience); take(\.warmupSteps)
        take(\.samplingSchedule); take(\.samplingK); take(\.samplingC); take(\.samplingMinimum); take(\.sampleFed)
        take(\.validEvery); take(\.validMaxSentences); take(\.validBeam); take(\.patience); take(\.nanTolerance)
        take(\.bestMetric); take(\.validTokenizer); take(\.modelStorage); take(\.maxSteps); take(\.maxEpochs)
        take(\.logEvery); take(\.threads); take(\.maxMinutes)
        take(\.tying); take(\.embeddingDropout); take(\.layerDropout); take(\.outputDropout); take(\.contextDropout)
        take(\.wordDropout); take(\.recurrentDropout); take(\.bpeDropout); take(\.keepCheckpoints)
        return o
    }
}
