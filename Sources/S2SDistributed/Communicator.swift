import Foundation

/// The collective operations data-parallel training needs, over the ranks of one job.
///
/// Every call is collective: all ranks make the same calls in the same order with buffers of
/// the same length, or the job hangs (and then times out). `LocalCommunicator` is the one-process
/// case, so the trainer has a single code path whether or not it runs under `mpirun`.
package protocol Communicator: AnyObject {
    /// This process's rank, 0..<size. Rank 0 validates, logs and writes checkpoints.
    var rank: Int { get }
    var size: Int { get }
    /// The host this rank runs on (for messages).
    var hostName: String { get }
    /// Sums `count` floats over all ranks, in place; every rank gets the same bits.
    /// `compression` sends 16-bit values (each partial sum formed in fp32, rounded once).
    func allreduceSum(_ buffer: UnsafeMutablePointer<Float>, count: Int,
                      compression: GradientCompression) throws(DistributedError)
    /// Starts summing `count` floats in place over all ranks (exact fp32) and returns at once;
    /// `test` moves it along, `finish` waits for it. The buffer must stay untouched until then.
    func startAllreduceSum(_ buffer: UnsafeMutablePointer<Float>, count: Int) throws(DistributedError) -> PendingCollective
    /// Whether `pending` has completed (and progress on it and any other transfer).
    func test(_ pending: PendingCollective) throws(DistributedError) -> Bool
    func finish(_ pending: PendingCollective) throws(DistributedError)
    /// Sums doubles over all ranks, in place (loss sums, token counts, flags).
    func allreduceSum(_ values: inout [Double]) throws(DistributedError)
    /// Rank `root`'s bytes on every rank (`bytes` may differ in length before the call).
    func broadcast(_ bytes: inout [UInt8], root: Int) throws(DistributedError)
    /// Every rank's bytes, in rank order, on every rank.
    func allgather(_ bytes: [UInt8]) throws(DistributedError) -> [[UInt8]]
}

/// How gradients travel in the allreduce.
package enum GradientCompression: String, Codable, Sendable, CaseIterable {
    /// Exact fp32.
    case none
    /// bfloat16: fp32's range, 8 bits of mantissa.
    case bf16
    /// IEEE half: 11 bits of mantissa, range ±65504 (gradients are clipped after the sum, so a
    /// large one can overflow to inf: the step is then skipped as non-finite).
    case fp16
}

extension Communicator {
    package var isRoot: Bool { rank == 0 }

    /// Broadcasts a Codable value from rank 0 (JSON).
    package func broadcast<T: Codable>(_ value: T?, as type: T.Type) throws(DistributedError) -> T {
        var bytes: [UInt8] = []
        if rank == 0 {
            guard let value, let data = try? JSONEncoder().encode(value) else {
                throw .malformed(what: "rank 0 has no \(T.self) to send")
            }
            bytes = Array(data)
        }
        try broadcast(&bytes, root: 0)
        guard let decoded = try? JSONDecoder().decode(T.self, from: Data(bytes)) else {
            throw .malformed(what: "\(T.self) (\(bytes.count) bytes)")
        }
        return decoded
    }

    /// A collective "did everyone succeed?": every rank passes its own failure (or nil); if any
    /// rank failed, every rank throws the first failure in rank order as `peerFailed`, naming
    /// that rank and its host, so all ranks end the same way and one of them (rank 0) can say
    /// why. In one process this is just `if let failure { throw failure }`.
    package func agree(_ failure: (any Error)?) throws {
        guard size > 1 else {
            if let failure { throw failure }
            return
        }
        // One exchange: "host NUL message" per rank, the message empty where all went well
        // (a second exchange that only some ranks reached would hang the others).
        let mine = Array(hostName.utf8) + [0] + (failure.map { Array("\($0)".utf8) } ?? [])
        let all = try allgather(mine)
        let parts = all.map { $0.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false) }
        guard let first = parts.firstIndex(where: { $0.count > 1 && !$0[1].isEmpty }) else { return }
        throw DistributedError.peerFailed(rank: first, host: String(decoding: parts[first][0], as: UTF8.self),
                                          message: String(decoding: parts[first][1], as: UTF8.self))
    }
}

/// A collective in flight (an `MPI_Request`; nil once complete).
package final class PendingCollective {
    var request: OpaquePointer?
    var done: Bool
    init(request: OpaquePointer?, done: Bool) {
        self.request = request
        self.done = done
    }
}

/// One process, no MPI: every collective is the identity.
package final class LocalCommunicator: Communicator {
    package init() {}
    package var rank: Int { 0 }
    package var size: Int { 1 }
    package var hostName: String { ProcessInfo.processInfo.hostName }
    package func allreduceSum(_ buffer: UnsafeMutablePointer<Float>, count: Int,
                             compression: GradientCompression) throws(DistributedError) {}
    package func allreduceSum(_ values: inout [Double]) throws(DistributedError) {}
    package func startAllreduceSum(_ buffer: UnsafeMutablePointer<Float>, count: Int) throws(DistributedError) -> PendingCollective {
        PendingCollective(request: nil, done: true)
    }
    package func test(_ pending: PendingCollective) throws(DistributedError) -> Bool { true }
    package func finish(_ pending: PendingCollective) throws(DistributedError) {}
    package func broadcast(_ bytes: inout [UInt8], root: Int) throws(DistributedError) {}
    package func allgather(_ bytes: [UInt8]) throws(DistributedError) -> [[UInt8]] { [bytes] }
}
