import S2SLayers
import S2SNumerics

/// The translation model of docs/MODEL.md, as two named parts: the `RecurrentEncoder` (embeddings →
/// bidirectional recurrent layers of any cell, packed by source length → tanh bridge → attention
/// keys) and the `RecurrentDecoder` (layers of any cell with input feeding → attention → output layer
/// over `[o ; ctx ; e]`).
///
/// Parameters carry PyTorch `state_dict` names and are created in the reference's order, so a
/// fixture or a checkpoint loads by name. Training is `forwardBackward(_:options:random:)`
/// (Seq2SeqTraining.swift); decoding is `encode` (Seq2SeqInference.swift) and the step engine
/// `Seq2SeqDecoder` (Seq2SeqDecoding.swift).
/// Not thread-safe: a model owns its activation buffers; use one model per thread.
package final class Seq2SeqModel: @unchecked Sendable {
    package let config: ModelConfig
    package let parameters: ParameterSet
    /// src_emb → enc → bridge (→ attention keys).
    package let encoder: RecurrentEncoder
    /// tgt_emb → cell layers → attention → out.
    package let decoder: RecurrentDecoder
    /// GEMM arithmetic for training and decoding (elementwise math is always fp32). Setting it
    /// sets `streamingPrecision` too: one arithmetic everywhere unless a `plan` splits them.
    package var precision: Precision = .fp32 { didSet { streamingPrecision = precision } }
    /// Arithmetic of the decoder's products of ≤ 8 rows, bound by reading weights (PrecisionPlan).
    package private(set) var streamingPrecision: Precision = .fp32
    /// Both arithmetics, as `--precision` resolved them.
    package var plan: PrecisionPlan {
        get { PrecisionPlan(gemm: precision, streaming: streamingPrecision) }
        set { precision = newValue.gemm; streamingPrecision = newValue.streaming }
    }

    /// Per-phase timing of training passes (off unless `profile.enabled`).
    package let profile = Seq2SeqProfile()

    let trainWorkspace = Workspace()
    let trainIndices = TrainingIndices()

    /// Builds a freshly initialized model (PyTorch's default initialization: N(0,1) embeddings
    /// with a zero padding row, U(±1/√fan) elsewhere), deterministic for a seed. Parameters are
    /// created in the order src_emb, tgt_emb, enc, bridge, att, cell (layer by layer), out
    /// (tied: out_proj and out.bias, with `tgt_emb` as the vocabulary matrix).
    package init(config: ModelConfig, seed: UInt64 = 1) throws(LayerError) {
        try config.validate()
        self.config = config
        var rng = PCG32(seed: seed)
        let p = ParameterSet()
        parameters = p
        let E = config.embedding, H = config.hidden, Hd = config.decoderHidden, D = config.encoderOutput
        // Three-way tying: one table, registered as `tgt_emb.weight` (there is no src_emb).
        let sharedSource = config.tying.tiesSource
            ? nil : Embedding(p, prefix: "src_emb", vocabulary: config.sourceVocabulary, dimension: E, rng: &rng)
        let targetEmbedding = Embedding(p, prefix: "tgt_emb", vocabulary: config.targetVocabulary, dimension: E, rng: &rng)
        let sourceEmbedding = sharedSource ?? Embedding(sharing: targetEmbedding.weight)
        let stack = RecurrentStack(p, prefix: "enc", cell: config.encoderCell, inputSize: E, hiddenSize: H,
                                   layers: config.layers, bidirectional: true, residual: config.residual,
                                   dropout: config.layers > 1 ? config.dropoutRates.layer : 0,
                                   recurrentDropout: config.recurrentDropout,
                                   orthogonalRecurrent: config.orthogonalRecurrent, rng: &rng)
        let bridge = Linear(p, prefix: "bridge", input: D, output: Hd, rng: &rng)
        let attention: any Attention
        switch config.attention {
        case .additive, .concat:
            attention = AdditiveAttention(p, encoderSize: D, querySize: Hd, attentionSize: config.attentionSize,
                                          queryBias: config.attention == .additive, rng: &rng)
        case .bilinear, .dot:
            attention = BilinearAttention(p, encoderSize: D, querySize: Hd, projected: config.attention == .bilinear, rng: &rng)
        }
        let cells = (0..<config.decoderLayers).map { l in
            RecurrentCell(p, prefix: "cell", suffix: l == 0 ? "" : "_l\(l)", kind: config.decoderCell,
                          inputSize: l == 0 ? config.decoderInput : Hd, hiddenSize: Hd,
                          orthogonalRecurrent: config.orthogonalRecurrent, rng: &rng)
        }
        let output = OutputLayer(p, features: config.outputInput, vocabularySize: config.targetVocabulary,
                                 tiedTo: config.tying.tiesOutput ? targetEmbedding : nil, rng: &rng)
        encoder = RecurrentEncoder(embedding: sourceEmbedding, layers: stack, bridge: bridge, attention: attention)
        decoder = RecurrentDecoder(embedding: targetEmbedding, cells: cells, attention: attention, output: output, encoderOutput: D,
                          inputFeeding: config.inputFeeding, residual: config.residual, dropout: config.dropoutRates)
    }

    /// Number of scalar parameters.
    package var parameterCount: Int { parameters.scalarCount }

    /// The parameters whose gradients a backward pass finishes first (the output layer's own;
    /// a tied vocabulary matrix is the embedding table, finished only by the lookups' backward),
    /// in the order `forwardBackward` reports them to a `BackwardObserver`.
    package var parametersFinishedFirst: [Parameter] { decoder.output.finishedByBackward }

    /// Loads values by name (checkpoint or fixture); every parameter must be present with its
    /// exact shape, and no foreign tensor may be present.
    package func load(_ tensors: [String: Tensor]) throws(LayerError) { try parameters.load(tensors) }

    /// Bytes held in activation buffers by training (for memory reports).
    package var workspaceBytes: Int { trainWorkspace.byteCount + decoder.ws.byteCount }
}

/// Token-id buffers of the loss of one training step.
final class TrainingIndices: @unchecked Sendable {
    let targets = IndexBuffer()        // [T·B] targetOutput time-major
    let compactTargets = IndexBuffer() // [N] non-pad targets
    let compactRows = IndexBuffer()    // [N] their row in [T·B]
}
