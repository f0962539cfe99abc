#if canImport(Glibc)
import Glibc
#endif
import S2SNumerics
@testable import S2SDecode
import S2SText

/// A hand-built step model for search tests: the next-token distribution is a table keyed by the
/// output prefix, so a test can state exactly which hypotheses exist and what they score.
/// Unlisted prefixes put almost all mass on `</s>`.
struct ScriptedModel: StepModel {
    struct Row { var sentence: Int; var prefix: [Int32] }
    struct State {
        var rows: [Row]
        var logits = Tensor(shape: [1])
        var attention = Tensor(shape: [1])
    }

    let vocabulary: Int
    /// prefix → [(token, probability)]
    let table: [[Int32]: [(Int32, Float)]]
    /// prefix → attention over a source of length `sourceLength`
    let attention: [[Int32]: [Float]]
    let sourceLength: Int

    var targetVocabularySize: Int { vocabulary }

    func begin(sources: [[Int32]]) -> State { State(rows: sources.indices.map { Row(sentence: $0, prefix: []) }) }

    func advance(_ state: inout State, previous: [Int32]) -> StepOutput {
        let logits = Tensor(shape: [state.rows.count, vocabulary], repeating: -30)
        let attn = Tensor(shape: [state.rows.count, sourceLength])
        for (r, row) in state.rows.enumerated() {
            // The first step is fed `<s>`, which is no part of the output prefix.
            let prefix = previous[r] == SpecialTokens.bos ? row.prefix : row.prefix + [previous[r]]
            state.rows[r].prefix = prefix
            let dist = table[prefix] ?? [(SpecialTokens.eos, 1)]
            for (token, p) in dist { logits.matrix[r, Int(token)] = logf(p) }
            let a = attention[prefix] ?? [Float](repeating: 1 / Float(sourceLength), count: sourceLength)
            for j in 0..<sourceLength { attn.matrix[r, j] = a[j] }
        }
        state.logits = logits
        state.attention = attn
        return StepOutput(logits: logits.matrix, attention: attn.matrix)
    }

    func reorder(_ state: inout State, rows: [Int32]) { state.rows = rows.map { state.rows[Int($0)] } }
}
