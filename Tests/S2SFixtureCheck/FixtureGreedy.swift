import S2SDecode
import S2SModel
import S2SNumerics

extension Seq2SeqFixtureCheck {
    /// Checks a reference fixture, its greedy decode included: greedy search as `s2s translate
    /// --greedy` runs it, at most `greedyLength` tokens, which is the reference's own loop (never
    /// `<pad>` or `<s>`, stop at `</s>`, ties to the lower id).
    package static func run(_ fixture: Seq2SeqFixture, precision: Precision = .fp32) throws(FixtureError) -> FixtureCheckReport {
        try run(fixture, precision: precision) { model, sources in
            var options = DecodeOptions()
            options.maxLengthRatio = 0
            options.maxLengthExtra = greedyLength
            options.maxLengthCap = greedyLength
            options.recordAttention = false
            return try GreedySearch(options: options).decode(Seq2SeqStepModel(model: model), sources: sources).map(\.tokens)
        }
    }
}
