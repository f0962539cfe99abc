import S2SNumerics

/// `y = x · Wᵀ + b` with `W` [out, in] (PyTorch layout), batched over rows.
///
/// Backward accumulates `dW += dyᵀ · x` and `db += Σ_rows dy` in one GEMM and one pass however
/// many rows (time steps × sentences) are stacked in `x`, which is why callers stack them.
package struct Linear: Sendable {
    package let weight: Parameter
    package let bias: Parameter?
    /// Multiply through the engine's packed copy of `W` (rebuilt once per weight version):
    /// worth it when a layer runs many small products per update (an attention query at every
    /// decoder step), a loss when it runs one large product (the output layer), where the GEMM
    /// packs its blocks anyway and a whole-matrix reorder is an extra pass over W.
    package var packsWeight = false

    package var inputSize: Int { weight.shape[1] }
    package var outputSize: Int { weight.shape[0] }

    /// Registers `prefix.weight` [out, in] and, if `bias`, `prefix.bias` [out], initialized
    /// PyTorch-style: U(±1/√in).
    package init(_ parameters: ParameterSet, prefix: String, input: Int, output: Int, bias: Bool = true,
                initializer: Initializer? = nil, rng: inout PCG32) {
        weight = parameters.add("\(prefix).weight", shape: [output, input])
        let bound = 1 / Float(max(input, 1)).squareRoot()
        (initializer ?? .uniform(bound)).fill(weight.value, rng: &rng)
        if bias {
            let b = parameters.add("\(prefix).bias", shape: [output])
            Initializer.uniform(bound).fill(b.value, rng: &rng)
            self.bias = b
        } else {
            self.bias = nil
        }
    }

    /// A layer over parameters registered elsewhere (a tied output projection multiplies by the
    /// target embeddings' `W` [V, E]); its backward accumulates into their gradients as well.
    package init(weight: Parameter, bias: Parameter?) {
        self.weight = weight
        self.bias = bias
    }

    /// `y (+)= x · Wᵀ + b`. x [N, in], y [N, out]. `packed` overrides `packsWeight` (decoding
    /// multiplies by fixed weights at every step: always packed).
    package func forward(_ x: Matrix, into y: Matrix, accumulate: Bool = false, precision: Precision = .fp32,
                        packed: Bool? = nil) {
        if packed ?? packsWeight {
            Matmul.gemm(x, weight: weight.value, transB: true, into: y, beta: accumulate ? 1 : 0, precision: precision)
        } else {
            Matmul.gemm(x, weight.value.matrix, transB: true, into: y, beta: accumulate ? 1 : 0, precision: precision)
        }
        if let b = bias { Kernels.addRowVector(y, b.value.data) }
    }

    /// Accumulates `dW`, `db` from `dy` [N, out] and the forward input `x` [N, in]; writes
    /// (or adds, if `accumulateInput`) `dx` [N, in] = dy · W when `dx` is given.
    package func backward(x: Matrix, dy: Matrix, dx: Matrix?, accumulateInput: Bool = false, precision: Precision = .fp32) {
        Matmul.gemm(dy, transA: true, x, into: weight.grad.matrix, beta: 1, precision: precision)
        if let b = bias { Kernels.sumRows(dy, into: b.grad.data, accumulate: true) }
        if let dx {
            if packsWeight {
                Matmul.gemm(dy, weight: weight.value, into: dx, beta: accumulateInput ? 1 : 0, precision: precision)
            } else {
                Matmul.gemm(dy, weight.value.matrix, into: dx, beta: accumulateInput ? 1 : 0, precision: precision)
            }
        }
    }
}
