import CKernels

/// Swift entry points to the fused recurrent-cell kernels (`CKernels/rnn.c`, `gated_rnn.c`,
/// `lstm.c`, `gru.c`, where each cell's equations and derivatives are written out) and the
/// attention-step kernels (`attention_cells.c`).
///
/// The GEMMs of a step (input and recurrent products) run outside; these kernels do everything
/// elementwise in one pass over the gate buffer, so a time step reads its gates once forward and
/// once backward. All arguments are `Matrix` views with their own row stride: a time step of a
/// `[T, B, X]` buffer or one direction's half of a `[T, B, 2H]` buffer is passed without copying.
/// `lengths` [B] with `t` marks the rows active at this step (`t < lengths[b]`); nil = all active.
package enum RNNCellKernels {
    /// LSTM step forward (gate blocks i, f, g, o).
    /// - gates: [B, 4H], `W_ih x + W_hh h` on entry, activations on exit.
    /// - bias: [4H] = `b_ih + b_hh`. cPrev: [B, H] or nil (zeros). c, h: [B, H] outputs
    ///   (zero for inactive rows).
    package static func lstmForward(
        gates: Matrix, bias: UnsafePointer<Float>, cPrev: Matrix?, c: Matrix, h: Matrix,
        lengths: UnsafePointer<Int32>?, t: Int
    ) {
        let rows = gates.rows, hidden = c.cols
        precondition(gates.cols == 4 * hidden && c.rows == rows && h.rows == rows && h.cols == hidden,
                     "lstmForward: gates \(gates.rows)x\(gates.cols), c \(c.rows)x\(c.cols), h \(h.rows)x\(h.cols)")
        if let p = cPrev { precondition(p.rows == rows && p.cols == hidden, "lstmForward: cPrev \(p.rows)x\(p.cols)") }
        s2s_lstm_forward(Int32(rows), Int32(hidden), gates.base, Int64(gates.stride), bias,
                         cPrev?.base, Int64(cPrev?.stride ?? 0), c.base, Int64(c.stride), h.base, Int64(h.stride),
                         lengths, Int32(t))
    }

    /// LSTM step backward. `gates` holds activations on entry, pre-activation gradients on exit.
    /// `dy` [B, H]: gradient from the output; `dhRec` [B, H] or nil: from the next processed
    /// step; `dc` [B, H]: dL/dc_t in, dL/dc_{t-1} out.
    package static func lstmBackward(
        gates: Matrix, c: Matrix, cPrev: Matrix?, dy: Matrix, dhRec: Matrix?, dc: Matrix,
        lengths: UnsafePointer<Int32>?, t: Int
    ) {
        let rows = gates.rows, hidden = c.cols
        precondition(gates.cols == 4 * hidden && c.rows == rows && dy.rows == rows && dy.cols == hidden
                     && dc.rows == rows && dc.cols == hidden,
                     "lstmBackward: gates \(gates.rows)x\(gates.cols), c \(c.rows)x\(c.cols), dy \(dy.rows)x\(dy.cols)")
        s2s_lstm_backward(Int32(rows), Int32(hidden), gates.base, Int64(gates.stride), c.base, Int64(c.stride),
                          cPrev?.base, Int64(cPrev?.stride ?? 0), dy.base, Int64(dy.stride),
                          dhRec?.base, Int64(dhRec?.stride ?? 0), dc.base, Int64(dc.stride), lengths, Int32(t))
    }

    /// Vanilla RNN step forward: `gates` [B, H] holds `W_ih x + W_hh h` (no bias) on entry and h_t
    /// on exit; `bias` [H] = `b_ih + b_hh`; writes `h` [B, H] (0 for inactive rows).
    package static func rnnForward(gates: Matrix, bias: UnsafePointer<Float>, h: Matrix,
                                  lengths: UnsafePointer<Int32>?, t: Int) {
        precondition(gates.cols == h.cols && gates.rows == h.rows, "rnnForward: gates \(gates.rows)x\(gates.cols), h \(h.rows)x\(h.cols)")
        s2s_rnn_forward(Int32(gates.rows), Int32(h.cols), gates.base, Int64(gates.stride), bias, h.base, Int64(h.stride),
                        lengths, Int32(t))
    }

    /// Vanilla RNN step backward: `gates` holds h_t on entry and dL/da_t on exit; the gradient on
    /// h_t is `dy` + `dhRec` (nil = 0).
    package static func rnnBackward(gates: Matrix, dy: Matrix, dhRec: Matrix?, lengths: UnsafePointer<Int32>?, t: Int) {
        precondition(gates.cols == dy.cols && gates.rows == dy.rows, "rnnBackward: gates \(gates.rows)x\(gates.cols), dy \(dy.rows)x\(dy.cols)")
        s2s_rnn_backward(Int32(gates.rows), Int32(dy.cols), gates.base, Int64(gates.stride), dy.base, Int64(dy.stride),
                         dhRec?.base, Int64(dhRec?.stride ?? 0), lengths, Int32(t))
    }

    /// Simple gated RNN step forward (blocks g, u): `gates` [B, 2H] pre-activations without bias
    /// in, g and u out; `bias` [2H]; `sPrev` [B, H] or nil (zeros); writes `s` [B, H].
    package static func gatedForward(gates: Matrix, bias: UnsafePointer<Float>, sPrev: Matrix?, s: Matrix,
                                    lengths: UnsafePointer<Int32>?, t: Int) {
        precondition(gates.cols == 2 * s.cols && gates.rows == s.rows, "gatedForward: gates \(gates.rows)x\(gates.cols), s \(s.rows)x\(s.cols)")
        s2s_gated_forward(Int32(gates.rows), Int32(s.cols), gates.base, Int64(gates.stride), bias,
                          sPrev?.base, Int64(sPrev?.stride ?? 0), s.base, Int64(s.stride), lengths, Int32(t))
    }

    /// Simple gated RNN step backward: gate activations in, pre-activation gradients out; the
    /// gradient on s_t is `dy` + `dhRec` (nil = 0); writes `dPrev` = ds ⊙ (1 − g), the direct part
    /// of dL/ds_{t−1} (add `dgates · W_hh` yourself).
    package static func gatedBackward(gates: Matrix, sPrev: Matrix?, dy: Matrix, dhRec: Matrix?, dPrev: Matrix,
                                     lengths: UnsafePointer<Int32>?, t: Int) {
        precondition(gates.cols == 2 * dy.cols && gates.rows == dy.rows && dPrev.rows == dy.rows && dPrev.cols == dy.cols,
                     "gatedBackward: gates \(gates.rows)x\(gates.cols), dy \(dy.rows)x\(dy.cols), dPrev \(dPrev.rows)x\(dPrev.cols)")
        s2s_gated_backward(Int32(gates.rows), Int32(dy.cols), gates.base, Int64(gates.stride),
                           sPrev?.base, Int64(sPrev?.stride ?? 0), dy.base, Int64(dy.stride),
                           dhRec?.base, Int64(dhRec?.stride ?? 0), dPrev.base, Int64(dPrev.stride), lengths, Int32(t))
    }

    /// GRU step forward (PyTorch `GRUCell`, blocks r, z, n).
    /// - gi: [B, 3H] `W_ih x` (no bias); r, z, n on exit. gh: [B, 3H] `W_hh h` (no bias); its n
    ///   block holds `W_hn h + b_hn` on exit. bih, bhh: [3H]. hPrev, h: [B, H] (must not alias).
    /// - lengths, t: packed-sequence rows (encoder); inactive rows get h = 0.
    package static func gruForward(
        gi: Matrix, gh: Matrix, bih: UnsafePointer<Float>, bhh: UnsafePointer<Float>, hPrev: Matrix, h: Matrix,
        lengths: UnsafePointer<Int32>? = nil, t: Int = 0
    ) {
        let rows = gi.rows, hidden = h.cols
        precondition(gi.cols == 3 * hidden && gh.cols == 3 * hidden && gh.rows == rows && hPrev.rows == rows
                     && hPrev.cols == hidden && h.rows == rows,
                     "gruForward: gi \(gi.rows)x\(gi.cols), gh \(gh.rows)x\(gh.cols), h \(h.rows)x\(h.cols)")
        s2s_gru_forward(Int32(rows), Int32(hidden), gi.base, Int64(gi.stride), gh.base, Int64(gh.stride),
                        bih, bhh, hPrev.base, Int64(hPrev.stride), h.base, Int64(h.stride), lengths, Int32(t))
    }

    /// GRU step backward: `gi`/`gh` (saved by forward) become the gradients of
    /// `W_ih x + b_ih` / `W_hh h + b_hh`; the gradient on h is `dh` + `dhRec` (nil = 0);
    /// `dhPrev` [B, H] = dh ⊙ z (add dgh · W_hh yourself). Inactive rows: all 0.
    package static func gruBackward(gi: Matrix, gh: Matrix, hPrev: Matrix, dh: Matrix, dhRec: Matrix? = nil, dhPrev: Matrix,
                                   lengths: UnsafePointer<Int32>? = nil, t: Int = 0) {
        let rows = gi.rows, hidden = dh.cols
        precondition(gi.cols == 3 * hidden && gh.cols == 3 * hidden && hPrev.rows == rows && dh.rows == rows
                     && dhPrev.rows == rows && dhPrev.cols == hidden,
                     "gruBackward: gi \(gi.rows)x\(gi.cols), dh \(dh.rows)x\(dh.cols), dhPrev \(dhPrev.rows)x\(dhPrev.cols)")
        s2s_gru_backward(Int32(rows), Int32(hidden), gi.base, Int64(gi.stride), gh.base, Int64(gh.stride),
                         hPrev.base, Int64(hPrev.stride), dh.base, Int64(dh.stride), dhRec?.base, Int64(dhRec?.stride ?? 0),
                         dhPrev.base, Int64(dhPrev.stride), lengths, Int32(t))
    }

    /// Additive attention forward. `keys` [N·S, A] and `enc` [N·S, D] are per-sentence blocks
    /// of S rows; query row n attends sentence `srcRow?[n] ?? n` over its first `lengths[s]`
    /// positions. `q` [R, A] (= `W_q h + b_q`), `v` [A]; writes `alpha` [R, S], `ctx` [R, D]
    /// and, when given, `tanhSave` [R·S, A] (contiguous).
    package static func additiveAttentionForward(
        keys: Matrix, enc: Matrix, sourceLength: Int, lengths: UnsafePointer<Int32>, srcRow: UnsafePointer<Int32>?,
        q: Matrix, v: UnsafePointer<Float>, alpha: Matrix, ctx: Matrix, tanhSave: UnsafeMutablePointer<Float>?
    ) {
        let rows = q.rows
        precondition(alpha.rows == rows && alpha.cols == sourceLength && ctx.rows == rows && ctx.cols == enc.cols
                     && keys.cols == q.cols && keys.rows == enc.rows,
                     "additiveAttentionForward: q \(q.rows)x\(q.cols), keys \(keys.rows)x\(keys.cols), enc \(enc.rows)x\(enc.cols), alpha \(alpha.rows)x\(alpha.cols), ctx \(ctx.rows)x\(ctx.cols)")
        s2s_additive_attention_forward(Int32(rows), Int32(sourceLength), Int32(q.cols), Int32(enc.cols),
                                       keys.base, Int64(keys.stride), enc.base, Int64(enc.stride), lengths, srcRow,
                                       q.base, Int64(q.stride), v, alpha.base, Int64(alpha.stride),
                                       ctx.base, Int64(ctx.stride), tanhSave)
    }

    /// Additive attention backward (row n attends sentence n). Accumulates into `dEnc`
    /// [R·S, D], `dKeys` [R·S, A] and `dvRows` [R, A]; overwrites `dq` [R, A].
    package static func additiveAttentionBackward(
        enc: Matrix, sourceLength: Int, lengths: UnsafePointer<Int32>, v: UnsafePointer<Float>,
        alpha: Matrix, tanhSave: UnsafePointer<Float>, dctx: Matrix,
        dEnc: Matrix, dKeys: Matrix, dvRows: Matrix, dq: Matrix
    ) {
        let rows = dctx.rows
        precondition(enc.rows == rows * sourceLength && dEnc.rows == enc.rows && dEnc.cols == enc.cols
                     && dKeys.rows == enc.rows && dq.rows == rows && dvRows.rows == rows && dq.cols == dKeys.cols
                     && dvRows.cols == dq.cols && dctx.cols == enc.cols && alpha.rows == rows,
                     "additiveAttentionBackward: enc \(enc.rows)x\(enc.cols), dctx \(dctx.rows)x\(dctx.cols), dKeys \(dKeys.rows)x\(dKeys.cols), dq \(dq.rows)x\(dq.cols)")
        s2s_additive_attention_backward(Int32(rows), Int32(sourceLength), Int32(dq.cols), Int32(enc.cols),
                                        enc.base, Int64(enc.stride), lengths, v, alpha.base, Int64(alpha.stride),
                                        tanhSave, dctx.base, Int64(dctx.stride), dEnc.base, Int64(dEnc.stride),
                                        dKeys.base, Int64(dKeys.stride), dvRows.base, Int64(dvRows.stride),
                                        dq.base, Int64(dq.stride))
    }

    /// Bilinear (Luong "general") attention forward: `score_j = q[n] · keys[s, j]`.
    package static func bilinearAttentionForward(
        keys: Matrix, enc: Matrix, sourceLength: Int, lengths: UnsafePointer<Int32>, srcRow: UnsafePointer<Int32>?,
        q: Matrix, alpha: Matrix, ctx: Matrix
    ) {
        let rows = q.rows
        precondition(alpha.rows == rows && alpha.cols == sourceLength && ctx.rows == rows && ctx.cols == enc.cols
                     && keys.cols == q.cols && keys.rows == enc.rows,
                     "bilinearAttentionForward: q \(q.rows)x\(q.cols), keys \(keys.rows)x\(keys.cols), enc \(enc.rows)x\(enc.cols)")
        s2s_bilinear_attention_forward(Int32(rows), Int32(sourceLength), Int32(q.cols), Int32(enc.cols),
                                       keys.base, Int64(keys.stride), enc.base, Int64(enc.stride), lengths, srcRow,
                                       q.base, Int64(q.stride), alpha.base, Int64(alpha.stride),
                                       ctx.base, Int64(ctx.stride))
    }

    /// Bilinear attention backward (row n attends sentence n): accumulates into `dEnc`, `dKeys`
    /// and ADDS into `dq`.
    package static func bilinearAttentionBackward(
        keys: Matrix, enc: Matrix, sourceLength: Int, lengths: UnsafePointer<Int32>, q: Matrix,
        alpha: Matrix, dctx: Matrix, dEnc: Matrix, dKeys: Matrix, dq: Matrix
    ) {
        let rows = dctx.rows
        precondition(enc.rows == rows * sourceLength && keys.rows == enc.rows && dEnc.rows == enc.rows
                     && dKeys.rows == enc.rows && dq.rows == rows && dq.cols == keys.cols && q.rows == rows,
                     "bilinearAttentionBackward: enc \(enc.rows)x\(enc.cols), keys \(keys.rows)x\(keys.cols), dq \(dq.rows)x\(dq.cols)")
        s2s_bilinear_attention_backward(Int32(rows), Int32(sourceLength), Int32(keys.cols), Int32(enc.cols),
                                        keys.base, Int64(keys.stride), enc.base, Int64(enc.stride), lengths,
                                        q.base, Int64(q.stride), alpha.base, Int64(alpha.stride),
                                        dctx.base, Int64(dctx.stride), dEnc.base, Int64(dEnc.stride),
                                        dKeys.base, Int64(dKeys.stride), dq.base, Int64(dq.stride))
    }

    /// `y = tanh(x)` with the kernels' vectorized tanh (about 2 ulp).
    package static func tanh(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        s2s_tanh_array(x, y, Int64(count))
    }

    /// `y = σ(x)` with the kernels' vectorized sigmoid (about 2 ulp).
    package static func sigmoid(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        s2s_sigmoid_array(x, y, Int64(count))
    }
}
