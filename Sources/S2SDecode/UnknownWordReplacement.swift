/// Unknown-word replacement (Luong et al. 2015): where the output says `<unk>`, copy the source
/// token that the attention pointed at most strongly when that output token was produced.
package enum UnknownWordReplacement {
    /// - Parameters:
    ///   - output: output tokens as strings (one per hypothesis token)
    ///   - hypothesis: the hypothesis whose `attention` rows align with `output`
    ///   - sourceTokens: the source tokens as strings, one per attention column; columns beyond
    ///     them (the framing's `</s>`) are never copied
    ///   - unknown: the string the output uses for the unknown token
    package static func apply(output: [String], hypothesis: Hypothesis, sourceTokens: [String], unknown: String = "<unk>") -> [String] {
        var result = output
        for (t, token) in output.enumerated() where token == unknown && t < hypothesis.attention.count {
            let row = hypothesis.attention[t]
            let n = min(row.count, sourceTokens.count)
            guard n > 0, let best = (0..<n).max(by: { row[$0] < row[$1] }) else { continue }
            result[t] = sourceTokens[best]
        }
        return result
    }
}
