import S2SNumerics

/// The time loops of `RecurrentStack`, forward and backward side by side for each cell kind.
/// The GEMMs (input projection of all steps, recurrent product per step, weight gradients of
/// all steps) are here; the elementwise math of a step and its derivative are the C kernels.
extension RecurrentStack {
    /// One direction of one layer: writes its half of the cell states `h` [S·B, dirs·H].
    func forwardDirection(_ l: Int, _ d: Int, x: Matrix, h: Matrix, precision: Precision) {
        let w = weights[l][d], H = hiddenSize, B = batch
        let gates = gates(l, d)
        let out = h.columns(d * H, H)
        let lens = lengths.pointer
        // a = W_ih x for every step at once; each step then adds W_hh h_{t−1}, or with recurrent
        // dropout W_hh (h_{t−1} ⊙ m) (only that operand is masked; the kernels read h_{t−1}).
        Matmul.gemm(x, w.weightIH.value.matrix, transB: true, into: gates, precision: precision)
        let rec = recurrentBuffers(l, d)
        func recurrentProduct(_ hPrev: Matrix, step t: Int, into out: Matrix, beta: Float) {
            RecurrentDropout.product(rec?.step(t), hPrev: hPrev, weight: w.weightHH.value, into: out, beta: beta, precision: precision)
        }
        if cell == .gru {
            let gh = recurrentGates(l, d), zeros = zeroState()
            var prev: Int? = nil
            for t in order(d) {
                let ght = gh.rows(t * B, B)
                if let p = prev {
                    recurrentProduct(out.rows(p * B, B), step: t, into: ght, beta: 0)
                } else {
                    MatrixOps.zero(ght)
                }
                RNNCellKernels.gruForward(gi: gates.rows(t * B, B), gh: ght, bih: w.biasIH.value.data,
                                          bhh: w.biasHH.value.data, hPrev: prev.map { out.rows($0 * B, B) } ?? zeros,
                                          h: out.rows(t * B, B), lengths: lens, t: t)
                prev = t
            }
            return
        }
        // The other cells add the two products, so one bias b_ih + b_hh serves.
        let bias = ws.pointer("bias\(l)_\(d)", count: cell.gateCount * H)
        for j in 0..<cell.gateCount * H { bias[j] = w.biasIH.value[j] + w.biasHH.value[j] }
        let cells = cell == .lstm ? memory(l, d) : nil
        var prev: Int? = nil
        for t in order(d) {
            let g = gates.rows(t * B, B)
            let hPrev = prev.map { out.rows($0 * B, B) }
            if let hPrev { recurrentProduct(hPrev, step: t, into: g, beta: 1) }
            switch cell {
            case .rnn:
                RNNCellKernels.rnnForward(gates: g, bias: bias, h: out.rows(t * B, B), lengths: lens, t: t)
            case .gated:
                RNNCellKernels.gatedForward(gates: g, bias: bias, sPrev: hPrev, s: out.rows(t * B, B), lengths: lens, t: t)
            case .lstm:
                RNNCellKernels.lstmForward(gates: g, bias: bias, cPrev: prev.map { cells!.rows($0 * B, B) },
                                           c: cells!.rows(t * B, B), h: out.rows(t * B, B), lengths: lens, t: t)
            case .gru:
                preconditionFailure("handled above")
            }
            prev = t
        }
    }

    /// Backpropagates through all layers and steps. `dOutput` [S·B, dirs·H] is the gradient on
    /// the top outputs (not modified), `dFinal` [B, dirs·H] the gradient on `finalStates`.
    /// Accumulates every weight gradient; writes `dInput` [S·B, in] when given.
    package func backward(dOutput: Matrix, dFinal: Matrix?, dInput: Matrix?, precision: Precision = .fp32) {
        let B = batch, H = hiddenSize, rows = steps * batch
        precondition(dOutput.rows == rows && dOutput.cols == outputSize,
                     "RecurrentStack.backward: dOutput \(dOutput.rows)x\(dOutput.cols), expected \(rows)x\(outputSize)")
        // dy: the gradient on layer l's cell states; the final states are cell states of the top.
        var dy = ws.matrix("dy\(layers - 1)", rows: rows, cols: outputSize)
        MatrixOps.copy(dOutput, to: dy)
        if let dFinal {
            precondition(dFinal.rows == B && dFinal.cols == outputSize, "RecurrentStack.backward: dFinal \(dFinal.rows)x\(dFinal.cols)")
            for b in 0..<B {
                let last = Int(lengths.pointer[b]) - 1
                Kernels.axpy(1, dFinal.row(b), dy.row(last * B + b), count: H)
                if directions == 2 { Kernels.axpy(1, dFinal.row(b) + H, dy.row(b) + H, count: H) }
            }
        }
        // What reaches a layer's output, which the residual passes to its input unchanged.
        var dLayerOutput = dOutput
        for l in stride(from: layers - 1, through: 0, by: -1) {
            let dx: Matrix? = l == 0 ? dInput : ws.matrix("dy\(l - 1)", rows: rows, cols: outputSize)
            if let dx {
                precondition(dx.rows == rows && dx.cols == layerInputSize(l), "RecurrentStack.backward: dInput \(dx.rows)x\(dx.cols)")
            }
            for d in 0..<directions { backwardDirection(l, d, dy: dy, dx: dx, precision: precision) }
            if let dx, residualAt(l) { MatrixOps.add(dLayerOutput, to: dx) }
            if l > 0 {
                dy = dx!
                if training && dropout.isActive { dropout.backward(dy, mask: ws.matrix("mask\(l)", rows: rows, cols: outputSize)) }
                dLayerOutput = dy
            }
        }
    }

