import S2SLayers
import S2SNumerics

/// The decoder: one step reads the previous token and state and writes the output features.
///
///     e_t     = tgt_emb[y_{t−1}]                                   [B, E]   (embedding and word dropout)
///     x⁰_t    = [e_t ; ctx_{t−1}]  (input feeding) or e_t           [B, E (+ 2H)]
///     h^l_t   = cell_l(x^l_t, h^l_{t−1})                            [B, Hd]  l = 0 … Ld−1
///     x^l_t   = dropout(o^{l−1}_t),  o^l_t = h^l_t (+ x^l_t with residuals, l ≥ 1)
///     α_t, ctx_t = attention(query o^{Ld−1}_t, encoder outputs)    [B, S], [B, 2H]
///     F_t     = [o^{Ld−1}_t ; ctx_t ; e_t]                          [B, Hd + 2H + E] (dropout)
///     logits  = out(F_t)                                            [B, V]   (OutputLayer: tied or not)
///
/// The top layer attends and feeds the output layer; ctx_0 = 0; every layer starts from the
/// encoder's bridged state h0 (and an LSTM layer's memory too, as Joey NMT does).
///
/// Training runs the steps of a whole batch and keeps every activation for backward
/// (DecoderTraining.swift); decoding steps rows (sentences or beams) one token at a time
/// (`Seq2SeqDecoder`, Seq2SeqDecoding.swift). The parameters are these, shared by both.
/// Not thread-safe: the training buffers live here.
package final class RecurrentDecoder: @unchecked Sendable {
    package let embedding: Embedding         // tgt_emb
    /// Layer 0 is `cell.*`, layer l ≥ 1 `cell.*_l{l}` (PyTorch's suffix for stacked layers).
    package let cells: [RecurrentCell]
    package let attention: any Attention     // att_*
    package let output: OutputLayer          // out (tied: out_proj, then tgt_emb as the matrix)
    package let inputFeeding: Bool
    package let residual: Bool
    /// Training's rates on the embeddings (and words), between layers and on F.
    package let dropout: DropoutRates

    let E: Int, Hd: Int, D: Int
    let ws = Workspace()
    /// Training: the tokens fed at each step [T·B] time-major (gold, or own under scheduled
    /// sampling), and scratch for the rows fed their own prediction.
    let fed = IndexBuffer(), ownRows = IndexBuffer(), ownTokens = IndexBuffer()
    var steps = 0, batch = 0, sourceLength = 0, training = false
    private var contextWeightCopy: Tensor?
    private var contextWeightVersion: UInt64 = 0

    init(embedding: Embedding, cells: [RecurrentCell], attention: any Attention, output: OutputLayer, encoderOutput: Int,
         inputFeeding: Bool, residual: Bool, dropout: DropoutRates) {
        precondition(!cells.isEmpty, "RecurrentDecoder: at least one layer")
        self.embedding = embedding
        self.cells = cells
        self.attention = attention
        self.output = output
        self.inputFeeding = inputFeeding
        self.residual = residual
        self.dropout = dropout
        E = embedding.dimension
        Hd = cells[0].hiddenSize
        D = encoderOutput
    }

    package var layers: Int { cells.count }
    /// Hd + 2H + E: the output layer's input F.
    package var featureSize: Int { Hd + D + E }

    /// Whether layer l adds its input to its output.
    func residualAt(_ l: Int) -> Bool { residual && l > 0 }

    /// The context block of the first layer's input weight, `weight_ih[:, E ..< E+2H]` [G·Hd, 2H],
    /// as a tensor of its own (refreshed when the weight's version changes). Training multiplies
    /// by it at every step; as a tensor it gets the GEMM engine's packed (and bf16) copy once per
    /// update instead of a strided view converted at every step. Input feeding only.
    func contextWeight() -> Tensor {
        let w = cells[0].weightIH.value
        if let copy = contextWeightCopy, contextWeightVersion == w.version { return copy }
        let copy = contextWeightCopy ?? Tensor(shape: [w.shape[0], D])
        MatrixOps.copy(w.matrix.columns(E, D), to: copy.matrix)
        copy.bumpVersion()
        contextWeightCopy = copy
        contextWeightVersion = w.version
        return copy
    }
}
