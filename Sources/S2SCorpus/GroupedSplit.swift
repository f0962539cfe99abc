import S2SRandom

/// What `split(corpus:…)` did.
package struct SplitReport: Sendable, Equatable {
    /// Pairs that were redistributed.
    package var pool = 0
    /// How many of the pool ended in each split.
    package var pairsPerSplit: [Split: Int] = [:]
    /// Groups of pairs linked by a shared source or target sentence.
    package var groups = 0
    package var largestGroup = 0
    /// Pairs whose split changed.
    package var moved = 0
}

extension CorpusStore {
    /// Draws `valid` and `test` pairs from the corpus (or from the pairs currently in `pool`)
    /// and puts the rest of that pool in train, deterministically for a given seed.
    ///
    /// The draw is GROUPED: pairs sharing an identical source sentence or an identical target
    /// sentence are linked (union-find), and each connected group goes to one split whole. So no
    /// sentence of the test set occurs on the same side in train — Tatoeba has one English
    /// sentence with many French translations, which a plain random split would leak.
    /// Groups are ordered by their first pair, shuffled with `PCG32(seed:)`, and taken in that
    /// order, skipping any group that would overshoot the quota, until it is met (valid first,
    /// then test). Re-running with the same seed over the same pool gives the same split.
    @discardableResult
    package func split(corpus name: String, valid: Int, test: Int, seed: UInt64,
                      pool: Split? = nil) throws(CorpusError) -> SplitReport {
        guard valid >= 0, test >= 0 else { throw .invalidArgument("--valid and --test must not be negative") }
        return try db.transaction(immediate: true) { () throws(CorpusError) -> SplitReport in
            let corpusID = try corpusID(name)
            let sql = "SELECT id, split, source, target FROM pairs WHERE corpus_id = ?"
                + (pool == nil ? "" : " AND split = ?") + " ORDER BY id"
            let select = try db.prepare(sql)
            try select.bind(1, corpusID)
            if let pool { try select.bind(2, pool.rawValue) }

            var ids: [Int64] = []
            var current: [Split] = []
            var groups = UnionFind()
            // First pair seen with each sentence. Keys are 64-bit hashes: a collision could only
            // merge two groups (more conservative), never let a sentence cross splits.
            var firstWithSource: [UInt64: Int32] = [:]
            var firstWithTarget: [UInt64: Int32] = [:]
            while try select.step() {
                let index = Int32(ids.count)
                ids.append(select.int64(0))
                current.append(Split(rawValue: select.text(1)) ?? .train)
                groups.add()
                let sourceHash = TextBytes.fnv1a(select.bytes(2).assumingMemoryBound(to: UInt8.self))
                let targetHash = TextBytes.fnv1a(select.bytes(3).assumingMemoryBound(to: UInt8.self))
                if let other = firstWithSource[sourceHash] { groups.union(index, other) } else { firstWithSource[sourceHash] = index }
                if let other = firstWithTarget[targetHash] { groups.union(index, other) } else { firstWithTarget[targetHash] = index }
            }
            guard valid + test <= ids.count else {
                throw .splitTooLarge(corpus: name, requested: valid + test, available: ids.count)
            }

            // Number the groups by first member, so the order before shuffling is the corpus order.
            var groupOf = [Int32](repeating: -1, count: ids.count)
            var groupIndexOfRoot: [Int32: Int32] = [:]
            var sizes: [Int] = []
            for i in 0..<ids.count {
                let root = groups.find(Int32(i))
                if let g = groupIndexOfRoot[root] {
                    groupOf[i] = g
                    sizes[Int(g)] += 1
                } else {
                    groupIndexOfRoot[root] = Int32(sizes.count)
                    groupOf[i] = Int32(sizes.count)
                    sizes.append(1)
                }
            }
            var order = Array(0..<Int32(sizes.count))
            var rng = PCG32(seed: seed)
            order.shuffle(with: &rng)

            var assigned = [Split](repeating: .train, count: sizes.count)
            var taken = [Bool](repeating: false, count: sizes.count)
            for (split, quota) in [(Split.valid, valid), (Split.test, test)] {
                var remaining = quota
                for g in order where remaining > 0 && !taken[Int(g)] && sizes[Int(g)] <= remaining {
                    taken[Int(g)] = true
                    assigned[Int(g)] = split
                    remaining -= sizes[Int(g)]
                }
            }

            var report = SplitReport(pool: ids.count, groups: sizes.count, largestGroup: sizes.max() ?? 0)
            let update = try db.prepare("UPDATE pairs SET split = ? WHERE id = ?")
            for i in 0..<ids.count {
                let split = assigned[Int(groupOf[i])]
                report.pairsPerSplit[split, default: 0] += 1
                guard split != current[i] else { continue }
                update.reset()
                try update.bind(1, split.rawValue)
                try update.bind(2, ids[i])
                try update.step()
                report.moved += 1
            }
            return report
        }
    }
}

/// Disjoint sets over 0..<n with union by size and path halving.
struct UnionFind {
    private var parent: [Int32] = []
    private var size: [Int32] = []

    mutating func add() {
        parent.append(Int32(parent.count))
        size.append(1)
    }

    mutating func find(_ x: Int32) -> Int32 {
        var x = x
        while parent[Int(x)] != x {
            parent[Int(x)] = parent[Int(parent[Int(x)])]
            x = parent[Int(x)]
        }
        return x
    }

    mutating func union(_ a: Int32, _ b: Int32) {
        var ra = find(a), rb = find(b)
        guard ra != rb else { return }
        if size[Int(ra)] < size[Int(rb)] { swap(&ra, &rb) }
        parent[Int(rb)] = ra
        size[Int(ra)] += size[Int(rb)]
    }
}

extension PCG32 {
    /// Uniform in 0..<bound without modulo bias (Lemire's multiply-and-reject). Written out here
    /// rather than using `Int.random(in:using:)` so shuffles stay identical across Swift versions.
    mutating func bounded(_ bound: UInt32) -> UInt32 {
        precondition(bound > 0)
        var m = UInt64(nextUInt32()) &* UInt64(bound)
        var low = UInt32(truncatingIfNeeded: m)
        if low < bound {
            let threshold = (0 &- bound) % bound
            while low < threshold {
                m = UInt64(nextUInt32()) &* UInt64(bound)
                low = UInt32(truncatingIfNeeded: m)
            }
        }
        return UInt32(truncatingIfNeeded: m >> 32)
    }
}

extension Array {
    /// Fisher–Yates with `PCG32.bounded`, reproducible for a given generator state.
    mutating func shuffle(with rng: inout PCG32) {
        guard count > 1 else { return }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(rng.bounded(UInt32(i + 1)))
            if i != j { swapAt(i, j) }
        }
    }
}
