import S2SLayers
import S2SNumerics

/// The translation model of MODEL.md: embeddings → bidirectional recurrent encoder (L layers of
/// an RNN, gated RNN, LSTM or GRU cell, packed by source length, residual from layer 2 on request) → tanh bridge to the decoder's initial state → GRU decoder with input
/// feeding and attention → output layer over `[h ; ctx ; e]`.
///
/// Parameters carry PyTorch `state_dict` names and are created in the reference's order, so a
/// fixture or a checkpoint loads by name. Training is `forwardBackward(_:options:random:)`
/// (Seq2SeqTraining.swift); decoding builds on `encode` and `step` (Seq2SeqInference.swift).
/// Not thread-safe: a model owns its activation buffers; use one model per thread.
public final class Seq2SeqModel: @unchecked Sendable {
    public let config: ModelConfig
    public let parameters: ParameterSet
    public let sourceEmbedding: Embedding   // src_emb
    public let targetEmbedding: Embedding   // tgt_emb
    public let encoder: RecurrentStack      // enc
    public let bridge: Linear               // bridge
    public let attention: any Attention     // att_k, att_q, att_v (additive) or att_k (bilinear)
    public let cell: GRUCell                // cell
    public let output: Linear               // out
    /// GEMM arithmetic for training and decoding (elementwise math is always fp32).
    public var precision: Precision = .fp32

    /// Per-phase timing of training passes (off unless `profile.enabled`).
    public let profile = Seq2SeqProfile()

    let trainWorkspace = Workspace()
    let inferenceWorkspace = Workspace()
    let trainIndices = TrainingIndices()
    private var contextWeightCopy: Tensor?
    private var contextWeightVersion: UInt64 = 0

    /// Builds a freshly initialized model (PyTorch's default initialization: N(0,1) embeddings
    /// with a zero padding row, U(±1/√fan) elsewhere), deterministic for a seed.
    public init(config: ModelConfig, seed: UInt64 = 1) throws(LayerError) {
        try config.validate()
        self.config = config
        var rng = PCG32(seed: seed)
        let p = ParameterSet()
        parameters = p
        let E = config.embedding, H = config.hidden, Hd = config.decoderHidden, D = config.encoderOutput
        sourceEmbedding = Embedding(p, prefix: "src_emb", vocabulary: config.sourceVocabulary, dimension: E, rng: &rng)
        targetEmbedding = Embedding(p, prefix: "tgt_emb", vocabulary: config.targetVocabulary, dimension: E, rng: &rng)
        encoder = RecurrentStack(p, prefix: "enc", cell: config.encoderCell, inputSize: E, hiddenSize: H,
                                 layers: config.layers, bidirectional: true, residual: config.residual,
                                 dropout: config.layers > 1 ? config.dropout : 0,
                                 orthogonalRecurrent: config.orthogonalRecurrent, rng: &rng)
        bridge = Linear(p, prefix: "bridge", input: D, output: Hd, rng: &rng)
        switch config.attention {
        case .additive, .concat:
            attention = AdditiveAttention(p, encoderSize: D, querySize: Hd, attentionSize: config.attentionSize,
                                          queryBias: config.attention == .additive, rng: &rng)
        case .bilinear, .dot:
            attention = BilinearAttention(p, encoderSize: D, querySize: Hd, projected: config.attention == .bilinear, rng: &rng)
        }
        cell = GRUCell(p, prefix: "cell", inputSize: E + D, hiddenSize: Hd, orthogonalRecurrent: config.orthogonalRecurrent,
                       rng: &rng)
        output = Linear(p, prefix: "out", input: config.outputInput, output: config.targetVocabulary, rng: &rng)
    }

    /// Number of scalar parameters.
    public var parameterCount: Int { parameters.scalarCount }

    /// The parameters whose gradients a backward pass finishes first (the output layer), in the
    /// order `forwardBackward` reports them to a `BackwardObserver`.
    public var parametersFinishedFirst: [Parameter] { [output.weight] + (output.bias.map { [$0] } ?? []) }

    /// Loads values by name (checkpoint or fixture); every parameter must be present with its
    /// exact shape, and no foreign tensor may be present.
    public func load(_ tensors: [String: Tensor]) throws(LayerError) { try parameters.load(tensors) }

    /// The context block of the GRU's input weight, `cell.weight_ih[:, E ..< E+2H]` [3Hd, 2H], as
    /// a tensor of its own (refreshed when the weight's version changes). The decoder multiplies
    /// by it at every step; as a tensor it gets the GEMM engine's packed (and bf16) copy once per
    /// update instead of a strided view converted at every step.
    func contextWeight() -> Tensor {
        let w = cell.weightIH.value
        if let copy = contextWeightCopy, contextWeightVersion == w.version { return copy }
        let E = config.embedding, D = config.encoderOutput
        let copy = contextWeightCopy ?? Tensor(shape: [3 * config.decoderHidden, D])
        MatrixOps.copy(w.matrix.columns(E, D), to: copy.matrix)
        copy.bumpVersion()
        contextWeightCopy = copy
        contextWeightVersion = w.version
        return copy
    }

    /// Bytes held in activation buffers by training (for memory reports).
    public var workspaceBytes: Int { trainWorkspace.byteCount }
}

/// Token-id buffers of one training step (time-major copies of the batch).
final class TrainingIndices: @unchecked Sendable {
    let sourceLengths = IndexBuffer()
    let sourceIds = IndexBuffer()     // [S·B] time-major
    let fedTokens = IndexBuffer()     // [T·B] y_prev actually fed (gold or own)
    let targets = IndexBuffer()       // [T·B] targetOutput time-major
    let compactTargets = IndexBuffer() // [N] non-pad targets
    let compactRows = IndexBuffer()    // [N] their row in [T·B]
    let ownRows = IndexBuffer()        // [B] rows fed their own prediction at a step
    let ownTokens = IndexBuffer()      // [B]
}
