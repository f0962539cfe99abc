import S2SNumerics

/// What a search strategy needs from a translation model: batched single decoder steps over
/// rows, where each row belongs to one source sentence.
///
/// Greedy decoding, beam search and sampling are written against this protocol, so they do not
/// know how the model computes a step; the seq2seq model conforms through an adapter.
/// A step's results are views into the model's own buffers: they stay valid until the next
/// `advance` or `reorder`, and nothing is allocated per step.
package protocol StepModel {
    associatedtype State

    /// Size of the target vocabulary (columns of the logits).
    var targetVocabularySize: Int { get }

    /// Encodes the sources; the returned state has one row per sentence, in order.
    func begin(sources: [[Int32]]) throws -> State

    /// Makes room for up to `rows` rows (beam search asks for K · sentences before it reorders).
    func reserve(_ state: inout State, rows: Int)

    /// Advances every row by one token (`previous[r]` is the token row `r` emitted last).
    func advance(_ state: inout State, previous: [Int32]) -> StepOutput

    /// Rebuilds the rows: new row `r` continues old row `rows[r]` (rows may repeat or disappear).
    func reorder(_ state: inout State, rows: [Int32])
}

extension StepModel {
    package func reserve(_ state: inout State, rows: Int) {}
}

/// One step's results for R rows.
package struct StepOutput {
    /// [R, V] unnormalized scores of the next token.
    package let logits: Matrix
    /// [R, S] attention weights, S the longest source of the batch; the columns past a row's
    /// own source length are zero.
    package let attention: Matrix

    package init(logits: Matrix, attention: Matrix) {
        self.logits = logits
        self.attention = attention
    }
}
