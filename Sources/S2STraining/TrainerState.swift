import S2SCorpus
import S2SLayers
import S2SNumerics

/// One validation run's figures.
package struct ValidationRecord: Codable, Equatable, Sendable {
    package var step: Int
    package var epoch: Int
    /// Mean per-token cross-entropy without label smoothing, and its exp.
    package var loss: Double
    package var perplexity: Double
    /// Corpus BLEU of greedy (or beam) decoding, detokenized, with the run's validation
    /// tokenizer (`TrainingOptions.validTokenizer`).
    package var bleu: Double
    /// Corpus chrF of the same decoding (nil in checkpoints written before it was measured).
    package var chrf: Double? = nil
    package var sentences: Int
    package var seconds: Double
}

/// Everything besides parameters and optimizer moments that a resumed run needs to continue
/// bit-identically: the update count, the batcher's position, the generator behind dropout and
/// scheduled sampling, the learning-rate scheduler, the early-stopping bookkeeping and the
/// history. Stored as JSON in the checkpoint's header (Foundation's JSON round-trips UInt64,
/// Float and Double exactly; the resume test checks the bits).
package struct TrainerState: Codable, Equatable, Sendable {
    /// Optimizer updates applied.
    package var step = 0
    /// Where the next training batch comes from.
    package var batcher: BatchPosition
    /// Unused since training draws per pair (`Trainer.sentenceSeed`): kept so checkpoints
    /// keep one format.
    package var rng: PCG32
    package var scheduler: LearningRateScheduler
    /// Multiplier on the scheduled rate, halved at every rollback after non-finite losses.
    package var rateScale: Float = 1
    package var rollbacks = 0
    /// Non-finite steps in a row (reset by a good step).
    package var nonFiniteStreak = 0
    package var skippedSteps = 0
    /// Best validation score (BLEU, chrF or −loss) on the regular validation grid, its step, and
    /// regular validations since.
    package var bestScore: Double?
    package var bestStep: Int?
    package var validationsWithoutImprovement = 0
    package var earlyStopped = false
    package var history: [ValidationRecord] = []
    /// Wall-clock seconds of training before this invocation (all earlier runs).
    package var elapsedSeconds = 0.0
    /// Target tokens trained on (good steps).
    package var targetTokens = 0

    package init(batcher: BatchPosition, rng: PCG32, scheduler: LearningRateScheduler) {
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
