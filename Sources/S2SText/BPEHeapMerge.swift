extension BPETable {
    /// The same rounds as `mergeRounds`, in O(n log n) for long words: adjacent pairs sit in a
    /// min-heap keyed by (rank, position) over a linked list of symbols. A round pops every
    /// live entry of the lowest rank, then merges them left to right, skipping a position
    /// whose left symbol was swallowed by the previous merge of the round — exactly
    /// subword-nmt's `j < i` rule. New pairs enter the heap after the round, as subword-nmt
    /// only sees them in the next one.
    func mergeWithHeap(_ word: inout [Int32]) {
        let n = word.count
        var symbol = word
        var prev = Array(-1..<(n - 1))
        var next = Array(1...n)
        next[n - 1] = -1
        var alive = [Bool](repeating: true, count: n)
        var heap = RankHeap()
        for i in 0..<(n - 1) {
            if let r = rank(symbol[i], symbol[i + 1]) { heap.push(r, Int32(i)) }
        }
        var positions: [Int32] = []
        var merged: [Int] = []
        while let top = heap.top {
            let r = top.rank
            positions.removeAll(keepingCapacity: true)
            while let t = heap.top, t.rank == r {
                heap.pop()
                let p = Int(t.position)
                guard alive[p], next[p] >= 0, rank(symbol[p], symbol[next[p]]) == r else { continue }
                positions.append(t.position)
            }
            if positions.isEmpty { continue }
            positions.sort()
            merged.removeAll(keepingCapacity: true)
            var last: Int32 = -1
            for position in positions where position != last {
                last = position
                let p = Int(position)
                // The previous merge of this round may have swallowed p, or p's right symbol.
                guard alive[p], next[p] >= 0, rank(symbol[p], symbol[next[p]]) == r else { continue }
                let q = next[p]
                symbol[p] = mergedID[Int(r)]
                alive[q] = false
                next[p] = next[q]
                if next[q] >= 0 { prev[next[q]] = p }
                merged.append(p)
            }
            for p in merged where alive[p] {
                if prev[p] >= 0, let rl = rank(symbol[prev[p]], symbol[p]) { heap.push(rl, Int32(prev[p])) }
                if next[p] >= 0, let rr = rank(symbol[p], symbol[next[p]]) { heap.push(rr, Int32(p)) }
            }
        }
        var out: [Int32] = []
        out.reserveCapacity(n)
        var i = 0
        while i >= 0 {
            out.append(symbol[i])
            i = next[i]
        }
        word = out
    }
}

/// A binary min-heap of (rank, position).
struct RankHeap {
    struct Entry { var rank: Int32; var position: Int32 }
    private var items: [Entry] = []
    var top: Entry? { items.first }

    @inline(__always) private static func less(_ x: Entry, _ y: Entry) -> Bool {
        x.rank != y.rank ? x.rank < y.rank : x.position < y.position
    }

    mutating func push(_ rank: Int32, _ position: Int32) {
        items.append(Entry(rank: rank, position: position))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.less(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() {
        let last = items.removeLast()
        guard !items.isEmpty else { return }
        items[0] = last
        var i = 0
        let n = items.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < n && Self.less(items[l], items[best]) { best = l }
            if r < n && Self.less(items[r], items[best]) { best = r }
            if best == i { return }
            items.swapAt(i, best)
            i = best
        }
    }
}
