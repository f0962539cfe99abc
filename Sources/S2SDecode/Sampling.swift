#if canImport(Glibc)
import Glibc
#endif
import S2SNumerics

/// Ancestral sampling: each step draws the next token from the model's distribution, sharpened
/// or flattened by a temperature and optionally cut to the k most probable tokens. Seeded, so the
/// same seed gives the same samples.
package struct SamplingSearch: Sendable {
    package var options: DecodeOptions

    package init(options: DecodeOptions = DecodeOptions()) { self.options = options }

    /// One sampled hypothesis per source, in input order.
    package func decode<M: StepModel>(_ model: M, sources: [[Int32]]) throws -> [Hypothesis] {
        guard !sources.isEmpty else { return [] }
        var rng = PCG32(seed: options.seed)
        let V = model.targetVocabularySize
        let temperature = max(options.temperature, 1e-6)
        let scaled = Tensor(shape: [sources.count, V])   // logits / T of the active rows
        let scores = RowScores()
        return try SinglePathSearch.decode(model, sources: sources, options: options) { logits, step, picks in
            let t = Matrix(scaled.data, rows: logits.rows, cols: V)
            for r in 0..<logits.rows {
                let src = logits.row(r), dst = t.row(r)
                for j in 0..<V { dst[j] = src[j] / temperature }
            }
            let forbidEnd = step < options.minLength
            scores.compute(t, k: options.topK > 0 ? min(options.topK, V) : 1, forbidEnd: forbidEnd)
            for r in 0..<logits.rows {
                let token = draw(row: r, scaled: t, scores: scores, forbidEnd: forbidEnd, rng: &rng)
                picks.append((token, t[r, Int(token)] - scores.logSumExp(r)))
            }
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
