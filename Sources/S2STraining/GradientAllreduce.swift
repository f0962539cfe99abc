import S2SDistributed
import S2SLayers
import S2SNumerics

/// Sums every parameter's gradient over the ranks of a job, in buckets.
///
/// A parameter of at least `bucketFloats` values is reduced in place (the output layer and the
/// embeddings: no copy of the largest tensors); smaller ones are packed together into buckets
/// of about that size, so the ~20 biases and gate matrices cost a few collectives, not one
/// each. Buckets follow the parameters' order, which is the same on every rank (the model
/// builds it), so every rank posts the same collectives in the same order.
package final class GradientAllreduce {
    /// A run of parameters reduced by one collective.
    private struct Bucket {
        var members: [Parameter]
        var floats: Int
        /// Reduced in place (a single large parameter) rather than packed.
        var inPlace: Bool { members.count == 1 && members[0].count == floats && floats >= GradientAllreduce.minInPlace }
    }

    /// Parameters at least this large are reduced where they are.
    static let minInPlace = 1 << 18

    private let buckets: [Bucket]
    private var packed: Tensor
    /// Bytes each rank sent into the last `reduce` (fp32 or 16-bit values), and its duration.
    package private(set) var lastBytes = 0
    package private(set) var lastSeconds = 0.0

    package init(_ parameters: ParameterSet, bucketFloats: Int = 1 << 20) {
        var buckets: [Bucket] = []
        var current = Bucket(members: [], floats: 0)
        for p in parameters.all {
            if p.count >= Self.minInPlace {
                buckets.append(Bucket(members: [p], floats: p.count))
                continue
            }
            if current.floats + p.count > bucketFloats && !current.members.isEmpty {
                buckets.append(current)
                current = Bucket(members: [], floats: 0)
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

    /// Replaces every gradient by its sum over all ranks.
    package func reduce(over communicator: any Communicator, compression: GradientCompression) throws(DistributedError) {
        guard communicator.size > 1 else { return }
        let start = Stopwatch.now()
        var bytes = 0
        for bucket in buckets {
            bytes += bucket.floats * (compression == .none ? 4 : 2)
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
