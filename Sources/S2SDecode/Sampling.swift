import S2SNumerics

/// Ancestral sampling: each step draws the next token from the model's distribution, sharpened
/// or flattened by a temperature and optionally cut to the k most probable tokens. Seeded, so the
/// same seed gives the same samples.
public struct SamplingSearch: Sendable {
    public var options: DecodeOptions

    public init(options: DecodeOptions = DecodeOptions()) { self.options = options }

    public func decode<M: StepModel>(_ model: M, sources: [[Int32]]) throws -> [Hypothesis] {
        var results = sources.map { _ in Hypothesis(tokens: [], logProb: 0, score: 0, attention: [], finished: false) }
        guard !sources.isEmpty else { return results }
        var rng = PCG32(seed: options.seed)
        var state = try model.begin(sources: sources)
        var active = Array(sources.indices)
        var step = 0
        while !active.isEmpty {
            let previous = active.map { results[$0].tokens.last ?? SpecialTokens.bos }
            let (logits, attention) = model.advance(&state, previous: previous)
            let m = logits.matrix
            SearchSupport.forbid(m, forbidEnd: step < options.minLength)
            let scaled = Tensor(shape: [m.rows, m.cols])
            for r in 0..<m.rows {
                let src = m.row(r), dst = scaled.matrix.row(r)
                for j in 0..<m.cols { dst[j] = src[j] / max(options.temperature, 1e-6) }
            }
            Kernels.logSoftmaxRows(scaled.matrix)
            var keep: [Int] = []
            for (r, s) in active.enumerated() {
                let token = draw(scaled.matrix.row(r), count: m.cols, rng: &rng)
                results[s].logProb += scaled.matrix[r, Int(token)]
                if token == SpecialTokens.eos {
                    results[s].finished = true
                    continue
                }
                results[s].tokens.append(token)
                results[s].attention.append(SearchSupport.attentionRow(attention, row: r, sourceLength: sources[s].count))
                if results[s].tokens.count < options.maxLength(sourceLength: sources[s].count) { keep.append(r) }
            }
            step += 1
            if keep.count != active.count {
                if keep.isEmpty { break }
                model.reorder(&state, rows: keep)
                active = keep.map { active[$0] }
            }
        }
        for i in results.indices { results[i].score = results[i].logProb }
        return results
    }

    /// Draws a token from log-probabilities, restricted to the top k when `options.topK > 0`.
    func draw(_ logp: UnsafeMutablePointer<Float>, count: Int, rng: inout PCG32) -> Int32 {
        let pool: [(index: Int32, value: Float)] = options.topK > 0
            ? Kernels.topK(row: logp, count: count, k: options.topK)
            : (0..<count).map { (Int32($0), logp[$0]) }
        let maxValue = pool.map(\.value).max() ?? 0
        let weights = pool.map { expf($0.value - maxValue) }
        let total = weights.reduce(0, +)
        var u = rng.nextUnitFloat() * total
        for (i, w) in weights.enumerated() {
            u -= w
            if u < 0 && w > 0 { return pool[i].index }
        }
        return pool[weights.lastIndex { $0 > 0 } ?? 0].index
    }
}

#if canImport(Glibc)
import Glibc
#endif
