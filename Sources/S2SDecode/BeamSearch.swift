import S2SNumerics

/// Beam search batched over sentences, with GNMT length and coverage penalties and n-best lists.
///
/// Each sentence keeps up to K live beams; all live beams of all unfinished sentences form the
/// rows of one batched decoder step. A hypothesis that emits `</s>` among the K best candidates is
/// finished; a sentence stops when K hypotheses have finished or it reaches its length limit, and
/// its rows leave the batch. Finished hypotheses are ranked by
/// `logP / ((5+|Y|)/6)^α + β·Σ_i log(min(Σ_j a_ij, 1))`, with |Y| counting `</s>`.
/// With K = 1 this is exactly greedy decoding.
public struct BeamSearch: Sendable {
    public var options: DecodeOptions

    public init(options: DecodeOptions = DecodeOptions()) { self.options = options }

    /// A partial hypothesis of one sentence.
    struct Beam {
        var tokens: [Int32] = []
        var logProb: Float = 0
        var attention: [[Float]] = []
        var coverage: [Float]
    }

    /// The search state of one sentence.
    struct SentenceSearch {
        let sourceLength: Int
        let maxLength: Int
        var live: [Beam]
        var finished: [Hypothesis] = []
        var done = false
    }

    /// A candidate extension: beam `beam` of the sentence followed by `token`.
    struct Candidate {
        var logProb: Float
        var beam: Int
        var token: Int32
        var rank: Int  // flat index beam·V + token, the tie-breaker
    }

    /// Up to `nBest` hypotheses per source, best first, in input order.
    public func decode<M: StepModel>(_ model: M, sources: [[Int32]]) throws -> [[Hypothesis]] {
        guard !sources.isEmpty else { return [] }
        let k = max(1, options.beamSize)
        var searches = sources.map {
            SentenceSearch(sourceLength: $0.count, maxLength: options.maxLength(sourceLength: $0.count),
                           live: [Beam(coverage: [Float](repeating: 0, count: $0.count))])
        }
        var state = try model.begin(sources: sources)
        var rowOwner = Array(sources.indices)    // row r belongs to sentence rowOwner[r] …
        var rowBeam = [Int](repeating: 0, count: sources.count)  // … and is its live beam rowBeam[r]
        var step = 0
        while !rowOwner.isEmpty {
            let previous = zip(rowOwner, rowBeam).map { searches[$0].live[$1].tokens.last ?? SpecialTokens.bos }
            let (logits, attention) = model.advance(&state, previous: previous)
            let logp = SearchSupport.logProbabilities(logits, forbidEnd: step < options.minLength)
            var firstRow: [Int: Int] = [:]
            for (r, s) in rowOwner.enumerated() where firstRow[s] == nil { firstRow[s] = r }

            var nextOwner: [Int] = [], nextBeam: [Int] = [], nextRows: [Int] = []
            for s in orderedUnique(rowOwner) {
                let base = firstRow[s]!  // rows of a sentence are contiguous
                let beams = searches[s].live.count
                let candidates = topCandidates(logp, rows: base..<(base + beams), beams: searches[s].live, count: 2 * k)
                var newLive: [Beam] = []
                var parents: [Int] = []
                var finishedBefore = searches[s].finished.count
                for (rank, c) in candidates.enumerated() {
                    let parent = searches[s].live[c.beam]
                    let attn = SearchSupport.attentionRow(attention, row: base + c.beam, sourceLength: searches[s].sourceLength)
                    if c.token == SpecialTokens.eos {
                        // Only the K best ranks may finish, and only while fewer than K have.
                        guard rank < k, finishedBefore < k, c.logProb.isFinite else { continue }
                        var coverage = parent.coverage
                        for i in coverage.indices { coverage[i] += attn[i] }
                        let score = c.logProb / options.lengthPenalty(parent.tokens.count + 1)
                            + SearchSupport.coveragePenalty(coverage, beta: options.beta)
                        searches[s].finished.append(Hypothesis(
                            tokens: parent.tokens, logProb: c.logProb, score: score,
                            attention: parent.attention, finished: true))
                        continue
                    }
                    guard newLive.count < k, c.logProb.isFinite else { continue }
                    var beam = parent
                    beam.tokens.append(c.token)
                    beam.logProb = c.logProb
                    beam.attention.append(attn)
                    for i in beam.coverage.indices { beam.coverage[i] += attn[i] }
                    newLive.append(beam)
                    parents.append(base + c.beam)
                }
                finishedBefore = searches[s].finished.count
                searches[s].live = newLive
                let atLimit = step + 1 >= searches[s].maxLength
                if finishedBefore >= k || newLive.isEmpty || atLimit {
                    finish(&searches[s])
                    continue
                }
                for (b, parentRow) in parents.enumerated() {
                    nextOwner.append(s)
                    nextBeam.append(b)
                    nextRows.append(parentRow)
                }
            }
            step += 1
            rowOwner = nextOwner
            rowBeam = nextBeam
            if !nextRows.isEmpty { model.reorder(&state, rows: nextRows) }
        }
        return searches.map { Array($0.finished.prefix(max(1, options.nBest))) }
    }

    /// The distinct values of `xs` in their first-seen order.
    func orderedUnique(_ xs: [Int]) -> [Int] {
        var seen = Set<Int>()
        return xs.filter { seen.insert($0).inserted }
    }

    /// The `count` best extensions of a sentence's live beams, best first; ties go to the lower
    /// flat index (beam · V + token), as a top-k over the flattened scores would order them.
    func topCandidates(_ logp: Matrix, rows: Range<Int>, beams: [Beam], count: Int) -> [Candidate] {
        var all: [Candidate] = []
        all.reserveCapacity(rows.count * count)
        for (b, r) in rows.enumerated() {
            for (token, value) in Kernels.topK(row: logp.row(r), count: logp.cols, k: count) {
                all.append(Candidate(logProb: beams[b].logProb + value, beam: b, token: token,
                                     rank: b * logp.cols + Int(token)))
            }
        }
        all.sort { $0.logProb != $1.logProb ? $0.logProb > $1.logProb : $0.rank < $1.rank }
        return Array(all.prefix(count))
    }

    /// Closes a sentence's search: beams still live at the length limit compete as unfinished
    /// hypotheses; the list is sorted best first (stable, so earlier finishers win ties).
    func finish(_ search: inout SentenceSearch) {
        search.done = true
        for beam in search.live {
            let score = beam.logProb / options.lengthPenalty(beam.tokens.count)
                + SearchSupport.coveragePenalty(beam.coverage, beta: options.beta)
            search.finished.append(Hypothesis(tokens: beam.tokens, logProb: beam.logProb, score: score,
                                              attention: beam.attention, finished: false))
        }
        search.live = []
        let indexed = search.finished.enumerated().sorted {
            $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset
        }
        search.finished = indexed.map(\.element)
    }
}
