import S2SLayers
import S2SNumerics

/// The decoder of a `Seq2SeqModel` for inference, with every buffer allocated up front.
///
/// `Seq2SeqModel.step` is the readable reference: it allocates its outputs and copies the
/// concatenations `[e ; ctx]` and `[h ; ctx ; e]` at every step. Here one row buffer
/// `feat = [h | ctx | e]` [R, Hd + 2H + E] is the output layer's input AND, through its
/// `[ctx | e]` columns, the GRU's input (the GRU input weight is kept with its column blocks
/// swapped to match), so a step is: gather `e`, three GEMMs into fixed buffers, the fused GRU
/// and attention kernels, and the output GEMM. Nothing is allocated per step; reordering the
/// rows (beam search) gathers `h` and `ctx` into second buffers and swaps.
///
/// Between steps the state of row r is `hPrev[r]` (h_{t−1}) and `feat[r, Hd ..< Hd+2H]`
/// (ctx_{t−1}). Not thread-safe; one decoder per thread (the model's weights are shared).
public final class Seq2SeqDecoder: @unchecked Sendable {
    public let model: Seq2SeqModel
    public private(set) var source: EncodedSource?
    /// Rows currently decoding.
    public private(set) var rows = 0

    private let E: Int, Hd: Int, D: Int, V: Int, F: Int
    private var capacity = 0
    private var feat = Tensor(shape: [0])       // [cap, F]  [h | ctx | e]
    private var featSpare = Tensor(shape: [0])  // reorder target for the ctx block
    private var hPrev = Tensor(shape: [0])      // [cap, Hd]
    private var hSpare = Tensor(shape: [0])
    private var gi = Tensor(shape: [0])         // [cap, 3Hd]
    private var gh = Tensor(shape: [0])         // [cap, 3Hd]
    private var query = Tensor(shape: [0])      // [cap, A] additive attention query
    private var alpha = Tensor(shape: [0])      // [cap, S]
    private var logitBuffer = Tensor(shape: [0]) // [cap, V]
    private let sourceRowBuffer = IndexBuffer()
    private let sourceRowSpare = IndexBuffer()
    /// `cell.weight_ih` with its column blocks as `[ctx | e]` (the model stores `[e | ctx]`).
    private var inputWeight: Tensor
    private var inputWeightVersion: UInt64 = .max
    private let gruInput: DecodingWeight      // [3Hd, 2H + E], permuted copy
    private let gruHidden: DecodingWeight     // cell.weight_hh [3Hd, Hd]
    private let attentionQuery: DecodingWeight?  // att_q [A, Hd] + bias (additive attention)
    private let output: DecodingWeight        // out [V, F] + bias

    public init(model: Seq2SeqModel) {
        self.model = model
        let c = model.config
        E = c.embedding; Hd = c.decoderHidden; D = c.encoderOutput; V = c.targetVocabulary; F = c.outputInput
        inputWeight = Tensor(shape: [3 * Hd, D + E])
        gruInput = DecodingWeight(inputWeight)
        gruHidden = DecodingWeight(model.cell.weightHH.value)
        attentionQuery = (model.attention as? AdditiveAttention).map {
            DecodingWeight($0.query.weight.value, bias: $0.query.bias?.value)
        }
        output = DecodingWeight(model.output.weight.value, bias: model.output.bias?.value)
    }

