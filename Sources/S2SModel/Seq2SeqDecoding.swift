import S2SLayers
import S2SNumerics

/// The decoder's step for inference (the `RecurrentDecoder` of the model, stepped one token at a time for
/// many rows), with every buffer allocated up front.
///
/// One row buffer `feat = [o | ctx | e]` [R, Hd + 2H + E] is the output layer's input AND,
/// through its `[ctx | e]` columns, the first layer's input with input feeding (its input
/// weight is kept with its column blocks swapped to match; without input feeding the first
/// layer reads the `e` columns). A step is: gather `e`, per layer its two products into fixed
/// buffers and the fused cell kernel, the attention kernel, and the output GEMM. Nothing is
/// allocated per step; reordering the rows (beam search) gathers every layer's state and `ctx`
/// into second buffers and swaps.
///
/// Between steps the state of row r is `state[l].h[r]` (h^l_{t−1}, and `c` for an LSTM layer)
/// and `feat[r, Hd ..< Hd+2H]` (ctx_{t−1}). Training's step (DecoderTraining.swift) computes the
/// same function; tests hold the two equal for every cell, depth and attention.
/// Not thread-safe; one engine per thread (the model's weights are shared).
package final class Seq2SeqDecoder: @unchecked Sendable {
    package let model: Seq2SeqModel
    package private(set) var source: EncodedSource?
    /// Rows currently decoding.
    package private(set) var rows = 0

    /// One layer's weights as the engine multiplies them, and its per-row state.
    private final class Layer {
        let cell: RecurrentCell
        let input: DecodingWeight    // W_ih (layer 0 with input feeding: a column-permuted copy)
        let hidden: DecodingWeight   // W_hh
        var h = Tensor(shape: [0]), hNext = Tensor(shape: [0])   // [cap, Hd] h_{t−1}, and h_t
        var c = Tensor(shape: [0]), cNext = Tensor(shape: [0])   // LSTM memories
        var gi = Tensor(shape: [0]), gh = Tensor(shape: [0])     // [cap, G·Hd]
        var out = Tensor(shape: [0])                             // [cap, Hd] o^l below the top
        let bias: Tensor                                         // b_ih + b_hh (not the GRU)

        init(cell: RecurrentCell, input: DecodingWeight) {
            self.cell = cell
            self.input = input
            hidden = DecodingWeight(cell.weightHH.value)
            bias = Tensor(shape: [cell.biasIH.count])
        }
    }

    private let E: Int, Hd: Int, D: Int, V: Int, F: Int
    private let layers: [Layer]
    private var capacity = 0
    private var feat = Tensor(shape: [0])       // [cap, F]  [o | ctx | e]
    private var featSpare = Tensor(shape: [0])  // reorder target for the ctx block
    private var spare = Tensor(shape: [0])      // [cap, Hd] reorder target for states
    private var query = Tensor(shape: [0])      // [cap, A] additive attention query
    private var alpha = Tensor(shape: [0])      // [cap, S]
    private var logitBuffer = Tensor(shape: [0]) // [cap, V]
    private let sourceRowBuffer = IndexBuffer()
    private let sourceRowSpare = IndexBuffer()
    /// Layer 0's `weight_ih` with its column blocks as `[ctx | e]` (the model stores `[e | ctx]`).
    private let permutedInput: Tensor?
    private var permutedVersion: UInt64 = .max
    private let attentionQuery: DecodingWeight?  // att_q [A, Hd] (+ bias) for additive and concat
    private let output: DecodingWeight           // out [V, F] + bias; tied: tgt_emb [V, E] + out.bias
    private let projection: DecodingWeight?      // out_proj [E, F] + bias (tied only)
    private var projected = Tensor(shape: [0])   // [cap, E] t = tanh(out_proj(feat)) (tied only)

    package init(model: Seq2SeqModel) {
        self.model = model
        let c = model.config, dec = model.decoder
        E = c.embedding; Hd = c.decoderHidden; D = c.encoderOutput; V = c.targetVocabulary; F = c.outputInput
        let first = dec.cells[0]
        permutedInput = dec.inputFeeding ? Tensor(shape: first.weightIH.shape) : nil
        var built: [Layer] = []
        for (l, cell) in dec.cells.enumerated() {
            let w = l == 0 ? (permutedInput ?? cell.weightIH.value) : cell.weightIH.value
            built.append(Layer(cell: cell, input: DecodingWeight(w)))
        }
        layers = built
        attentionQuery = (dec.attention as? AdditiveAttention).map {
            DecodingWeight($0.query.weight.value, bias: $0.query.bias?.value)
        }
        output = DecodingWeight(dec.output.vocabulary.weight.value, bias: dec.output.vocabulary.bias?.value)
        projection = dec.output.projection.map { DecodingWeight($0.weight.value, bias: $0.bias?.value) }
    }

    /// Logits of the last step [rows, V] (valid until the next `step` or `begin`).
    package var logits: Matrix { Matrix(logitBuffer.data, rows: rows, cols: V) }
    /// Attention of the last step [rows, S] (0 beyond each row's source length).
    package var attention: Matrix { Matrix(alpha.data, rows: rows, cols: source?.sourceLength ?? 0) }
    /// The sentence of `source` that each row decodes.
    package var sourceRows: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: sourceRowBuffer.pointer, count: rows) }

    /// Starts decoding `source`: one row per sentence, every layer at h0 (and c0 = h0), ctx = 0.
    package func begin(_ source: EncodedSource) {
        self.source = source
        let n = source.sentences
        reserve(rows: n, sourceLength: source.sourceLength)
        rows = n
        refreshWeights()
        let f = Matrix(feat.data, rows: n, cols: F)
        MatrixOps.zero(f.columns(Hd, D))
        for layer in layers {
            layer.h.data.update(from: source.initialHidden.data, count: n * Hd)
            if layer.cell.hasMemory { layer.c.data.update(from: source.initialHidden.data, count: n * Hd) }
        }
        for r in 0..<n { sourceRowBuffer.pointer[r] = Int32(r) }
    }

    /// Reserves buffers for up to `rows` rows and sources of length `sourceLength`, so later
    /// steps and reorders never allocate (beam search reserves K · sentences).
    package func reserve(rows n: Int, sourceLength S: Int) {
        if n > capacity {
            let keep = rows
            let oldFeat = feat, oldRows = Array(sourceRows)
            capacity = n
            feat = Tensor(shape: [n, F]); featSpare = Tensor(shape: [n, F]); spare = Tensor(shape: [n, Hd])
            for layer in layers {
                let G = layer.cell.gateCount, oldH = layer.h, oldC = layer.c
                layer.h = Tensor(shape: [n, Hd]); layer.hNext = Tensor(shape: [n, Hd]); layer.out = Tensor(shape: [n, Hd])
                layer.gi = Tensor(shape: [n, G * Hd]); layer.gh = Tensor(shape: [n, G * Hd])
                if layer.cell.hasMemory { layer.c = Tensor(shape: [n, Hd]); layer.cNext = Tensor(shape: [n, Hd]) }
                if keep > 0 {
                    layer.h.data.update(from: oldH.data, count: keep * Hd)
                    if layer.cell.hasMemory { layer.c.data.update(from: oldC.data, count: keep * Hd) }
                }
            }
            query = Tensor(shape: [n, max(model.decoder.attention.keySize, 1)])
            logitBuffer = Tensor(shape: [n, V])
            if let projection { projected = Tensor(shape: [n, projection.outputs]) }
            sourceRowBuffer.reserve(n); sourceRowSpare.reserve(n)
            if keep > 0 {
                feat.data.update(from: oldFeat.data, count: keep * F)
                for (r, s) in oldRows.enumerated() { sourceRowBuffer.pointer[r] = s }
            }
        }
        if alpha.count < capacity * S { alpha = Tensor(shape: [capacity * S]) }
    }

    /// The permuted first-layer weight and the summed biases, rebuilt when the model's change.
    private func refreshWeights() {
        for layer in layers where layer.cell.kind != .gru {
            for j in 0..<layer.bias.count { layer.bias[j] = layer.cell.biasIH.value[j] + layer.cell.biasHH.value[j] }
        }
        guard let permutedInput else { return }
        let w = layers[0].cell.weightIH.value
        guard w.version != permutedVersion else { return }
        let src = w.matrix, dst = permutedInput.matrix
        MatrixOps.copy(src.columns(E, D), to: dst.columns(0, D))
        MatrixOps.copy(src.columns(0, E), to: dst.columns(D, E))
        permutedInput.bumpVersion()
        permutedVersion = w.version
    }

    /// One decoder step for every row: `previous[r]` is the token row r emitted last (`<s>` at
    /// the start). Afterwards `logits` and `attention` hold the step's results.
    package func step(previous: UnsafeBufferPointer<Int32>) {
        guard let source else { preconditionFailure("Seq2SeqDecoder.step before begin") }
        let R = rows
        precondition(previous.count == R, "Seq2SeqDecoder.step: \(previous.count) tokens for \(R) rows")
        guard R > 0 else { return }
        let plan = model.plan, decoder = model.decoder
        let f = Matrix(feat.data, rows: R, cols: F)
        let o = f.columns(0, Hd), ctx = f.columns(Hd, D), e = f.columns(Hd + D, E)
        decoder.embedding.forward(ids: previous.baseAddress!, count: R, into: e)
        // Layer 0 reads [ctx_{t−1} | e_t] (input feeding) or e_t; each layer above reads the one
        // below's output. The top layer's output goes to f's o block.
        var input = decoder.inputFeeding ? f.columns(Hd, D + E) : e
        for (l, layer) in layers.enumerated() {
            let G = layer.cell.gateCount
            let hp = Matrix(layer.h.data, rows: R, cols: Hd), h = Matrix(layer.hNext.data, rows: R, cols: Hd)
            let gi = Matrix(layer.gi.data, rows: R, cols: G * Hd), gh = Matrix(layer.gh.data, rows: R, cols: G * Hd)
            layer.input.multiply(input, into: gi, plan: plan, rowsAvailable: capacity)
            layer.hidden.multiply(hp, into: gh, plan: plan, rowsAvailable: capacity)
            let cell = layer.cell
            switch cell.kind {
            case .gru:
                RNNCellKernels.gruForward(gi: gi, gh: gh, bih: cell.biasIH.value.data, bhh: cell.biasHH.value.data, hPrev: hp, h: h)
            case .rnn:
                MatrixOps.add(gh, to: gi)
                RNNCellKernels.rnnForward(gates: gi, bias: layer.bias.data, h: h, lengths: nil, t: 0)
            case .gated:
                MatrixOps.add(gh, to: gi)
                RNNCellKernels.gatedForward(gates: gi, bias: layer.bias.data, sPrev: hp, s: h, lengths: nil, t: 0)
            case .lstm:
                MatrixOps.add(gh, to: gi)
                RNNCellKernels.lstmForward(gates: gi, bias: layer.bias.data, cPrev: Matrix(layer.c.data, rows: R, cols: Hd),
                                           c: Matrix(layer.cNext.data, rows: R, cols: Hd), h: h, lengths: nil, t: 0)
                swap(&layer.c, &layer.cNext)
            }
            swap(&layer.h, &layer.hNext)
            let out = l == layers.count - 1 ? o : Matrix(layer.out.data, rows: R, cols: Hd)
            MatrixOps.copy(h, to: out)
            if decoder.residualAt(l) { MatrixOps.add(input, to: out) }
            input = out
        }
        // Attention with the top output writes ctx_t over ctx_{t−1} (already consumed above).
        let a = Matrix(alpha.data, rows: R, cols: source.sourceLength)
        let memory = source.memory
        if let additive = decoder.attention as? AdditiveAttention, let attentionQuery {
            let q = Matrix(query.data, rows: R, cols: additive.attentionSize)
            attentionQuery.multiply(o, into: q, plan: plan, rowsAvailable: capacity)
            RNNCellKernels.additiveAttentionForward(
                keys: memory.keys, enc: memory.encoder, sourceLength: memory.sourceLength, lengths: memory.lengths,
                srcRow: sourceRowBuffer.pointer, q: q, v: additive.score.value.data, alpha: a, ctx: ctx, tanhSave: nil)
        } else {
            decoder.attention.attend(query: o, memory: memory, sourceRows: sourceRowBuffer.pointer, alpha: a,
                                     context: ctx, precision: plan.gemm)
        }
        let logits = Matrix(logitBuffer.data, rows: R, cols: V)
        if let projection {
            // Tied: t = tanh(out_proj(F)), logits = t · tgt_embᵀ + b (OutputLayer).
            let t = Matrix(projected.data, rows: R, cols: projection.outputs)
            projection.multiply(f, into: t, plan: plan, rowsAvailable: capacity)
            Kernels.tanh(t.base, count: R * projection.outputs)
            output.multiply(t, into: logits, plan: plan, rowsAvailable: capacity)
        } else {
            output.multiply(f, into: logits, plan: plan, rowsAvailable: capacity)
        }
    }

    /// Array convenience for `step(previous:)`.
    package func step(previous: [Int32]) { previous.withUnsafeBufferPointer { step(previous: $0) } }

    /// Rebuilds the rows: new row r continues old row `parents[r]` (rows may repeat or vanish).
    /// Needs `parents.count` within the reserved capacity.
    package func reorder(parents: UnsafeBufferPointer<Int32>) {
        let n = parents.count
        precondition(n <= capacity, "Seq2SeqDecoder.reorder: \(n) rows beyond the reserved \(capacity)")
        for p in parents { precondition(p >= 0 && Int(p) < rows, "Seq2SeqDecoder.reorder: parent \(p) outside 0..<\(rows)") }
        func gather(_ state: inout Tensor) {
            for (r, p) in parents.enumerated() { (spare.data + r * Hd).update(from: state.data + Int(p) * Hd, count: Hd) }
            swap(&state, &spare)
        }
        for layer in layers {
            gather(&layer.h)
            if layer.cell.hasMemory { gather(&layer.c) }
        }
        for (r, p) in parents.enumerated() {
            (featSpare.data + r * F + Hd).update(from: feat.data + Int(p) * F + Hd, count: D)
            sourceRowSpare.pointer[r] = sourceRowBuffer.pointer[Int(p)]
        }
        swap(&feat, &featSpare)
        for r in 0..<n { sourceRowBuffer.pointer[r] = sourceRowSpare.pointer[r] }
        rows = n
    }

    /// Array convenience for `reorder(parents:)`.
    package func reorder(parents: [Int32]) { parents.withUnsafeBufferPointer { reorder(parents: $0) } }
}
