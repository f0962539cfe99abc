import S2SNumerics

/// One recurrent cell of any `RecurrentCellKind`, stepped by a caller that owns the time loop
/// (the decoder): `nn.RNNCell` / `nn.GRUCell` / `nn.LSTMCell` weights, G gate blocks of H rows.
///
/// The step functions take caller buffers for the gate products so the decoder can keep them
/// for every time step (they hold what backward needs) and batch the weight gradients of all
/// steps into one GEMM at the end (`accumulateWeightGradients`). `gi` [N, G·H] holds `W_ih x`
/// on entry to `activate` (a decoder computes parts of it ahead). The GRU keeps `W_hh h` apart
/// in `gh` [N, 3H], its reset gate multiplying only that part; the other cells add it into `gi`
/// and leave `gh` alone. The LSTM's memory c travels beside h.
///
/// Recurrent dropout (`RecurrentDropout`, training only): a step given `recurrent` multiplies
/// W_hh by h_{t−1} ⊙ m instead of h_{t−1} (the gate kernels still read h_{t−1}) and its backward
/// masks the gradient of that product alike; the weight gradient then takes the kept operands.
package struct RecurrentCell: Sendable {
    package let kind: RecurrentCellKind
    package let weightIH: Parameter  // [G·H, in]
    package let weightHH: Parameter  // [G·H, H]
    package let biasIH: Parameter    // [G·H]
    package let biasHH: Parameter    // [G·H]
    /// b_ih + b_hh for the cells that add the two products (refreshed at every step: G·H adds).
    private let summedBias: Tensor

    package var inputSize: Int { weightIH.shape[1] }
    package var hiddenSize: Int { weightHH.shape[1] }
    package var gateCount: Int { kind.gateCount }
    package var hasMemory: Bool { kind == .lstm }

    /// Registers `prefix.weight_ih{suffix}`, `weight_hh`, `bias_ih`, `bias_hh`, U(±1/√H) as
    /// PyTorch; `orthogonalRecurrent` makes each H×H block of `weight_hh` orthogonal.
    package init(_ parameters: ParameterSet, prefix: String, suffix: String = "", kind: RecurrentCellKind = .gru,
                inputSize: Int, hiddenSize: Int, orthogonalRecurrent: Bool = false, rng: inout PCG32) {
        self.kind = kind
        let G = kind.gateCount
        weightIH = parameters.add("\(prefix).weight_ih\(suffix)", shape: [G * hiddenSize, inputSize])
        weightHH = parameters.add("\(prefix).weight_hh\(suffix)", shape: [G * hiddenSize, hiddenSize])
        biasIH = parameters.add("\(prefix).bias_ih\(suffix)", shape: [G * hiddenSize])
        biasHH = parameters.add("\(prefix).bias_hh\(suffix)", shape: [G * hiddenSize])
        summedBias = Tensor(shape: [G * hiddenSize])
        let bound = 1 / Float(hiddenSize).squareRoot()
        Initializer.uniform(bound).fill(weightIH.value, rng: &rng)
        if orthogonalRecurrent {
            Initializer.orthogonal(blockRows: hiddenSize).fill(weightHH.value, rng: &rng)
        } else {
            Initializer.uniform(bound).fill(weightHH.value, rng: &rng)
        }
        Initializer.uniform(bound).fill(biasIH.value, rng: &rng)
        Initializer.uniform(bound).fill(biasHH.value, rng: &rng)
    }

    /// One step: `h` [N, H] (and `c` for the LSTM) from `x` [N, in] and the previous state.
    package func forward(x: Matrix, hPrev: Matrix, cPrev: Matrix? = nil, h: Matrix, c: Matrix? = nil, gi: Matrix, gh: Matrix,
                        recurrent: RecurrentDropout.Step? = nil, precision: Precision = .fp32) {
        Matmul.gemm(x, weight: weightIH.value, transB: true, into: gi, precision: precision)
        activate(gi: gi, gh: gh, hPrev: hPrev, cPrev: cPrev, h: h, c: c, recurrent: recurrent, precision: precision)
    }

    /// The rest of a step when `gi` already holds `W_ih x`: the recurrent product, then the
    /// fused gate kernel. Afterwards `gi` (and `gh`) hold the activations backward needs.
    package func activate(gi: Matrix, gh: Matrix, hPrev: Matrix, cPrev: Matrix? = nil, h: Matrix, c: Matrix? = nil,
                         recurrent: RecurrentDropout.Step? = nil, precision: Precision = .fp32) {
        if kind == .gru {
            RecurrentDropout.product(recurrent, hPrev: hPrev, weight: weightHH.value, into: gh, beta: 0, precision: precision)
            RNNCellKernels.gruForward(gi: gi, gh: gh, bih: biasIH.value.data, bhh: biasHH.value.data, hPrev: hPrev, h: h)
            return
        }
        RecurrentDropout.product(recurrent, hPrev: hPrev, weight: weightHH.value, into: gi, beta: 1, precision: precision)
        let bias = summedBias.data
        for j in 0..<summedBias.count { bias[j] = biasIH.value[j] + biasHH.value[j] }
        switch kind {
        case .rnn: RNNCellKernels.rnnForward(gates: gi, bias: bias, h: h, lengths: nil, t: 0)
        case .gated: RNNCellKernels.gatedForward(gates: gi, bias: bias, sPrev: hPrev, s: h, lengths: nil, t: 0)
        case .lstm:
            guard let cPrev, let c else { preconditionFailure("RecurrentCell: the LSTM step needs cPrev and c") }
            RNNCellKernels.lstmForward(gates: gi, bias: bias, cPrev: cPrev, c: c, h: h, lengths: nil, t: 0)
        case .gru: preconditionFailure("handled above")
        }
    }

    /// Step backward through the gates. The gradient on h_t is `dy` + `dhRec` (nil = 0); for
    /// the LSTM `dc` holds dL/dc_t on entry and dL/dc_{t−1} on exit. Turns the saved `gi`
    /// (and `gh`) into pre-activation gradients and writes `dhPrev` = dL/dh_{t−1} (must not
    /// alias `dhRec`). Weight gradients are NOT touched (`accumulateWeightGradients`); the
    /// input gradient is `dgi · W_ih` (`inputGradient`). `recurrent` must be the forward's.
    package func backwardStep(gi: Matrix, gh: Matrix, hPrev: Matrix, cPrev: Matrix? = nil, c: Matrix? = nil, dy: Matrix,
                             dhRec: Matrix?, dc: Matrix? = nil, dhPrev: Matrix, recurrent: RecurrentDropout.Step? = nil,
                             precision: Precision = .fp32) {
        // The kernels write the direct terms of dL/dh_{t−1} (GRU z ⊙ dh, gated (1 − g) ⊙ ds: the
        // unmasked carry); the recurrent product's term is added (or, with none, written) after.
        switch kind {
        case .gru:
            RNNCellKernels.gruBackward(gi: gi, gh: gh, hPrev: hPrev, dh: dy, dhRec: dhRec, dhPrev: dhPrev)
            RecurrentDropout.gradient(recurrent, da: gh, weight: weightHH.value, into: dhPrev, accumulate: true, precision: precision)
        case .gated:
            RNNCellKernels.gatedBackward(gates: gi, sPrev: hPrev, dy: dy, dhRec: dhRec, dPrev: dhPrev, lengths: nil, t: 0)
            RecurrentDropout.gradient(recurrent, da: gi, weight: weightHH.value, into: dhPrev, accumulate: true, precision: precision)
        case .rnn:
            RNNCellKernels.rnnBackward(gates: gi, dy: dy, dhRec: dhRec, lengths: nil, t: 0)
            RecurrentDropout.gradient(recurrent, da: gi, weight: weightHH.value, into: dhPrev, accumulate: false, precision: precision)
        case .lstm:
            guard let cPrev, let c, let dc else { preconditionFailure("RecurrentCell: the LSTM step needs cPrev, c and dc") }
            RNNCellKernels.lstmBackward(gates: gi, c: c, cPrev: cPrev, dy: dy, dhRec: dhRec, dc: dc, lengths: nil, t: 0)
            RecurrentDropout.gradient(recurrent, da: gi, weight: weightHH.value, into: dhPrev, accumulate: false, precision: precision)
        }
    }

    /// `dx (+)= dgi · W_ih` ([N, G·H] × [G·H, in]), or a column block of it: `columns` selects
    /// input features (the decoder splits [e ; ctx]).
    package func inputGradient(dgi: Matrix, into dx: Matrix, columns: Range<Int>? = nil, accumulate: Bool = false,
                              precision: Precision = .fp32) {
        let cols = columns ?? 0..<inputSize
        let w = weightIH.value.matrix.columns(cols.lowerBound, cols.count)
        Matmul.gemm(dgi, w, into: dx, beta: accumulate ? 1 : 0, precision: precision)
    }

    /// Weight and bias gradients for any number of stacked steps: `dW_ih += dgiᵀ x`,
    /// `dW_hh += dghᵀ hPrev`, `db_ih += Σ dgi`, `db_hh += Σ dgh`, where dgh is `gh` for the GRU
    /// and `gi` for the cells that add the two products. Under recurrent dropout `hPrev` is the
    /// masked operands h ⊙ m the steps multiplied (`RecurrentDropout.Buffers.operands`).
    package func accumulateWeightGradients(dgi: Matrix, dgh: Matrix, x: Matrix, hPrev: Matrix, precision: Precision = .fp32) {
        let dRecurrent = kind == .gru ? dgh : dgi
        Matmul.gemm(dgi, transA: true, x, into: weightIH.grad.matrix, beta: 1, precision: precision)
        Matmul.gemm(dRecurrent, transA: true, hPrev, into: weightHH.grad.matrix, beta: 1, precision: precision)
        Kernels.sumRows(dgi, into: biasIH.grad.data, accumulate: true)
        Kernels.sumRows(dRecurrent, into: biasHH.grad.data, accumulate: true)
    }
}
