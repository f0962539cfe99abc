import S2SRandom

/// How the batcher forms batches.
package struct BatcherConfig: Sendable, Codable, Equatable {
    /// Budget per batch in padded target tokens: pairs × longest target (plus `tokenOverhead`).
    /// A single pair longer than the budget still forms a batch of one.
    package var tokensPerBatch: Int
    /// Seeds the shuffles; part of the resume fingerprint.
    package var seed: UInt64
    /// Shuffle pairs and batch order each epoch (training). Off: one fixed plan sorted by
    /// length, the same every epoch (validation, scoring).
    package var shuffle: Bool
    /// Pairs are sorted by length within pools of about this many batches: large pools pad
    /// less, small pools mix lengths more across epochs.
    package var poolBatches: Int
    /// Tokens added to each sentence's length when counting (e.g. 1 for EOS, 2 for BOS+EOS).
    package var tokenOverhead: Int
    /// Count max(padded source, padded target) against the budget instead of the target only
    /// (bounds memory when sources are much longer than targets).
    package var budgetIncludesSource: Bool
    /// Leave out pairs longer than these (in ids, before overhead).
    package var maxSourceLength: Int?
    package var maxTargetLength: Int?
    /// Hard cap on pairs per batch.
    package var maxPairsPerBatch: Int?

    package init(tokensPerBatch: Int, seed: UInt64, shuffle: Bool = true, poolBatches: Int = 100,
                tokenOverhead: Int = 0, budgetIncludesSource: Bool = false, maxSourceLength: Int? = nil,
                maxTargetLength: Int? = nil, maxPairsPerBatch: Int? = nil) {
        self.tokensPerBatch = tokensPerBatch
        self.seed = seed
        self.shuffle = shuffle
        self.poolBatches = poolBatches
        self.tokenOverhead = tokenOverhead
        self.budgetIncludesSource = budgetIncludesSource
        self.maxSourceLength = maxSourceLength
        self.maxTargetLength = maxTargetLength
        self.maxPairsPerBatch = maxPairsPerBatch
    }

    /// Folds every setting into a fingerprint hash.
    func fingerprint(_ h: inout Fingerprint) {
        h.add(tokensPerBatch); h.add(Int(truncatingIfNeeded: seed)); h.add(shuffle ? 1 : 0); h.add(poolBatches)
        h.add(tokenOverhead); h.add(budgetIncludesSource ? 1 : 0)
        h.add(maxSourceLength ?? -1); h.add(maxTargetLength ?? -1); h.add(maxPairsPerBatch ?? -1)
    }
}

/// FNV-1a over 64-bit words: identifies (pairs, lengths, settings) so a saved position is never
/// restored onto a different split or batching.
struct Fingerprint {
    var value = TextBytes.fnvOffset

    mutating func add(_ x: Int) {
        var v = UInt64(bitPattern: Int64(x))
        for _ in 0..<8 {
            value = (value ^ (v & 0xFF)) &* TextBytes.fnvPrime
            v >>= 8
        }
    }

    mutating func add(_ s: String) {
        for b in s.utf8 { value = (value ^ UInt64(b)) &* TextBytes.fnvPrime }
        add(s.utf8.count)
    }
}

/// The batches of one epoch: indices into the batcher's pair table, batch after batch.
/// Built from a generator state alone, so the same state always gives the same plan.
struct BatchPlan {
    /// Pair indices of all batches, concatenated.
    var members: [Int32] = []
    /// `members[offsets[b]..<offsets[b + 1]]` is batch b.
    var offsets: [Int] = [0]

    var count: Int { offsets.count - 1 }

    func batch(_ b: Int) -> ArraySlice<Int32> { members[offsets[b]..<offsets[b + 1]] }

    /// Shuffles the pairs, sorts each pool by (target, source) length, cuts batches greedily to
    /// the token budget, then shuffles the batch order. Without `shuffle`: one pool in table order.
    init(sourceLengths: [Int32], targetLengths: [Int32], config: BatcherConfig, rng: inout PCG32) {
        let n = sourceLengths.count
        var order = Array(0..<Int32(n))
        let budget = max(1, config.tokensPerBatch)
        var poolSize = n
        if config.shuffle {
            order.shuffle(with: &rng)
            let meanTarget = max(1, Int(targetLengths.reduce(0) { $0 + Int($1) }) / max(1, n))
            poolSize = max(1, config.poolBatches * max(1, budget / meanTarget))
        }
        var batches: [Range<Int>] = []
        members.reserveCapacity(n)
        var poolStart = 0
        while poolStart < n {
            let poolEnd = min(n, poolStart + poolSize)
            // Sort key is total (lengths, then shuffled position), so the plan does not depend on
            // whether the standard library's sort is stable.
            var pool = Array(poolStart..<poolEnd)
            pool.sort { a, b in
                let ia = Int(order[a]), ib = Int(order[b])
                if targetLengths[ia] != targetLengths[ib] { return targetLengths[ia] < targetLengths[ib] }
                if sourceLengths[ia] != sourceLengths[ib] { return sourceLengths[ia] < sourceLengths[ib] }
                return a < b
            }
            var batchStart = members.count
            var longestTarget = 0, longestSource = 0
            for position in pool {
                let pair = order[position]
                let t = Int(targetLengths[Int(pair)]), s = Int(sourceLengths[Int(pair)])
                let size = members.count - batchStart
                let newTarget = max(longestTarget, t), newSource = max(longestSource, s)
                let cost = (size + 1) * (config.budgetIncludesSource ? max(newTarget, newSource) : newTarget)
                let full = size > 0 && (cost > budget || size == (config.maxPairsPerBatch ?? Int.max))
                if full {
                    batches.append(batchStart..<members.count)
                    batchStart = members.count
                    longestTarget = t
                    longestSource = s
                } else {
                    longestTarget = newTarget
                    longestSource = newSource
                }
                members.append(pair)
            }
            if members.count > batchStart { batches.append(batchStart..<members.count) }
            poolStart = poolEnd
        }
        if config.shuffle { batches.shuffle(with: &rng) }
        // Lay the batches out in their final order.
        var ordered: [Int32] = []
        ordered.reserveCapacity(n)
        offsets.reserveCapacity(batches.count + 1)
        for range in batches {
            ordered.append(contentsOf: members[range])
            offsets.append(ordered.count)
        }
        members = ordered
    }
}
