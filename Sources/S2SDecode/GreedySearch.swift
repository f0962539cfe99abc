import S2SNumerics

/// Greedy decoding: at every step each sentence takes its most probable token.
///
/// Sentences that emit `</s>` leave the batch (their rows are dropped), so a long sentence does
/// not make the short ones keep costing.
public struct GreedySearch: Sendable {
    public var options: DecodeOptions

    public init(options: DecodeOptions = DecodeOptions()) { self.options = options }

    /// One hypothesis per source, in input order.
    public func decode<M: StepModel>(_ model: M, sources: [[Int32]]) throws -> [Hypothesis] {
        var results = sources.map { _ in Hypothesis(tokens: [], logProb: 0, score: 0, attention: [], finished: false) }
        guard !sources.isEmpty else { return results }
        var state = try model.begin(sources: sources)
        var active = Array(sources.indices)          // row r decodes sentence active[r]
        var previous = [Int32](repeating: SpecialTokens.bos, count: sources.count)
        var step = 0
        while !active.isEmpty {
            let (logits, attention) = model.advance(&state, previous: previous)
            let logp = SearchSupport.logProbabilities(logits, forbidEnd: step < options.minLength)
            var argmax = [Int32](repeating: 0, count: active.count)
            argmax.withUnsafeMutableBufferPointer { Kernels.argmaxRows(logp, into: $0.baseAddress!) }
            var keep: [Int] = []
            for (r, s) in active.enumerated() {
                let token = argmax[r]
                results[s].logProb += logp[r, Int(token)]
                let attn = SearchSupport.attentionRow(attention, row: r, sourceLength: sources[s].count)
                if token == SpecialTokens.eos {
                    results[s].finished = true
                    continue
                }
                results[s].tokens.append(token)
                results[s].attention.append(attn)
                if results[s].tokens.count >= options.maxLength(sourceLength: sources[s].count) { continue }
                keep.append(r)
            }
            step += 1
            if keep.count != active.count {
                if keep.isEmpty { break }
                model.reorder(&state, rows: keep)
                active = keep.map { active[$0] }
            }
            previous = active.map { results[$0].tokens.last ?? SpecialTokens.bos }
        }
        for i in results.indices { results[i].score = results[i].logProb }
        return results
    }
}
