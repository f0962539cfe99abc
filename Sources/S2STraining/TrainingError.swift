import S2SDistributed

/// Why training could not start or go on. `description` is the one line `s2s train` prints;
/// each case names the file, option or corpus concerned.
package enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// An option value that cannot be used.
    case invalidOption(String)
    /// Options contradicting each other or the checkpoint being resumed.
    case conflict(String)
    /// The corpus (or its training split) has nothing to train on.
    case noData(String)
    /// The output directory cannot be used (exists without --resume/--overwrite, not writable…).
    case output(path: String, reason: String)
    /// A checkpoint that cannot be resumed from.
    case checkpoint(path: String, reason: String)
    /// Non-finite losses kept coming back even after rolling back and lowering the rate.
    case diverged(String)
    /// An error from a lower layer (corpus store, vocabulary, model), already one line.
    case underlying(String)
    /// Between the ranks of an `mpirun` job: a peer failed, ranks disagree, a rank was lost.
    case distributed(DistributedError)

    package var description: String {
        switch self {
        case let .invalidOption(message): return message
        case let .conflict(message): return message
        case let .noData(message): return message
        case let .output(path, reason): return "\(path): \(reason)"
        case let .checkpoint(path, reason): return "\(path): cannot resume: \(reason)"
        case let .diverged(message): return "training diverged: \(message)"
        case let .underlying(message): return message
        case let .distributed(error): return error.description
        }
    }

    /// Wraps any error as a one-line `TrainingError` (keeps a `TrainingError` as it is).
    static func wrap(_ error: any Error) -> TrainingError {
        if let e = error as? TrainingError { return e }
        if let e = error as? DistributedError { return .distributed(e) }
        return .underlying(String(describing: error))
    }
}
