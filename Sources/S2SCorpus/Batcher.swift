import S2SRandom

/// Where a batcher stands: enough to resume training on exactly the batch that would have
/// come next. Codable, to be saved in checkpoints.
package struct BatchPosition: Codable, Sendable, Equatable {
    /// Epochs completed before the current one (0 during the first epoch).
    package var epoch: Int
    /// Index within the epoch of the batch `next()` returns next.
    package var batchIndex: Int
    /// The generator as it was when this epoch began; the epoch's plan is drawn from it.
    package var epochRNG: PCG32
    /// Identifies the pairs, their lengths and the batch settings (see `Batcher.fingerprint`).
    package var fingerprint: UInt64
}

/// A batch of encoded pairs, ordered longest source first (what packed RNN encoders want).
package struct Batch: Sendable {
    package let epoch: Int
    /// Index within the epoch.
    package let index: Int
    package let pairIDs: [Int64]
    /// Token ids per pair, without padding or BOS/EOS.
    package let sources: [[Int32]]
    package let targets: [[Int32]]
    /// Pairs and target ids (before framing) of the whole batch across all shares: what one
    /// process would hold, so every rank can normalize its share's loss by the global count.
    package let globalPairs: Int
    package let globalTargetIds: Int

    package var count: Int { pairIDs.count }
    package var maxSourceLength: Int { sources.lazy.map(\.count).max() ?? 0 }
    package var maxTargetLength: Int { targets.lazy.map(\.count).max() ?? 0 }
    package var sourceTokens: Int { sources.reduce(0) { $0 + $1.count } }
    package var targetTokens: Int { targets.reduce(0) { $0 + $1.count } }
}

