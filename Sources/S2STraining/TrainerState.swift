import S2SCorpus
import S2SLayers
import S2SNumerics

/// One validation run's figures.
public struct ValidationRecord: Codable, Equatable, Sendable {
    public var step: Int
    public var epoch: Int
    /// Mean per-token cross-entropy without label smoothing, and its exp.
    public var loss: Double
    public var perplexity: Double
    /// Corpus BLEU of greedy (or beam) decoding, detokenized, with the run's validation
    /// tokenizer (`TrainingOptions.validTokenizer`).
    public var bleu: Double
    /// Corpus chrF of the same decoding (nil in checkpoints written before it was measured).
    public var chrf: Double? = nil
    public var sentences: Int
    public var seconds: Double
}

/// Everything besides parameters and optimizer moments that a resumed run needs to continue
/// bit-identically: the update count, the batcher's position, the generator behind dropout and
/// scheduled sampling, the learning-rate scheduler, the early-stopping bookkeeping and the
/// history. Stored as JSON in the checkpoint's header (Foundation's JSON round-trips UInt64,
/// Float and Double exactly; the resume test checks the bits).
public struct TrainerState: Codable, Equatable, Sendable {
    /// Optimizer updates applied.
    public var step = 0
    /// Where the next training batch comes from.
    public var batcher: BatchPosition
    /// Unused since training draws per pair (`Trainer.sentenceSeed`): kept so checkpoints
    /// keep one format.
    public var rng: PCG32
    public var scheduler: LearningRateScheduler
    /// Multiplier on the scheduled rate, halved at every rollback after non-finite losses.
    public var rateScale: Float = 1
    public var rollbacks = 0
    /// Non-finite steps in a row (reset by a good step).
    public var nonFiniteStreak = 0
    public var skippedSteps = 0
    /// Best validation score (BLEU, chrF or −loss) on the regular validation grid, its step, and
    /// regular validations since.
    public var bestScore: Double?
    public var bestStep: Int?
    public var validationsWithoutImprovement = 0
    public var earlyStopped = false
    public var history: [ValidationRecord] = []
    /// Wall-clock seconds of training before this invocation (all earlier runs).
    public var elapsedSeconds = 0.0
    /// Target tokens trained on (good steps).
    public var targetTokens = 0

    public init(batcher: BatchPosition, rng: PCG32, scheduler: LearningRateScheduler) {
        self.batcher = batcher
        self.rng = rng
        self.scheduler = scheduler
    }

    /// The score of a validation under `metric`, larger is better.
    static func score(_ record: ValidationRecord, metric: TrainingOptions.BestMetric) -> Double {
        switch metric {
        case .bleu: return record.bleu
        case .chrf: return record.chrf ?? -.infinity
        case .loss: return -record.loss
        }
    }
}
