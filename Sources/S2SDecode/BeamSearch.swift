#if canImport(Glibc)
import Glibc
#endif
import S2SNumerics
import S2SText

/// Beam search batched over sentences, with GNMT length and coverage penalties and n-best lists.
///
/// Each sentence keeps up to K live beams; all live beams of all unfinished sentences form the
/// rows of one batched decoder step (a sentence's rows are contiguous). A hypothesis that emits
/// `</s>` among the K best candidates is finished; a sentence stops when K hypotheses have
/// finished or it reaches its length limit, and its rows leave the batch. Finished hypotheses
/// are ranked by `logP / ((5+|Y|)/6)^α + β·Σ_i log(min(Σ_j a_ij, 1))`, |Y| counting `</s>`.
/// With K = 1 this is exactly greedy decoding.
///
/// Bookkeeping is by back-pointers: each extension is a node (token, parent node, offset of its
/// attention row in one arena), so a step copies no token or attention histories; the outputs
/// are traced back once, at the end. Per-row state (log-probability, node, length, coverage)
/// lives in flat arrays that are rebuilt in place every step.
package struct BeamSearch: Sendable {
    package var options: DecodeOptions

    package init(options: DecodeOptions = DecodeOptions()) { self.options = options }

    /// One extension of a hypothesis: `token` after node `parent` (−1 = the start).
    struct Node {
        var token: Int32
        var parent: Int32
        var attention: Int  // offset of its attention row in the arena (−1 when not recorded)
    }

    /// A hypothesis that left the beam: finished by `</s>`, or cut at the length limit.
    struct Ended {
        var node: Int32
        var length: Int
        var logProb: Float
        var score: Float
        var finished: Bool
    }

    /// A candidate extension of a sentence's beam `beam` by `token`.
    struct Candidate {
        var logProb: Float
        var beam: Int32
        var token: Int32
        var rank: Int  // flat index beam · V + token, the tie-breaker (as a top-k over flat scores)

        @inline(__always) func precedes(_ o: Candidate) -> Bool {
            logProb != o.logProb ? logProb > o.logProb : rank < o.rank
        }
    }

    /// Rows of the current step, one entry per live beam (parallel arrays).
    struct Rows {
        var sentence: [Int32] = []
        var logProb: [Float] = []
        var node: [Int32] = []
        var length: [Int] = []
        var coverage: [Float] = []  // [rows · width] when β ≠ 0

        mutating func removeAll() {
            sentence.removeAll(keepingCapacity: true)
            logProb.removeAll(keepingCapacity: true)
            node.removeAll(keepingCapacity: true)
            length.removeAll(keepingCapacity: true)
            coverage.removeAll(keepingCapacity: true)
        }

        mutating func removeLast(_ n: Int, coverageWidth: Int) {
            sentence.removeLast(n); logProb.removeLast(n); node.removeLast(n); length.removeLast(n)
            if !coverage.isEmpty { coverage.removeLast(n * coverageWidth) }
        }
    }

    /// Up to `nBest` hypotheses per source, best first, in input order.
    package func decode<M: StepModel>(_ model: M, sources: [[Int32]]) throws -> [[Hypothesis]] {
        let n = sources.count
        guard n > 0 else { return [] }
        let k = max(1, options.beamSize), width = 2 * k
        let V = model.targetVocabularySize
        let useCoverage = options.beta != 0
        let limits = sources.map { options.maxLength(sourceLength: $0.count) }
        var state = try model.begin(sources: sources)
        model.reserve(&state, rows: n * k)

        var nodes: [Node] = []
        var arena: [Float] = []
        var ended = [[Ended]](repeating: [], count: n)
        var widths = [Int](repeating: 0, count: n)  // attention row width of each sentence
        var rows = Rows(), next = Rows()
        for s in 0..<n {
            rows.sentence.append(Int32(s)); rows.logProb.append(0); rows.node.append(-1); rows.length.append(0)
        }
        var coverageWidth = 0
        var previous: [Int32] = [], parents: [Int32] = []
        var candidates: [Candidate] = []
        candidates.reserveCapacity(k * width)
        let scores = RowScores()
        var step = 0
        while !rows.sentence.isEmpty {
            previous.removeAll(keepingCapacity: true)
            for node in rows.node { previous.append(node < 0 ? SpecialTokens.bos : nodes[Int(node)].token) }
            let out = model.advance(&state, previous: previous)
            let attention = out.attention
            if useCoverage && coverageWidth == 0 {
                coverageWidth = attention.cols
                rows.coverage = [Float](repeating: 0, count: rows.sentence.count * coverageWidth)
            }
            scores.compute(out.logits, k: width, forbidEnd: step < options.minLength)
            next.removeAll()
            parents.removeAll(keepingCapacity: true)
            var start = 0
            while start < rows.sentence.count {
                let s = Int(rows.sentence[start])
                var end = start + 1
                while end < rows.sentence.count && rows.sentence[end] == rows.sentence[start] { end += 1 }
                let sourceWidth = min(sources[s].count, attention.cols)
                widths[s] = sourceWidth
                // The 2K best extensions of this sentence's beams, best first.
                candidates.removeAll(keepingCapacity: true)
                for r in start..<end {
                    for j in 0..<scores.k {
                        let token = scores.token(r, j)
                        insertSorted(Candidate(logProb: rows.logProb[r] + scores.logProb(r, j), beam: Int32(r - start),
                                               token: token, rank: (r - start) * V + Int(token)),
                                     into: &candidates, limit: width)
                    }
                }
                let endedBefore = ended[s].count
                var live = 0
                for (rank, c) in candidates.enumerated() {
                    let p = start + Int(c.beam)
                    if c.token == SpecialTokens.eos {
                        // Only the K best ranks may finish, and only while fewer than K have.
                        guard rank < k, endedBefore < k, c.logProb.isFinite else { continue }
                        var penalty: Float = 0
                        if useCoverage {
                            penalty = penaltyAfter(rows.coverage, row: p, width: coverageWidth, attention: attention,
                                                   count: sourceWidth)
                        }
                        ended[s].append(Ended(node: rows.node[p], length: rows.length[p], logProb: c.logProb,
                                              score: c.logProb / options.lengthPenalty(rows.length[p] + 1) + penalty,
                                              finished: true))
                        continue
                    }
                    guard live < k, c.logProb.isFinite else { continue }
                    var offset = -1
                    if options.recordAttention {
                        offset = arena.count
                        arena.append(contentsOf: UnsafeBufferPointer(start: attention.row(p), count: sourceWidth))
                    }
                    nodes.append(Node(token: c.token, parent: rows.node[p], attention: offset))
                    next.sentence.append(Int32(s))
                    next.logProb.append(c.logProb)
                    next.node.append(Int32(nodes.count - 1))
                    next.length.append(rows.length[p] + 1)
                    if useCoverage {
                        extendCoverage(rows.coverage, row: p, width: coverageWidth, attention: attention,
                                       into: &next.coverage)
                    }
                    parents.append(Int32(p))
                    live += 1
                }
                if ended[s].count >= k || live == 0 || step + 1 >= limits[s] {
                    // Beams still live at the limit compete as unfinished hypotheses.
                    let first = next.sentence.count - live
                    for i in first..<next.sentence.count {
                        var penalty: Float = 0
                        if useCoverage {
                            penalty = next.coverage.withUnsafeBufferPointer {
                                SearchSupport.coveragePenalty($0.baseAddress! + i * coverageWidth, count: sourceWidth,
                                                              beta: options.beta)
                            }
                        }
                        ended[s].append(Ended(node: next.node[i], length: next.length[i], logProb: next.logProb[i],
                                              score: next.logProb[i] / options.lengthPenalty(next.length[i]) + penalty,
                                              finished: false))
                    }
                    next.removeLast(live, coverageWidth: coverageWidth)
                    parents.removeLast(live)
                }
                start = end
            }
            step += 1
            swap(&rows, &next)
            if !parents.isEmpty { model.reorder(&state, rows: parents) }
        }
        return ended.enumerated().map { s, list in
            // Stable: earlier enders win ties.
            let order = list.indices.sorted { list[$0].score != list[$1].score ? list[$0].score > list[$1].score : $0 < $1 }
            return order.prefix(max(1, options.nBest)).map { trace(list[$0], nodes: nodes, arena: arena, width: widths[s]) }
        }
    }

    /// Inserts `c` into `list` (sorted best first), keeping at most `limit` entries.
    @inline(__always)
    func insertSorted(_ c: Candidate, into list: inout [Candidate], limit: Int) {
        if list.count == limit {
            guard c.precedes(list[limit - 1]) else { return }
            list.removeLast()
        }
        var pos = list.count
        list.append(c)
        while pos > 0 && c.precedes(list[pos - 1]) {
            list[pos] = list[pos - 1]
            pos -= 1
        }
        list[pos] = c
    }

    /// Appends row `row`'s coverage plus this step's attention to `out` ([width] per row).
    func extendCoverage(_ coverage: [Float], row: Int, width: Int, attention: Matrix, into out: inout [Float]) {
        let a = attention.row(row)
        for i in 0..<width { out.append(coverage[row * width + i] + a[i]) }
    }

    /// The coverage penalty of row `row`'s coverage plus this step's attention, over the
    /// sentence's `count` source positions.
    func penaltyAfter(_ coverage: [Float], row: Int, width: Int, attention: Matrix, count: Int) -> Float {
        let a = attention.row(row)
        var total: Float = 0
        for i in 0..<count { total += logf(max(min(coverage[row * width + i] + a[i], 1), Float.leastNormalMagnitude)) }
        return options.beta * total
    }

    /// The hypothesis of an ended entry, by following the back-pointers.
    func trace(_ e: Ended, nodes: [Node], arena: [Float], width: Int) -> Hypothesis {
        var tokens: [Int32] = []
        var attention: [[Float]] = []
        var node = e.node
        while node >= 0 {
            let nd = nodes[Int(node)]
            tokens.append(nd.token)
            if nd.attention >= 0 { attention.append(Array(arena[nd.attention..<(nd.attention + width)])) }
            node = nd.parent
        }
        return Hypothesis(tokens: tokens.reversed(), logProb: e.logProb, score: e.score, attention: attention.reversed(),
                          finished: e.finished)
    }
}
