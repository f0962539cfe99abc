import S2SNumerics

/// A GRU cell (`nn.GRUCell`): gate blocks r, z, n with `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))`
/// and `h' = (1 − z) ⊙ n + z ⊙ h`.
///
/// The step functions take caller buffers for the gate products so a decoder can keep them for
/// every time step (they hold what backward needs) and batch the weight gradients of all steps
/// into one GEMM at the end (`accumulateWeightGradients`).
public struct GRUCell: Sendable {
    public let weightIH: Parameter  // [3H, in]
    public let weightHH: Parameter  // [3H, H]
    public let biasIH: Parameter    // [3H]
    public let biasHH: Parameter    // [3H]

    public var inputSize: Int { weightIH.shape[1] }
    public var hiddenSize: Int { weightHH.shape[1] }

    /// Registers `prefix.weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`, U(±1/√H) as PyTorch;
    /// `orthogonalRecurrent` makes each H×H block of `weight_hh` orthogonal.
    public init(_ parameters: ParameterSet, prefix: String, inputSize: Int, hiddenSize: Int,
                orthogonalRecurrent: Bool = false, rng: inout PCG32) {
        weightIH = parameters.add("\(prefix).weight_ih", shape: [3 * hiddenSize, inputSize])
        weightHH = parameters.add("\(prefix).weight_hh", shape: [3 * hiddenSize, hiddenSize])
        biasIH = parameters.add("\(prefix).bias_ih", shape: [3 * hiddenSize])
        biasHH = parameters.add("\(prefix).bias_hh", shape: [3 * hiddenSize])
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

    /// One step: `h` [N, H] from `x` [N, in] and `hPrev` [N, H]. `gi`, `gh` [N, 3H] are
    /// scratch that afterwards hold the saved gates for `backward`.
    public func forward(x: Matrix, hPrev: Matrix, h: Matrix, gi: Matrix, gh: Matrix, precision: Precision = .fp32) {
        Matmul.gemm(x, weight: weightIH.value, transB: true, into: gi, precision: precision)
        activate(gi: gi, gh: gh, hPrev: hPrev, h: h, precision: precision)
    }

    /// The rest of a step when `gi` already holds `W_ih x` (a decoder computes parts of it
    /// ahead): `gh = W_hh hPrev`, then the fused gates.
    public func activate(gi: Matrix, gh: Matrix, hPrev: Matrix, h: Matrix, precision: Precision = .fp32) {
        Matmul.gemm(hPrev, weight: weightHH.value, transB: true, into: gh, precision: precision)
        RNNCellKernels.gruForward(gi: gi, gh: gh, bih: biasIH.value.data, bhh: biasHH.value.data, hPrev: hPrev, h: h)
    }

    /// Step backward through the gates: turns the saved `gi`/`gh` into the pre-activation
    /// gradients and writes `dhPrev` = dh ⊙ z + dgh · W_hh. Weight gradients are NOT touched
    /// (see `accumulateWeightGradients`); the input gradient is `dgi · W_ih` (see `inputGradient`).
    public func backwardStep(gi: Matrix, gh: Matrix, hPrev: Matrix, dh: Matrix, dhPrev: Matrix, precision: Precision = .fp32) {
        RNNCellKernels.gruBackward(gi: gi, gh: gh, hPrev: hPrev, dh: dh, dhPrev: dhPrev)
        Matmul.gemm(gh, weight: weightHH.value, into: dhPrev, beta: 1, precision: precision)
    }

    /// `dx (+)= dgi · W_ih` ([N, 3H] × [3H, in]), or a column block of it: `columns` selects
    /// input features (the decoder splits [e ; ctx]).
    public func inputGradient(dgi: Matrix, into dx: Matrix, columns: Range<Int>? = nil, accumulate: Bool = false,
                              precision: Precision = .fp32) {
        let cols = columns ?? 0..<inputSize
        let w = weightIH.value.matrix.columns(cols.lowerBound, cols.count)
        Matmul.gemm(dgi, w, into: dx, beta: accumulate ? 1 : 0, precision: precision)
    }

    /// Weight and bias gradients for any number of stacked steps: `dW_ih += dgiᵀ x`,
    /// `dW_hh += dghᵀ hPrev`, `db_ih += Σ dgi`, `db_hh += Σ dgh`.
    public func accumulateWeightGradients(dgi: Matrix, dgh: Matrix, x: Matrix, hPrev: Matrix, precision: Precision = .fp32) {
        Matmul.gemm(dgi, transA: true, x, into: weightIH.grad.matrix, beta: 1, precision: precision)
        Matmul.gemm(dgh, transA: true, hPrev, into: weightHH.grad.matrix, beta: 1, precision: precision)
        Kernels.sumRows(dgi, into: biasIH.grad.data, accumulate: true)
        Kernels.sumRows(dgh, into: biasHH.grad.data, accumulate: true)
    }
}
