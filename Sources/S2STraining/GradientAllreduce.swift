import S2SDistributed
import S2SLayers
import S2SModel
import S2SNumerics

/// Sums every parameter's gradient over the ranks of a job, in buckets.
///
/// The parameters the backward pass finishes first (the output layer) come first, each reduced
/// where it is; so is any other parameter of at least `minInPlace` values (the embeddings: no
/// copy of the largest tensors); smaller ones are packed into buckets of about `bucketFloats`,
/// so the ~20 biases and gate matrices cost a few collectives, not one each. The order is the
/// same on every rank (the model builds the parameter list), so every rank posts the same
/// collectives in the same order.
///
/// Overlap (`observer`): the output layer's gradient, final right after its backward and more
/// than half of all bytes at the usual sizes, is posted as soon as it is ready and moved along
/// at every decoder step of the backward pass; `reduce` then waits for it and sums the rest.
/// The sums are the same bits either way (same collective, same size, same algorithm). MPI
/// matches collectives by the order in which each rank posts them, so every rank must post the
/// early ones, in the same order, in every step, even a rank with no pair in it.
package final class GradientAllreduce: BackwardObserver {
    /// A run of parameters reduced by one collective.
    private struct Bucket {
        var members: [Parameter]
        var floats: Int
        /// Reduced where it is (one parameter) rather than packed.
        var inPlace: Bool
    }

    /// Parameters at least this large are reduced where they are.
    static let minInPlace = 1 << 18

    private let buckets: [Bucket]
    /// The parameters a backward pass finishes first: posted early, and first in `buckets`.
    private let early: Set<ObjectIdentifier>
    private var packed: Tensor
    /// Bytes each rank sent into the last `reduce` (fp32 or 16-bit values), and its duration.
    package private(set) var lastBytes = 0
    package private(set) var lastSeconds = 0.0
    /// Post the `first` gradients during the backward pass (fp32 only).
    package var overlap = true
    private var posted: [ObjectIdentifier: PendingCollective] = [:]
    private var inFlight: (any Communicator)?
    private var failure: DistributedError?

    /// `first`: the parameters whose gradients the backward pass finishes first
    /// (`Seq2SeqModel.parametersFinishedFirst`). They lead the order of collectives whether or
    /// not they were posted early, so a rank that had no pair in a step (and so ran no backward
    /// pass) posts the same collectives in the same order as the others: MPI matches
    /// collectives by that order alone.
    package init(_ parameters: ParameterSet, first: [Parameter] = [], bucketFloats: Int = 1 << 20) {
        early = Set(first.map(ObjectIdentifier.init))
        var buckets = first.map { Bucket(members: [$0], floats: $0.count, inPlace: true) }
        var current = Bucket(members: [], floats: 0, inPlace: false)
        for p in parameters.all where !early.contains(ObjectIdentifier(p)) {
            if p.count >= Self.minInPlace {
                buckets.append(Bucket(members: [p], floats: p.count, inPlace: true))
                continue
            }
            if current.floats + p.count > bucketFloats && !current.members.isEmpty {
                buckets.append(current)
                current = Bucket(members: [], floats: 0, inPlace: false)
            }
            current.members.append(p)
            current.floats += p.count
        }
        if !current.members.isEmpty { buckets.append(current) }
        self.buckets = buckets
        packed = Tensor(shape: [max(1, buckets.filter { !$0.inPlace }.map(\.floats).max() ?? 1)])
    }

    /// Collectives per reduce.
    package var bucketCount: Int { buckets.count }

    /// The observer to pass to the last backward pass of a step, or nil when nothing can
    /// overlap (one process, compressed gradients, overlap off).
    package func observer(for communicator: any Communicator, compression: GradientCompression) -> (any BackwardObserver)? {
        guard overlap, communicator.size > 1, compression == .none else { return nil }
        inFlight = communicator
        return self
    }

    package func gradientsFinal(_ parameters: [Parameter]) {
        guard let communicator = inFlight, failure == nil else { return }
        for p in parameters where early.contains(ObjectIdentifier(p)) {
            do throws(DistributedError) {
                posted[ObjectIdentifier(p)] = try communicator.startAllreduceSum(p.grad.data, count: p.count)
            } catch {
                failure = error
            }
        }
    }

    package func backwardProgress() {
        guard let communicator = inFlight, failure == nil else { return }
        for pending in posted.values {
            do throws(DistributedError) { _ = try communicator.test(pending) } catch { failure = error }
        }
    }

    /// Replaces every gradient by its sum over all ranks.
    package func reduce(over communicator: any Communicator, compression: GradientCompression) throws(DistributedError) {
        defer {
            posted = [:]
            inFlight = nil
            failure = nil
        }
        if let failure { throw failure }
        guard communicator.size > 1 else { return }
        let start = Stopwatch.now()
        var bytes = 0
        for bucket in buckets {
            bytes += bucket.floats * (compression == .none ? 4 : 2)
            if bucket.inPlace, let pending = posted[ObjectIdentifier(bucket.members[0])] {
                try communicator.finish(pending)
                continue
            }
            if bucket.inPlace {
                try communicator.allreduceSum(bucket.members[0].grad.data, count: bucket.floats, compression: compression)
                continue
            }
            var offset = 0
            for p in bucket.members {
                (packed.data + offset).update(from: p.grad.data, count: p.count)
                offset += p.count
            }
            try communicator.allreduceSum(packed.data, count: bucket.floats, compression: compression)
            offset = 0
            for p in bucket.members {
                p.grad.data.update(from: packed.data + offset, count: p.count)
                offset += p.count
            }
        }
        lastBytes = bytes
        lastSeconds = Stopwatch.now() - start
    }
}
