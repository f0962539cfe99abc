/// Encodes a training pair afresh for one epoch (BPE-dropout): ids that change from epoch to
/// epoch but are a function of the pair's text, its id and the epoch alone, so a resumed run and
/// every rank of a data-parallel one get the very ids the uninterrupted single process got.
package protocol EpochPairEncoder {
    /// Token ids for one pair in `epoch` (0-based), without any BOS/EOS the model adds itself.
    func encode(source: String, target: String, pair: Int64, epoch: Int) throws -> (source: [Int32], target: [Int32])
}

extension Batcher {
    /// The pairs of a global batch encoded for its epoch by `encoder`, in the batch's order.
    ///
    /// The batch plan stays the one of the cached (full-merge) lengths: re-planning every epoch
    /// would need every pair re-encoded up front, while this reads and encodes one batch at a
    /// time (memory stays 16 bytes a pair). A side that comes out longer than the config's
    /// maximum keeps its cached ids, so --max-length still bounds every sequence.
    func encodedForEpoch(_ members: [Int32], epoch: Int, encoder: any EpochPairEncoder) throws(CorpusError)
        -> (sources: [[Int32]], targets: [[Int32]]) {
        var sources: [[Int32]] = [], targets: [[Int32]] = []
        sources.reserveCapacity(members.count)
        targets.reserveCapacity(members.count)
        for member in members {
            let id = pairID(member)
            fetchText.reset()
            try fetchText.bind(1, id)
            guard try fetchText.step() else {
                throw .invalidArgument("pair \(id) disappeared (corpus '\(corpus)' changed during training?)")
            }
            let sourceText = fetchText.text(0), targetText = fetchText.text(1)
            fetchText.reset()
            var ids: (source: [Int32], target: [Int32])
            do {
                ids = try encoder.encode(source: sourceText, target: targetText, pair: id, epoch: epoch)
            } catch {
                throw .encodingFailed(pairID: id, message: "\(error)")
            }
            let sourceTooLong = ids.source.isEmpty || ids.source.count > (config.maxSourceLength ?? Int.max)
            let targetTooLong = ids.target.isEmpty || ids.target.count > (config.maxTargetLength ?? Int.max)
            if sourceTooLong || targetTooLong {
                let cached = try cachedIDs(id)
                if sourceTooLong { ids.source = cached.source }
                if targetTooLong { ids.target = cached.target }
            }
            sources.append(ids.source)
            targets.append(ids.target)
        }
        return (sources, targets)
    }
}
