import S2SLayers
import S2SNumerics

/// The decoder's output layer: logits over the target vocabulary from the features
/// F = [o ; ctx ; e] [N, Hd + 2H + E].
///
/// Untied (`out` [V, F]):
///
///     logits = F · W_outᵀ + b_out                                  [N, V]
///
/// Tied (`EmbeddingTying.target`/`.all`): the vocabulary matrix is the target embeddings
/// W_emb [V, E], so the features are first brought to E by a projection with a tanh, the
/// "deep output" of Nematus' conditional GRU (Sennrich et al. 2017) whose tied form scored the
/// best recurrent Multi30k results:
///
///     t      = tanh(F · W_projᵀ + b_proj)                          [N, E]   (out_proj)
///     logits = t · W_embᵀ + b_out                                  [N, V]   (tgt_emb, out.bias)
///
/// Backward (tied), from dlogits [N, V]:
///
///     dW_emb += dlogitsᵀ · t        db_out += Σ_rows dlogits       (W_emb also learns from lookups)
///     dt      = dlogits · W_emb                                    [N, E]
///     da      = dt ⊙ (1 − t²)                                      tanh' from its output
///     dW_proj += daᵀ · F            db_proj += Σ_rows da
///     dF      = da · W_proj                                        [N, F]
package struct OutputLayer: Sendable {
    /// `out_proj` [E, F] (tied only).
    package let projection: Linear?
    /// `out`: W_out [V, F] untied; tied, a view of `tgt_emb.weight` [V, E] with `out.bias`.
    package let vocabulary: Linear

    /// Registers `out.weight` and `out.bias` (untied), or `out_proj.*` and `out.bias` over the
    /// target embeddings' table (tied).
    init(_ parameters: ParameterSet, features: Int, vocabularySize: Int, tiedTo embedding: Embedding?, rng: inout PCG32) {
        guard let embedding else {
            projection = nil
            vocabulary = Linear(parameters, prefix: "out", input: features, output: vocabularySize, rng: &rng)
            return
        }
        let E = embedding.dimension
        projection = Linear(parameters, prefix: "out_proj", input: features, output: E, rng: &rng)
        // PyTorch's nn.Linear(E, V) bias init, U(±1/√E), as if `out` were an ordinary layer
        // whose weight was then replaced by the embeddings.
        let bias = parameters.add("out.bias", shape: [vocabularySize])
        Initializer.uniform(1 / Float(E).squareRoot()).fill(bias.value, rng: &rng)
        vocabulary = Linear(weight: embedding.weight, bias: bias)
    }

    package var isTied: Bool { projection != nil }
    package var outputSize: Int { vocabulary.outputSize }
    /// Width of the hidden `t` (E tied, 0 untied): the caller's scratch for `forward`/`backward`.
    package var hiddenSize: Int { projection?.outputSize ?? 0 }

    /// The parameters whose gradients are complete right after `backward`: every one of the
    /// layer's own (a tied vocabulary matrix is the embedding table, which the decoder's and
    /// encoder's lookups still add to).
    var finishedByBackward: [Parameter] {
        let own = (projection.map { [$0.weight] + ($0.bias.map { [$0] } ?? []) } ?? [])
        return isTied ? own + (vocabulary.bias.map { [$0] } ?? []) : [vocabulary.weight] + (vocabulary.bias.map { [$0] } ?? [])
    }

    /// logits [N, V] from F [N, F]; `hidden` [N, E] receives t when tied (kept for backward).
    package func forward(_ features: Matrix, hidden: Matrix?, into logits: Matrix, precision: Precision) {
        guard let projection else {
            vocabulary.forward(features, into: logits, precision: precision)
            return
        }
        guard let t = hidden else { preconditionFailure("OutputLayer: a tied output layer needs its hidden buffer") }
        projection.forward(features, into: t, precision: precision)
        precondition(t.isContiguous, "OutputLayer: the hidden buffer must be contiguous")
        Kernels.tanh(t.base, count: t.rows * t.cols)
        vocabulary.forward(t, into: logits, precision: precision)
    }

    /// Accumulates the parameter gradients and writes dF [N, F]. `hidden` is forward's t;
    /// `scratch` [N, E] receives dt then da (tied only).
    package func backward(features: Matrix, hidden: Matrix?, scratch: Matrix?, dLogits: Matrix, dFeatures: Matrix,
                         precision: Precision) {
        guard let projection else {
            vocabulary.backward(x: features, dy: dLogits, dx: dFeatures, precision: precision)
            return
        }
        guard let t = hidden, let da = scratch else {
            preconditionFailure("OutputLayer: a tied output layer needs its hidden and scratch buffers")
        }
        vocabulary.backward(x: t, dy: dLogits, dx: da, precision: precision)
        precondition(t.isContiguous && da.isContiguous, "OutputLayer: hidden and scratch must be contiguous")
        Kernels.tanhBackward(output: t.base, gradOutput: da.base, into: da.base, count: t.rows * t.cols)
        projection.backward(x: features, dy: da, dx: dFeatures, precision: precision)
    }
}
