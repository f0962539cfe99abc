/// What can go wrong between ranks. Each case renders as one line that names the rank (and its
/// host) where that is known, since under `mpirun` several processes print to one terminal.
package enum DistributedError: Error, Equatable, CustomStringConvertible {
    /// An MPI call returned an error code.
    case mpi(call: String, code: Int32, message: String)
    /// A collective did not complete in time: a rank died, hangs or cannot be reached.
    case timeout(operation: String, seconds: Double)
    /// Another rank failed and told the others why (the others exit with this line).
    case peerFailed(rank: Int, host: String, message: String)
    /// Ranks disagree about an input that must be the same everywhere.
    case mismatch(item: String, rank: Int, host: String, detail: String)
    /// A message from another rank could not be decoded.
    case malformed(what: String)

    package var description: String {
        switch self {
        case .mpi(let call, let code, let message):
            return "MPI error in \(call) (code \(code)): \(message)"
        case .timeout(let operation, let seconds):
            return "no answer from the other ranks for \(Int(seconds)) s during \(operation) (a rank was lost or hangs; the last checkpoint is intact, continue with --resume)"
        case .peerFailed(let rank, let host, let message):
            return "rank \(rank) on \(host): \(message)"
        case .mismatch(let item, let rank, let host, let detail):
            return "rank \(rank) on \(host) differs from rank 0 in its \(item): \(detail)"
        case .malformed(let what):
            return "malformed message from another rank: \(what)"
        }
    }
}
