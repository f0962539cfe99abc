#if canImport(Glibc)
import Glibc
#endif
import S2SNumerics

/// Ancestral sampling: each step draws the next token from the model's distribution, sharpened
/// or flattened by a temperature and optionally cut to the k most probable tokens. Seeded, so the
/// same seed gives the same samples.
public struct SamplingSearch: Sendable {
    public var options: DecodeOptions

    public init(options: DecodeOptions = DecodeOptions()) { self.options = options }

    public func decode<M: StepModel>(_ model: M, sources: [[Int32]]) throws -> [Hypothesis] {
        let n = sources.count
        guard n > 0 else { return [] }
        var tokens = [[Int32]](repeating: [], count: n)
        var attention = [[Float]](repeating: [], count: n)
        var logProb = [Float](repeating: 0, count: n)
        var ended = [Bool](repeating: false, count: n)
        let limits = sources.map { options.maxLength(sourceLength: $0.count) }
        var rng = PCG32(seed: options.seed)
        var state = try model.begin(sources: sources)
        var active = (0..<n).map { Int32($0) }
        var previous = [Int32](repeating: SpecialTokens.bos, count: n)
        var keep: [Int32] = []
        let V = model.targetVocabularySize
        let temperature = max(options.temperature, 1e-6)
        let scaled = Tensor(shape: [n, V])   // logits / T of the active rows
        let scores = RowScores()
        var step = 0
        while !active.isEmpty {
            let out = model.advance(&state, previous: previous)
            let m = out.logits
            let t = Matrix(scaled.data, rows: m.rows, cols: V)
            for r in 0..<m.rows {
                let src = m.row(r), dst = t.row(r)
                for j in 0..<V { dst[j] = src[j] / temperature }
            }
            let cut = options.topK > 0 ? min(options.topK, V) : 1
            scores.compute(t, k: cut, forbidEnd: step < options.minLength)
            keep.removeAll(keepingCapacity: true)
            for r in 0..<active.count {
                let s = Int(active[r])
                let token = draw(row: r, scaled: t, scores: scores, forbidEnd: step < options.minLength, rng: &rng)
                logProb[s] += t[r, Int(token)] - scores.logSumExp(r)
                if token == SpecialTokens.eos {
                    ended[s] = true
                    continue
                }
                tokens[s].append(token)
                if options.recordAttention {
                    let width = min(sources[s].count, out.attention.cols)
                    attention[s].append(contentsOf: UnsafeBufferPointer(start: out.attention.row(r), count: width))
                }
                if tokens[s].count < limits[s] { keep.append(Int32(r)) }
            }
            step += 1
            if keep.count != active.count {
                if keep.isEmpty { break }
                model.reorder(&state, rows: keep)
                for (i, r) in keep.enumerated() { active[i] = active[Int(r)] }
                active.removeLast(active.count - keep.count)
            }
            previous.removeAll(keepingCapacity: true)
            for s in active { previous.append(tokens[Int(s)].last ?? SpecialTokens.bos) }
        }
        return (0..<n).map { s in
            Hypothesis(tokens: tokens[s], logProb: logProb[s], score: logProb[s],
                       attention: GreedySearch.rows(attention[s], count: tokens[s].count), finished: ended[s])
        }
    }

    /// Draws row r's token: from its top k (`options.topK > 0`) or from the whole allowed
    /// vocabulary, with probability `exp(scaled − lse)`.
    func draw(row r: Int, scaled: Matrix, scores: RowScores, forbidEnd: Bool, rng: inout PCG32) -> Int32 {
        let lse = scores.logSumExp(r)
        if options.topK > 0 {
            var total: Float = 0
            for j in 0..<scores.k { total += expf(scores.logit(r, j) - lse) }
            var u = rng.nextUnitFloat() * total
            for j in 0..<scores.k {
                let w = expf(scores.logit(r, j) - lse)
                u -= w
                if u < 0 && w > 0 { return scores.token(r, j) }
            }
            return scores.token(r, 0)
        }
        let forbidden = forbidEnd ? SearchSupport.forbiddenWithEnd : SearchSupport.forbidden
        let x = scaled.row(r)
        var u = rng.nextUnitFloat()
        var last = scores.token(r, 0)
        for j in 0..<scaled.cols where !forbidden.contains(Int32(j)) {
            let w = expf(x[j] - lse)
            guard w > 0 else { continue }
            last = Int32(j)
            u -= w
            if u < 0 { return Int32(j) }
        }
        return last
    }
}
