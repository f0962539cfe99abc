import S2SNumerics

/// A lookup table `W` [V, E] whose row `paddingIndex` is zero and never learns
/// (`nn.Embedding(padding_idx=0)`): padded positions read a zero vector and write no gradient.
package struct Embedding: Sendable {
    package let weight: Parameter
    package let paddingIndex: Int32

    package var vocabularySize: Int { weight.shape[0] }
    package var dimension: Int { weight.shape[1] }

    /// Registers `prefix.weight` [V, E], initialized N(0, 1) (PyTorch's default) unless told
    /// otherwise, with the padding row zeroed.
    package init(_ parameters: ParameterSet, prefix: String, vocabulary: Int, dimension: Int,
                paddingIndex: Int32 = 0, initializer: Initializer = .normal(std: 1), rng: inout PCG32) {
        weight = parameters.add("\(prefix).weight", shape: [vocabulary, dimension])
        self.paddingIndex = paddingIndex
        initializer.fill(weight.value, rng: &rng)
        if paddingIndex >= 0 && Int(paddingIndex) < vocabulary {
            weight.value.matrix.rows(Int(paddingIndex), 1).base.update(repeating: 0, count: dimension)
        }
    }

    /// A second view of an existing table (tied embeddings): lookups read it and backward adds to
    /// its gradient, alongside every other user of the parameter.
    package init(sharing weight: Parameter, paddingIndex: Int32 = 0) {
        self.weight = weight
        self.paddingIndex = paddingIndex
    }

    /// `out[i] = W[ids[i]]` for `count` ids. `out` [count, E] (any row stride). Ids must be in
    /// range (the batch is validated once, before the layers run).
    package func forward(ids: UnsafePointer<Int32>, count: Int, into out: Matrix) {
        precondition(out.rows == count && out.cols == dimension, "Embedding.forward: out \(out.rows)x\(out.cols) for \(count) ids of dimension \(dimension)")
        let w = weight.value.matrix
        for i in 0..<count {
            let id = Int(ids[i])
            precondition(id >= 0 && id < vocabularySize, "Embedding.forward: id \(id) outside 0..<\(vocabularySize)")
            out.row(i).update(from: w.row(id), count: dimension)
        }
    }

    /// `dW[ids[i]] += dy[i]`, skipping the padding row.
    package func backward(ids: UnsafePointer<Int32>, count: Int, dy: Matrix) {
        precondition(dy.rows == count && dy.cols == dimension, "Embedding.backward: dy \(dy.rows)x\(dy.cols) for \(count) ids")
        let g = weight.grad.matrix
        for i in 0..<count where ids[i] != paddingIndex {
            Kernels.axpy(1, dy.row(i), g.row(Int(ids[i])), count: dimension)
        }
    }
}
