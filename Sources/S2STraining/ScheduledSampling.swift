import Foundation

/// Scheduled sampling (Bengio et al. 2015): during training the decoder is fed the gold previous
/// token with probability ε_i and its own prediction otherwise, ε decaying with the update step i.
/// Teacher forcing alone trains the decoder only on gold prefixes, so at test time it meets its own
/// mistakes for the first time; feeding it its own predictions more and more often closes that gap.
package enum ScheduledSampling: Equatable, Sendable, Codable {
    /// ε = 1 always: pure teacher forcing.
    case none
    /// ε_i = max(ε_min, k − c·i).
    case linear(k: Double, c: Double, minimum: Double)
    /// ε_i = k^i (k < 1).
    case exponential(k: Double)
    /// ε_i = k / (k + exp(i / k)) (k ≥ 1).
    case inverseSigmoid(k: Double)

    /// Probability of feeding the gold token at update step `step` (0-based), in [0, 1].
    package func goldProbability(step: Int) -> Double {
        let i = Double(step)
        let eps: Double
        switch self {
        case .none: eps = 1
        case let .linear(k, c, minimum): eps = max(minimum, k - c * i)
        case let .exponential(k): eps = pow(k, i)
        case let .inverseSigmoid(k): eps = k / (k + exp(min(i / k, 700)))
        }
        return min(1, max(0, eps))
    }

    /// The schedules' names, as `--ss-schedule` takes them.
    package static let names = ["none", "linear", "exponential", "inverse-sigmoid"]

    /// A short human-readable form for logs and the resolved configuration.
    package var description: String {
        switch self {
        case .none: return "none (teacher forcing)"
        case let .linear(k, c, m): return "linear(k=\(k), c=\(c), min=\(m))"
        case let .exponential(k): return "exponential(k=\(k))"
        case let .inverseSigmoid(k): return "inverse-sigmoid(k=\(k))"
        }
    }
}