    /// Logits of the last step [rows, V] (valid until the next `step` or `begin`).
    public var logits: Matrix { Matrix(logitBuffer.data, rows: rows, cols: V) }
    /// Attention of the last step [rows, S] (0 beyond each row's source length).
    public var attention: Matrix { Matrix(alpha.data, rows: rows, cols: source?.sourceLength ?? 0) }
    /// The sentence of `source` that each row decodes.
    public var sourceRows: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: sourceRowBuffer.pointer, count: rows) }

    /// Starts decoding `source`: one row per sentence, h = h0, ctx = 0.
    public func begin(_ source: EncodedSource) {
        self.source = source
        let n = source.sentences
        reserve(rows: n, sourceLength: source.sourceLength)
        rows = n
        refreshInputWeight()
        let f = Matrix(feat.data, rows: n, cols: F)
        MatrixOps.zero(f.columns(Hd, D))
        hPrev.data.update(from: source.initialHidden.data, count: n * Hd)
        for r in 0..<n { sourceRowBuffer.pointer[r] = Int32(r) }
    }

    /// Reserves buffers for up to `rows` rows and sources of length `sourceLength`, so later
    /// steps and reorders never allocate (beam search reserves K · sentences).
    public func reserve(rows n: Int, sourceLength S: Int) {
        if n > capacity {
            let keep = rows
            let oldFeat = feat, oldH = hPrev, oldRows = Array(sourceRows)
            capacity = n
            feat = Tensor(shape: [n, F]); featSpare = Tensor(shape: [n, F])
            hPrev = Tensor(shape: [n, Hd]); hSpare = Tensor(shape: [n, Hd])
            gi = Tensor(shape: [n, 3 * Hd]); gh = Tensor(shape: [n, 3 * Hd])
            query = Tensor(shape: [n, max(model.attention.keySize, 1)])
            logitBuffer = Tensor(shape: [n, V])
            sourceRowBuffer.reserve(n); sourceRowSpare.reserve(n)
            if keep > 0 {
                feat.data.update(from: oldFeat.data, count: keep * F)
                hPrev.data.update(from: oldH.data, count: keep * Hd)
                for (r, s) in oldRows.enumerated() { sourceRowBuffer.pointer[r] = s }
            }
        }
        if alpha.count < capacity * S { alpha = Tensor(shape: [capacity * S]) }
    }

    /// The GRU input weight with column blocks `[ctx | e]`, rebuilt when the model's changes.
    private func refreshInputWeight() {
        let w = model.cell.weightIH.value
        guard w.version != inputWeightVersion else { return }
        let src = w.matrix, dst = inputWeight.matrix
        MatrixOps.copy(src.columns(E, D), to: dst.columns(0, D))
        MatrixOps.copy(src.columns(0, E), to: dst.columns(D, E))
        inputWeight.bumpVersion()
        inputWeightVersion = w.version
    }

    /// One decoder step for every row: `previous[r]` is the token row r emitted last (`<s>` at
    /// the start). Afterwards `logits` and `attention` hold the step's results.
    public func step(previous: UnsafeBufferPointer<Int32>) {
        guard let source else { preconditionFailure("Seq2SeqDecoder.step before begin") }
        let R = rows
        precondition(previous.count == R, "Seq2SeqDecoder.step: \(previous.count) tokens for \(R) rows")
        guard R > 0 else { return }
        let precision = model.precision
        let f = Matrix(feat.data, rows: R, cols: F)
        let h = f.columns(0, Hd), ctx = f.columns(Hd, D), e = f.columns(Hd + D, E)
        let hp = Matrix(hPrev.data, rows: R, cols: Hd)
        model.targetEmbedding.forward(ids: previous.baseAddress!, count: R, into: e)
        // gi = [ctx_{t−1} | e_t] · [W_ic | W_ie]ᵀ; then gh and the gates write h_t over f's h block.
        let giM = Matrix(gi.data, rows: R, cols: 3 * Hd), ghM = Matrix(gh.data, rows: R, cols: 3 * Hd)
        gruInput.multiply(f.columns(Hd, D + E), into: giM, precision: precision, rowsAvailable: capacity)
        gruHidden.multiply(hp, into: ghM, precision: precision, rowsAvailable: capacity)
        RNNCellKernels.gruForward(gi: giM, gh: ghM, bih: model.cell.biasIH.value.data, bhh: model.cell.biasHH.value.data,
                                  hPrev: hp, h: h)
        // Attention with query h_t writes ctx_t over ctx_{t−1} (already consumed by gi).
        let a = Matrix(alpha.data, rows: R, cols: source.sourceLength)
        let memory = source.memory
        if let additive = model.attention as? AdditiveAttention, let attentionQuery {
            let q = Matrix(query.data, rows: R, cols: additive.attentionSize)
            attentionQuery.multiply(h, into: q, precision: precision, rowsAvailable: capacity)
            RNNCellKernels.additiveAttentionForward(
                keys: memory.keys, enc: memory.encoder, sourceLength: memory.sourceLength, lengths: memory.lengths,
                srcRow: sourceRowBuffer.pointer, q: q, v: additive.score.value.data, alpha: a, ctx: ctx, tanhSave: nil)
        } else {
            model.attention.attend(query: h, memory: memory, sourceRows: sourceRowBuffer.pointer, alpha: a,
                                   context: ctx, precision: precision)
        }
        output.multiply(f, into: Matrix(logitBuffer.data, rows: R, cols: V), precision: precision, rowsAvailable: capacity)
        MatrixOps.copy(h, to: hp)
    }

    /// Array convenience for `step(previous:)`.
    public func step(previous: [Int32]) { previous.withUnsafeBufferPointer { step(previous: $0) } }

    /// Rebuilds the rows: new row r continues old row `parents[r]` (rows may repeat or vanish).
    /// Needs `parents.count` within the reserved capacity.
    public func reorder(parents: UnsafeBufferPointer<Int32>) {
        let n = parents.count
        precondition(n <= capacity, "Seq2SeqDecoder.reorder: \(n) rows beyond the reserved \(capacity)")
        for (r, p) in parents.enumerated() {
            let p = Int(p)
            precondition(p >= 0 && p < rows, "Seq2SeqDecoder.reorder: parent \(p) outside 0..<\(rows)")
            (hSpare.data + r * Hd).update(from: hPrev.data + p * Hd, count: Hd)
            (featSpare.data + r * F + Hd).update(from: feat.data + p * F + Hd, count: D)
            sourceRowSpare.pointer[r] = sourceRowBuffer.pointer[p]
        }
        swap(&hPrev, &hSpare)
        swap(&feat, &featSpare)
        for r in 0..<n { sourceRowBuffer.pointer[r] = sourceRowSpare.pointer[r] }
        rows = n
    }

    /// Array convenience for `reorder(parents:)`.
    public func reorder(parents: [Int32]) { parents.withUnsafeBufferPointer { reorder(parents: $0) } }
}
