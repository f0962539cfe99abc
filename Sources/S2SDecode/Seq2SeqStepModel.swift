import S2SModel
import S2SNumerics

/// Lets the search strategies drive the seq2seq model: the encoder runs once per batch of
/// sentences, and every row (a sentence, or one beam of it) carries its own decoder state and
/// points at its sentence's encoder states through `sourceRows`, so beams share the encoding.
public struct Seq2SeqStepModel: StepModel {
    public let model: Seq2SeqModel

    public init(model: Seq2SeqModel) { self.model = model }

    /// Decoder state of all rows.
    public struct State {
        public let source: EncodedSource
        public var sourceRows: [Int32]   // [R] sentence of each row
        public var hidden: Tensor        // [R, Hd]
        public var context: Tensor       // [R, 2H] context fed at the next step
    }

    public var targetVocabularySize: Int { model.config.targetVocabulary }

    public func begin(sources: [[Int32]]) throws -> State {
        let encoded = try model.encode(sources: sources)
        return State(source: encoded, sourceRows: (0..<Int32(sources.count)).map { $0 },
                     hidden: encoded.initialHidden, context: model.initialContext(rows: sources.count))
    }

    public func advance(_ state: inout State, previous: [Int32]) -> (logits: Tensor, attention: Tensor) {
        let step = model.step(previousTokens: previous, hidden: state.hidden, context: state.context,
                              source: state.source, sourceRows: state.sourceRows)
        state.hidden = step.hidden
        state.context = step.context
        return (step.logits, step.attention)
    }

    public func reorder(_ state: inout State, rows: [Int]) {
        state.sourceRows = rows.map { state.sourceRows[$0] }
        state.hidden = Self.gather(state.hidden, rows: rows)
        state.context = Self.gather(state.context, rows: rows)
    }

    /// New tensor whose row r is row `rows[r]` of `t`.
    static func gather(_ t: Tensor, rows: [Int]) -> Tensor {
        let cols = t.shape.last ?? 0
        let out = Tensor(shape: [rows.count, cols])
        for (r, src) in rows.enumerated() { (out.data + r * cols).update(from: t.data + src * cols, count: cols) }
        return out
    }
}
