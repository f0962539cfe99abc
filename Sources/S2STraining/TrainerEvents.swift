import S2SLayers

/// Where training stands after an update: what a progress line shows.
public struct TrainingProgress: Sendable, Equatable {
    public var step: Int
    /// 1-based epoch of the last batch.
    public var epoch: Int
    /// Mean training loss per target token (label smoothing included) over the updates since
    /// the last log line; `perplexity` is its exp.
    public var loss: Double
    public var perplexity: Double
    public var targetTokensPerSecond: Double
    public var learningRate: Float
    /// Probability of feeding the gold previous token at this step.
    public var teacherForcing: Double
    /// Seconds of training so far (earlier runs included).
    public var elapsedSeconds: Double
    /// Seconds left until --max-steps or --max-time, whichever comes first (nil: no budget).
    public var etaSeconds: Double?
    /// The step budget, when there is one (for "step 120/1000").
    public var maxSteps: Int?
}

/// Why a run ended.
public enum StopReason: String, Sendable, Equatable {
    case maxSteps = "reached --max-steps"
    case maxTime = "reached --max-time"
    case maxEpochs = "reached --max-epochs"
    case earlyStopping = "early stopping (no improvement within --patience validations)"
    case interrupted = "interrupted"
}

/// What a finished (or stopped) run reports.
public struct TrainingSummary: Sendable, Equatable {
    public var reason: StopReason
    public var step: Int
    public var epoch: Int
    /// The checkpoint written last (resume from it).
    public var checkpointPath: String
    /// The best model's directory, its step and validation figures (nil before any validation).
    public var bestStep: Int?
    public var best: ValidationRecord?
    public var history: [ValidationRecord]
    public var seconds: Double
    public var targetTokensPerSecond: Double
    public var skippedSteps: Int
    public var rollbacks: Int
}

/// Things the trainer tells its caller as they happen (the CLI turns them into stderr lines).
public enum TrainerEvent: Sendable {
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
public struct TrainerHooks {
    /// After backward, before clipping and the update.
    public var afterBackward: ((_ step: Int, _ parameters: ParameterSet) -> Void)?
    /// After the optimizer update.
    public var afterUpdate: ((_ step: Int, _ parameters: ParameterSet) -> Void)?

    public init(afterBackward: ((Int, ParameterSet) -> Void)? = nil,
                afterUpdate: ((Int, ParameterSet) -> Void)? = nil) {
        self.afterBackward = afterBackward
        self.afterUpdate = afterUpdate
    }
}