/// Groups the encoded pairs of one split into batches of about `tokensPerBatch` target tokens,
/// pairs of similar length together, in a seeded random order that changes every epoch.
///
/// Encoding happens once: missing ids are computed with the encoder and cached in the store under
/// its `cacheKey`; later runs read them back. The batcher keeps only pair ids and lengths in
/// memory (16 bytes a pair) and reads each batch's ids from the store when it is needed. With an
/// `epochEncoder` (BPE-dropout) it reads each batch's text instead and encodes it for the epoch.
/// `position` can be saved at any time and given to `restore(_:)` on a fresh batcher (same
/// corpus split, encoder and config) to continue with the very same batches.
package final class Batcher {
    package let config: BatcherConfig
    package let corpus: String
    package let split: Split
    /// Pairs in the plan (after leaving out empty and over-long ones).
    package var pairCount: Int { pairIDs.count }
    /// Pairs left out: an empty side after encoding, or longer than the config's maxima.
    package let excluded: Int
    /// What caching the encodings did when this batcher was made.
    package let encoding: EncodingReport
    /// Identifies pairs, lengths, encoder and settings.
    package let fingerprint: UInt64
    /// Where the next batch comes from.
    package private(set) var position: BatchPosition
    /// Re-encodes every batch's pairs for its epoch (BPE-dropout) instead of reading the cached
    /// ids; nil: the cached ids. Batch plans and the fingerprint stay those of the cached lengths.
    package var epochEncoder: (any EpochPairEncoder)?

    private let store: CorpusStore
    private let encoderID: Int64
    private let pairIDs: [Int64]
    private let sourceLengths: [Int32]
    private let targetLengths: [Int32]
    private var plan: BatchPlan
    /// The generator after drawing the current plan: the next epoch's `epochRNG`.
    private var nextEpochRNG: PCG32
    private let fetch: Statement
    /// A pair's text, for `epochEncoder`.
    let fetchText: Statement

    /// Prepares batching of `corpus`/`split`, encoding and caching any pair not cached yet.
    package init(store: CorpusStore, corpus: String, split: Split, encoder: some PairEncoder,
                config: BatcherConfig, progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws(CorpusError) {
        guard config.tokensPerBatch > 0 else { throw .invalidArgument("tokensPerBatch must be positive") }
        guard config.poolBatches > 0 else { throw .invalidArgument("poolBatches must be positive") }
        self.store = store
        self.config = config
        self.corpus = corpus
        self.split = split
        encoding = try store.cacheEncodings(corpus: corpus, split: split, encoder: encoder, progress: progress)
        guard let encoderID = try store.encoderID(for: encoder.cacheKey, create: false) else {
            throw .emptySplit(corpus: corpus, split: split.rawValue)
        }
        self.encoderID = encoderID

        let select = try store.db.prepare("""
            SELECT p.id, e.source_len, e.target_len FROM pairs p
            JOIN encodings e ON e.pair_id = p.id AND e.encoder_id = ?
            WHERE p.corpus_id = ? AND p.split = ? ORDER BY p.id
            """)
        try select.bind(1, encoderID)
        try select.bind(2, try store.corpusID(corpus))
        try select.bind(3, split.rawValue)
        var ids: [Int64] = [], sources: [Int32] = [], targets: [Int32] = []
        var excluded = 0
        while try select.step() {
            let s = select.int(1), t = select.int(2)
            if s == 0 || t == 0 || s > (config.maxSourceLength ?? Int.max) || t > (config.maxTargetLength ?? Int.max) {
                excluded += 1
                continue
            }
            ids.append(select.int64(0))
            sources.append(Int32(s + config.tokenOverhead))
            targets.append(Int32(t + config.tokenOverhead))
        }
        select.reset()
        guard !ids.isEmpty else { throw .emptySplit(corpus: corpus, split: split.rawValue) }
        pairIDs = ids
        sourceLengths = sources
        targetLengths = targets
        self.excluded = excluded

        var h = Fingerprint()
        config.fingerprint(&h)
        h.add(encoder.cacheKey)
        for i in 0..<ids.count { h.add(Int(ids[i])); h.add(Int(sources[i])); h.add(Int(targets[i])) }
        fingerprint = h.value

        fetch = try store.db.prepare("SELECT source_ids, target_ids FROM encodings WHERE pair_id = ? AND encoder_id = ?")
        fetchText = try store.db.prepare("SELECT source, target FROM pairs WHERE id = ?")
        let start = PCG32(seed: config.seed)
        var rng = start
        plan = BatchPlan(sourceLengths: sources, targetLengths: targets, config: config, rng: &rng)
        nextEpochRNG = rng
        position = BatchPosition(epoch: 0, batchIndex: 0, epochRNG: start, fingerprint: fingerprint)
    }

    /// Batches in the current epoch (varies slightly between shuffled epochs).
    package var batchesInEpoch: Int { plan.count }

    /// Continues from a saved position. Fails if it was saved for other pairs or settings.
    package func restore(_ saved: BatchPosition) throws(CorpusError) {
        guard saved.fingerprint == fingerprint else {
            throw .positionMismatch(expected: fingerprint, found: saved.fingerprint)
        }
        var rng = saved.epochRNG
        let restored = BatchPlan(sourceLengths: sourceLengths, targetLengths: targetLengths, config: config, rng: &rng)
        guard saved.epoch >= 0, (0...restored.count).contains(saved.batchIndex) else {
            throw .invalidArgument("saved batch position \(saved.batchIndex) is outside epoch \(saved.epoch) (\(restored.count) batches)")
        }
        plan = restored
        nextEpochRNG = rng
        position = saved
    }

    /// The next batch; after the last batch of an epoch, the first of a newly shuffled one.
    ///
    /// With `shares` > 1 (data-parallel ranks) every caller steps through the same global batches
    /// but reads from the store only its share: the pairs at positions `share`, `share + shares`,
    /// … of the batch sorted longest source first, which spreads long and short pairs evenly over
    /// the ranks. A share can be empty when a batch has fewer pairs than there are shares.
    package func next(share: Int = 0, of shares: Int = 1) throws(CorpusError) -> Batch {
        guard shares >= 1, (0..<shares).contains(share) else {
            throw .invalidArgument("share \(share) of \(shares) does not exist")
        }
        if position.batchIndex >= plan.count {
            position = BatchPosition(epoch: position.epoch + 1, batchIndex: 0, epochRNG: nextEpochRNG, fingerprint: fingerprint)
            var rng = nextEpochRNG
            plan = BatchPlan(sourceLengths: sourceLengths, targetLengths: targetLengths, config: config, rng: &rng)
            nextEpochRNG = rng
        }
        // Longest source first; ties by table order so the batch content is deterministic.
        let all = plan.batch(position.batchIndex).sorted { a, b in
            sourceLengths[Int(a)] != sourceLengths[Int(b)] ? sourceLengths[Int(a)] > sourceLengths[Int(b)] : a < b
        }
        let rows = shares == 1 ? Array(all.indices) : Array(stride(from: share, to: all.count, by: shares))
        let members = rows.map { all[$0] }
        var sources: [[Int32]] = [], targets: [[Int32]] = []
        let globalTargetIds: Int
        if let epochEncoder {
            // Every rank encodes the whole global batch (a small cost beside its forward and
            // backward passes): the global target count that normalizes the loss is then known
            // on each without asking the others, and shares are cut as in one process.
            let encoded = try encodedForEpoch(all, epoch: position.epoch, encoder: epochEncoder)
            globalTargetIds = encoded.targets.reduce(0) { $0 + $1.count }
            sources = rows.map { encoded.sources[$0] }
            targets = rows.map { encoded.targets[$0] }
        } else {
            globalTargetIds = all.reduce(0) { $0 + Int(targetLengths[Int($1)]) - config.tokenOverhead }
            sources.reserveCapacity(members.count)
            targets.reserveCapacity(members.count)
            for member in members {
                let cached = try cachedIDs(pairID(member))
                sources.append(cached.source)
                targets.append(cached.target)
            }
        }
        let ids = members.map(pairID)
        let batch = Batch(epoch: position.epoch, index: position.batchIndex, pairIDs: ids, sources: sources, targets: targets,
                          globalPairs: all.count, globalTargetIds: globalTargetIds)
        position.batchIndex += 1
        return batch
    }

    /// The table row id of pair index `member`.
    func pairID(_ member: Int32) -> Int64 { pairIDs[Int(member)] }

    /// The cached ids of pair `id` under this batcher's encoder.
    func cachedIDs(_ id: Int64) throws(CorpusError) -> (source: [Int32], target: [Int32]) {
        fetch.reset()
        defer { fetch.reset() }
        try fetch.bind(1, id)
        try fetch.bind(2, encoderID)
        guard try fetch.step() else {
            throw .invalidArgument("cached ids of pair \(id) disappeared (corpus '\(corpus)' changed during training?)")
        }
        return (TokenBlob.decode(fetch.bytes(0)), TokenBlob.decode(fetch.bytes(1)))
    }
}