    /// One direction of one layer backward: turns the saved gates into pre-activation gradients
    /// step by step (last processed first), then the weight, bias and input gradients of all
    /// steps as single GEMMs. Adds into `dx` for the second direction.
    private func backwardDirection(_ l: Int, _ d: Int, dy: Matrix, dx: Matrix?, precision: Precision) {
        let w = weights[l][d], H = hiddenSize, B = batch
        let gates = gates(l, d)
        let gh = cell == .gru ? recurrentGates(l, d) : nil
        let cells = cell == .lstm ? memory(l, d) : nil
        let out = cellOutput(l).columns(d * H, H)
        let dyd = dy.columns(d * H, H)
        let dc = cell == .lstm ? ws.matrix("dc", rows: B, cols: H, zeroed: true) : nil
        // dL/dh_{t−1} from step t: written into one buffer while the step reads the other.
        let recurrent = [ws.matrix("dhrecA", rows: B, cols: H), ws.matrix("dhrecB", rows: B, cols: H)]
        let lens = lengths.pointer
        let fwd = order(d)
        // dL/dh_{t−1} through the recurrent product: da · W_hh, times the mask under recurrent
        // dropout; `accumulate` adds to the direct (carry) term the kernel wrote.
        let rec = recurrentBuffers(l, d)
        func recurrentGradient(_ da: Matrix, step t: Int, into next: Matrix, accumulate: Bool) {
            RecurrentDropout.gradient(rec?.step(t), da: da, weight: w.weightHH.value, into: next, accumulate: accumulate,
                                      precision: precision)
        }
        var incoming: Matrix? = nil
        for k in stride(from: steps - 1, through: 0, by: -1) {
            let t = fwd[k], prev: Int? = k > 0 ? fwd[k - 1] : nil
            let g = gates.rows(t * B, B), dyt = dyd.rows(t * B, B), next = recurrent[k % 2]
            let hPrev = prev.map { out.rows($0 * B, B) }
            switch cell {
            case .rnn:
                RNNCellKernels.rnnBackward(gates: g, dy: dyt, dhRec: incoming, lengths: lens, t: t)
                if prev != nil { recurrentGradient(g, step: t, into: next, accumulate: false) }
            case .gated:
                RNNCellKernels.gatedBackward(gates: g, sPrev: hPrev, dy: dyt, dhRec: incoming, dPrev: next, lengths: lens, t: t)
                if prev != nil { recurrentGradient(g, step: t, into: next, accumulate: true) }
            case .lstm:
                RNNCellKernels.lstmBackward(gates: g, c: cells!.rows(t * B, B), cPrev: prev.map { cells!.rows($0 * B, B) },
                                            dy: dyt, dhRec: incoming, dc: dc!, lengths: lens, t: t)
                if prev != nil { recurrentGradient(g, step: t, into: next, accumulate: false) }
            case .gru:
                let ght = gh!.rows(t * B, B)
                RNNCellKernels.gruBackward(gi: g, gh: ght, hPrev: hPrev ?? zeroState(), dh: dyt, dhRec: incoming,
                                           dhPrev: next, lengths: lens, t: t)
                if prev != nil { recurrentGradient(ght, step: t, into: next, accumulate: true) }
            }
            incoming = prev != nil ? next : nil
        }
        // gates now holds dL/d(W_ih x + b_ih) for every step (and, but for the GRU, also of
        // W_hh h + b_hh, the two being added).
        let dRecurrent = gh ?? gates
        let x = layerInput(l)
        if let dx { Matmul.gemm(gates, w.weightIH.value.matrix, into: dx, beta: d == 0 ? 0 : 1, precision: precision) }
        Matmul.gemm(gates, transA: true, x, into: w.weightIH.grad.matrix, beta: 1, precision: precision)
        if steps > 1 {
            // Step t's recurrent input is the output of the step before it in processing order;
            // the first processed step read zeros and adds nothing to dW_hh. Under recurrent
            // dropout the operand was h ⊙ m, kept at the reading step's rows (as dg's).
            let n = (steps - 1) * B
            let dg = d == 0 ? dRecurrent.rows(B, n) : dRecurrent.rows(0, n)
            let hp = rec.map { d == 0 ? $0.operands.rows(B, n) : $0.operands.rows(0, n) } ?? (d == 0 ? out.rows(0, n) : out.rows(B, n))
            Matmul.gemm(dg, transA: true, hp, into: w.weightHH.grad.matrix, beta: 1, precision: precision)
        }
        Kernels.sumRows(gates, into: w.biasIH.grad.data, accumulate: true)
        Kernels.sumRows(dRecurrent, into: w.biasHH.grad.data, accumulate: true)
    }
}
