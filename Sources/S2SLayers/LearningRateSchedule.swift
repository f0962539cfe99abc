/// Learning-rate schedules.
package enum LearningRateSchedule: Codable, Equatable, Sendable {
    /// The same rate every step.
    case constant(Float)
    /// Start at `initial`; multiply by `factor` after more than `patience` validations without
    /// a relative improvement of `threshold` (`ReduceLROnPlateau`, mode min), never below `minimum`.
    case decayOnPlateau(initial: Float, factor: Float, patience: Int, minimum: Float, threshold: Float)
    /// Linear warm-up to `peak` over `warmupSteps`, then `peak · √(warmup / step)`
    /// (the Transformer/fairseq "inverse_sqrt" schedule).
    case warmupInverseSqrt(peak: Float, warmupSteps: Int)
}

/// A schedule and its state (the plateau bookkeeping), Codable for checkpoints.
package struct LearningRateScheduler: Codable, Equatable, Sendable {
    package let schedule: LearningRateSchedule
    /// The current plateau rate (the initial rate for other schedules).
    package private(set) var plateauRate: Float
    package private(set) var bestLoss: Double?
    package private(set) var validationsWithoutImprovement = 0

    package init(_ schedule: LearningRateSchedule) {
        self.schedule = schedule
        switch schedule {
        case .constant(let lr): plateauRate = lr
        case .decayOnPlateau(let initial, _, _, _, _): plateauRate = initial
        case .warmupInverseSqrt(let peak, _): plateauRate = peak
        }
    }

    /// The rate for optimizer step `step` (0-based: the first update is step 0).
    package func rate(step: Int) -> Float {
        switch schedule {
        case .constant(let lr):
            return lr
        case .decayOnPlateau:
            return plateauRate
        case .warmupInverseSqrt(let peak, let warmup):
            let s = Float(step + 1), w = Float(max(warmup, 1))
            return s < w ? peak * s / w : peak * (w / s).squareRoot()
        }
    }

    /// Reports a validation loss; returns true when the rate was decayed (plateau only).
    @discardableResult
    package mutating func reportValidation(loss: Double) -> Bool {
        guard case let .decayOnPlateau(_, factor, patience, minimum, threshold) = schedule else { return false }
        if let best = bestLoss, !(loss < best * (1 - Double(threshold))) {
            validationsWithoutImprovement += 1
        } else {
            bestLoss = loss
            validationsWithoutImprovement = 0
        }
        if validationsWithoutImprovement > patience {
            validationsWithoutImprovement = 0
            let next = max(plateauRate * factor, minimum)
            let decayed = next < plateauRate
            plateauRate = next
            return decayed
        }
        return false
    }
}
