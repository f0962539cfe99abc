import S2SLayers

/// Where training stands after an update: what a progress line shows.
package struct TrainingProgress: Sendable, Equatable {
    package var step: Int
    /// 1-based epoch of the last batch.
    package var epoch: Int
    /// Mean training loss per target token (label smoothing included) over the updates since
    /// the last log line; `perplexity` is its exp.
    package var loss: Double
    package var perplexity: Double
    package var targetTokensPerSecond: Double
    package var learningRate: Float
    /// Probability of feeding the gold previous token at this step.
    package var teacherForcing: Double
    /// Seconds of training so far (earlier runs included).
    package var elapsedSeconds: Double
    /// Seconds left until --max-steps or --max-time, whichever comes first (nil: no budget).
    package var etaSeconds: Double?
    /// The step budget, when there is one (for "step 120/1000").
    package var maxSteps: Int?
}

/// Why a run ended.
package enum StopReason: String, Sendable, Equatable {
    case maxSteps = "reached --max-steps"
    case maxTime = "reached --max-time"
    case maxEpochs = "reached --max-epochs"
    case earlyStopping = "early stopping (no improvement within --patience validations)"
    case interrupted = "interrupted"
}

/// What a finished (or stopped) run reports.
package struct TrainingSummary: Sendable, Equatable {
    package var reason: StopReason
    package var step: Int
    package var epoch: Int
    /// The checkpoint written last (resume from it).
    package var checkpointPath: String
    /// The best model's directory, its step and validation figures (nil before any validation).
    package var bestStep: Int?
    package var best: ValidationRecord?
    package var history: [ValidationRecord]
    package var seconds: Double
    package var targetTokensPerSecond: Double
    package var skippedSteps: Int
    package var rollbacks: Int
}

/// Things the trainer tells its caller as they happen (the CLI turns them into stderr lines).
package enum TrainerEvent: Sendable {
    /// Before the first step: lines describing data, model and the resolved configuration.
    case started(lines: [String])
    /// After every update.
    case progress(TrainingProgress)
    /// At every --log-every: the same figures averaged over the interval (also in metrics.jsonl).
    case logged(TrainingProgress)
    /// A validation finished; `best` when it is the new best model (written to model.safetensors).
    case validated(ValidationRecord, best: Bool)
    /// A checkpoint was written.
    case checkpoint(path: String, step: Int)
    /// Something worth a line on stderr (skipped non-finite step, rollback, rate decay…).
    case warning(String)
    case note(String)
}

/// Test hooks: called with the step about to be (or just) updated and the parameters, to
/// inject faults (NaN gradients, exploding weights) deterministically.
package struct TrainerHooks {
    /// After backward, before clipping and the update.
    package var afterBackward: ((_ step: Int, _ parameters: ParameterSet) -> Void)?
    /// After the optimizer update.
    package var afterUpdate: ((_ step: Int, _ parameters: ParameterSet) -> Void)?

    package init(afterBackward: ((Int, ParameterSet) -> Void)? = nil,
                afterUpdate: ((Int, ParameterSet) -> Void)? = nil) {
        self.afterBackward = afterBackward
        self.afterUpdate = afterUpdate
    }
}
