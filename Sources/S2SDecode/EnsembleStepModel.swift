import S2SModel
import S2SNumerics

/// Several models decoding as one: at every step each member advances its own rows and the
/// ensemble's scores are the mean of the members' log-probabilities,
///
///     s(y | y_<t, x) = (1/N) Σ_i log p_i(y | y_<t, x),
///
/// (Marian's and fairseq's log-linear combination with equal weights; OpenNMT-py averages
/// probabilities instead). The searches renormalize what they are given (`RowScores`), so the
/// result is the normalized geometric mean of the members' distributions; since log-softmax
/// only shifts a row, an ensemble of N copies of one model scores exactly as that model does.
/// Attention is the members' mean, for heatmaps and `<unk>` replacement.
///
/// Members must share the target vocabulary (the caller checks that their text pipelines are
/// the same); their architectures may differ. Beams and rows stay aligned because every member
/// sees the same `previous` tokens and the same `reorder`.
package struct EnsembleStepModel: StepModel {
    package let members: [Seq2SeqStepModel]
    private let scratch = Scratch()

    /// - Precondition: at least one member, all with the same target vocabulary size.
    package init(members: [Seq2SeqStepModel]) {
        precondition(!members.isEmpty, "EnsembleStepModel: no members")
        let v = members[0].targetVocabularySize
        precondition(members.allSatisfy { $0.targetVocabularySize == v },
                     "EnsembleStepModel: members disagree on the target vocabulary size")
        self.members = members
    }

    /// One decoder state per member, rows aligned.
    package struct State {
        var members: [Seq2SeqDecoder]
    }

    package var targetVocabularySize: Int { members[0].targetVocabularySize }

    package func begin(sources: [[Int32]]) throws -> State {
        State(members: try members.map { try $0.begin(sources: sources) })
    }

    package func reserve(_ state: inout State, rows: Int) {
        for i in members.indices { members[i].reserve(&state.members[i], rows: rows) }
    }

    /// Logits [R, V] = mean of the members' log-softmax rows; attention [R, S] = their mean.
    /// Members' own logit buffers are normalized in place (they are rewritten next step anyway).
    package func advance(_ state: inout State, previous: [Int32]) -> StepOutput {
        let outputs = members.indices.map { members[$0].advance(&state.members[$0], previous: previous) }
        let R = outputs[0].logits.rows, V = outputs[0].logits.cols, S = outputs[0].attention.cols
        scratch.reserve(logits: R * V, attention: R * S)
        let logits = Matrix(scratch.logits, rows: R, cols: V)
        let attention = Matrix(scratch.attention, rows: R, cols: S)
        let w = 1 / Float(outputs.count)
        for (i, out) in outputs.enumerated() {
            precondition(out.logits.rows == R && out.logits.cols == V && out.attention.cols == S,
                         "EnsembleStepModel: member \(i) stepped \(out.logits.rows)x\(out.logits.cols) rows, expected \(R)x\(V)")
            Kernels.logSoftmaxRows(out.logits)
            Self.accumulate(out.logits, weight: w, into: logits, first: i == 0)
            Self.accumulate(out.attention, weight: w, into: attention, first: i == 0)
        }
        return StepOutput(logits: logits, attention: attention)
    }

    package func reorder(_ state: inout State, rows: [Int32]) {
        for i in members.indices { members[i].reorder(&state.members[i], rows: rows) }
    }

    /// `y = w·x` (first member) or `y += w·x`, row by row (x may be strided), through the
    /// vectorized kernels: this runs over [R, V] for every member at every step.
    private static func accumulate(_ x: Matrix, weight w: Float, into y: Matrix, first: Bool) {
        for r in 0..<x.rows {
            let xr = x.row(r), yr = y.row(r)
            if first {
                yr.update(from: xr, count: x.cols)
                Kernels.scale(yr, by: w, count: x.cols)
            } else {
                Kernels.axpy(w, xr, yr, count: x.cols)
            }
        }
    }

    /// The combined step's buffers, grown when a batch needs more and reused otherwise, so an
    /// ensemble allocates nothing per step (as a single model does not).
    private final class Scratch {
        private(set) var logits = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        private(set) var attention = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        private var logitCapacity = 1, attentionCapacity = 1

        deinit {
            logits.deallocate()
            attention.deallocate()
        }

        func reserve(logits n: Int, attention m: Int) {
            if n > logitCapacity {
                logits.deallocate()
                logitCapacity = n
                logits = .allocate(capacity: n)
            }
            if m > attentionCapacity {
                attention.deallocate()
                attentionCapacity = m
                attention = .allocate(capacity: m)
            }
        }
    }
}
