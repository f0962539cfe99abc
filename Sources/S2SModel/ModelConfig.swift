import S2SLayers
import S2SText

/// The architecture of a `Seq2SeqModel` (MODEL.md): sizes, layers, attention kind and the
/// regularization the training step applies. Codable so checkpoints carry it.
package struct ModelConfig: Codable, Equatable, Sendable {
    package var sourceVocabulary: Int
    package var targetVocabulary: Int
    /// E: embedding size (source and target).
    package var embedding: Int
    /// H: encoder hidden size per direction.
    package var hidden: Int
    /// Hd: decoder GRU size.
    package var decoderHidden: Int
    /// A: additive attention size (unused by bilinear attention, whose keys have size Hd).
    package var attentionSize: Int
    /// L: encoder layers (bidirectional).
    package var layers: Int
    /// The encoder's recurrent cell (a bidirectional LSTM unless told otherwise).
    package var encoderCell: RecurrentCellKind
    /// The decoder's recurrent cell (a GRU unless told otherwise).
    package var decoderCell: RecurrentCellKind
    /// Ld: decoder layers. The top layer's output is the attention query and feeds the output.
    package var decoderLayers: Int
    /// Input feeding (Luong et al. 2015): the previous step's context joins the embedding as the
    /// first decoder layer's input.
    package var inputFeeding: Bool
    /// Residual connections between stacked layers (encoder and decoder), from the second up.
    package var residual: Bool
    package var attention: AttentionKind
    /// Dropout on both embeddings, between stacked layers and on the output layer's input,
    /// wherever a site has no rate of its own (`DropoutRates`).
    package var dropout: Float
    /// Per-site rates (nil: `dropout`); word and context dropout are off unless given.
    package var embeddingDropout: Float?, layerDropout: Float?, outputDropout: Float?
    package var contextDropout: Float = 0, wordDropout: Float = 0
    /// Variational dropout on the recurrent connections (`DropoutRates.recurrent`); off unless given.
    package var recurrentDropout: Float = 0
    /// Label smoothing of the training loss.
    package var labelSmoothing: Float
    /// Initialize recurrent matrices with orthogonal gate blocks instead of U(±1/√H).
    package var orthogonalRecurrent: Bool
    /// Which of source embeddings, target embeddings and output projection are one matrix.
    package var tying: EmbeddingTying

    /// `decoderHidden` 0 means `hidden`; `attentionSize` 0 means `decoderHidden` (the reference's
    /// `--dec-hidden 0 --att-dim 0`).
    package init(sourceVocabulary: Int, targetVocabulary: Int, embedding: Int = 256, hidden: Int = 256,
                decoderHidden: Int = 0, attentionSize: Int = 0, layers: Int = 1,
                encoderCell: RecurrentCellKind = .lstm, decoderCell: RecurrentCellKind = .gru, decoderLayers: Int = 1,
                inputFeeding: Bool = true, residual: Bool = false, attention: AttentionKind = .additive, dropout: Float = 0, labelSmoothing: Float = 0,
                orthogonalRecurrent: Bool = false, tying: EmbeddingTying = .none) {
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
        self.embedding = embedding
        self.hidden = hidden
        self.decoderHidden = decoderHidden > 0 ? decoderHidden : hidden
        self.attentionSize = attentionSize > 0 ? attentionSize : self.decoderHidden
        self.layers = layers
        self.encoderCell = encoderCell
        self.decoderCell = decoderCell
        self.decoderLayers = decoderLayers
        self.inputFeeding = inputFeeding
        self.residual = residual
        self.attention = attention
        self.dropout = dropout
        self.labelSmoothing = labelSmoothing
        self.orthogonalRecurrent = orthogonalRecurrent
        self.tying = tying
    }

    private enum CodingKeys: String, CodingKey {
        case sourceVocabulary, targetVocabulary, embedding, hidden, decoderHidden, attentionSize, layers
        case encoderCell, decoderCell, decoderLayers, inputFeeding, residual, attention, dropout, labelSmoothing, orthogonalRecurrent
        case tying, embeddingDropout, layerDropout, outputDropout, contextDropout, wordDropout, recurrentDropout
    }

    /// Decodes a stored configuration. Models written before the cell, depth and residual options
    /// have none of their keys and are what they were: an LSTM encoder, one GRU decoder layer with
    /// input feeding, no residuals. A cell name this build does not know is refused with the
    /// names it does.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sourceVocabulary = try c.decode(Int.self, forKey: .sourceVocabulary)
        targetVocabulary = try c.decode(Int.self, forKey: .targetVocabulary)
        embedding = try c.decode(Int.self, forKey: .embedding)
        hidden = try c.decode(Int.self, forKey: .hidden)
        decoderHidden = try c.decode(Int.self, forKey: .decoderHidden)
        attentionSize = try c.decode(Int.self, forKey: .attentionSize)
        layers = try c.decode(Int.self, forKey: .layers)
        func cell(_ key: CodingKeys, _ role: String, default fallback: RecurrentCellKind) throws -> RecurrentCellKind {
            guard let name = try c.decodeIfPresent(String.self, forKey: key) else { return fallback }
            guard let kind = RecurrentCellKind(rawValue: name) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c,
                    debugDescription: "\(role) cell '\(name)' is not one this build of s2s knows (\(RecurrentCellKind.names))")
            }
            return kind
        }
        encoderCell = try cell(.encoderCell, "encoder", default: .lstm)
        decoderCell = try cell(.decoderCell, "decoder", default: .gru)
        decoderLayers = try c.decodeIfPresent(Int.self, forKey: .decoderLayers) ?? 1
        inputFeeding = try c.decodeIfPresent(Bool.self, forKey: .inputFeeding) ?? true
        residual = try c.decodeIfPresent(Bool.self, forKey: .residual) ?? false
        attention = try c.decode(AttentionKind.self, forKey: .attention)
        dropout = try c.decode(Float.self, forKey: .dropout)
        labelSmoothing = try c.decode(Float.self, forKey: .labelSmoothing)
        orthogonalRecurrent = try c.decode(Bool.self, forKey: .orthogonalRecurrent)
        let tie = try c.decodeIfPresent(String.self, forKey: .tying) ?? EmbeddingTying.none.rawValue
        guard let tying = EmbeddingTying(rawValue: tie) else {
            throw DecodingError.dataCorruptedError(
                forKey: .tying, in: c,
                debugDescription: "embedding tying '\(tie)' is not one this build of s2s knows (\(EmbeddingTying.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.tying = tying
        embeddingDropout = try c.decodeIfPresent(Float.self, forKey: .embeddingDropout)
        layerDropout = try c.decodeIfPresent(Float.self, forKey: .layerDropout)
        outputDropout = try c.decodeIfPresent(Float.self, forKey: .outputDropout)
        contextDropout = try c.decodeIfPresent(Float.self, forKey: .contextDropout) ?? 0
        wordDropout = try c.decodeIfPresent(Float.self, forKey: .wordDropout) ?? 0
        recurrentDropout = try c.decodeIfPresent(Float.self, forKey: .recurrentDropout) ?? 0
    }

    /// 2H: size of an encoder output (forward ; backward).
    package var encoderOutput: Int { 2 * hidden }
    /// The architecture on one line, as `s2s train` and `s2s model info` print it.
    package var summary: String {
        let att = attention.usesAttentionSize ? "\(attention.optionName)(A=\(attentionSize))" : attention.optionName
        return "emb \(embedding), hidden \(hidden)×2, dec-hidden \(decoderHidden), encoder \(encoderCell.rawValue)×\(layers), "
            + "decoder \(decoderCell.rawValue)×\(decoderLayers)\(inputFeeding ? "" : " no-input-feeding")"
            + "\(residual ? ", residual" : ""), attention \(att), vocab \(sourceVocabulary)/\(targetVocabulary)"
            + (tying == .none ? "" : ", tied embeddings (\(tying.rawValue))")
    }

    /// The first decoder layer's input `[e ; ctx_{t−1}]`, or `[e]` without input feeding.
    package var decoderInput: Int { embedding + (inputFeeding ? encoderOutput : 0) }
    /// Hd + 2H + E: the output layer's input `[h ; ctx ; e]`.
    package var outputInput: Int { decoderHidden + encoderOutput + embedding }

    /// Rejects sizes the model cannot be built with, naming the field.
    package func validate() throws(LayerError) {
        let fields: [(String, Int)] = [("sourceVocabulary", sourceVocabulary), ("targetVocabulary", targetVocabulary),
                                       ("embedding", embedding), ("hidden", hidden), ("decoderHidden", decoderHidden),
                                       ("attentionSize", attentionSize), ("layers", layers), ("decoderLayers", decoderLayers)]
        for (name, value) in fields where value <= 0 {
            throw .invalidConfiguration("\(name) must be positive, got \(value)")
        }
        if sourceVocabulary <= Int(SpecialTokens.eos) || targetVocabulary <= Int(SpecialTokens.eos) {
            throw .invalidConfiguration("vocabularies need the 4 special tokens; got source \(sourceVocabulary), target \(targetVocabulary)")
        }
        if attention == .dot && decoderHidden != encoderOutput {
            throw .invalidConfiguration("dot attention scores h · enc, so decoderHidden (\(decoderHidden)) must equal the encoder output 2 × hidden (\(encoderOutput))")
        }
        if tying.tiesSource && sourceVocabulary != targetVocabulary {
            throw .invalidConfiguration("three-way tied embeddings need one joint vocabulary; the source has \(sourceVocabulary) entries, the target \(targetVocabulary)")
        }
        let rates: [(String, Float?)] = [("dropout", dropout), ("embeddingDropout", embeddingDropout), ("layerDropout", layerDropout),
                                         ("outputDropout", outputDropout), ("contextDropout", contextDropout),
                                         ("wordDropout", wordDropout), ("recurrentDropout", recurrentDropout)]
        for (name, rate) in rates {
            if let rate, !(rate >= 0 && rate < 1) { throw .invalidConfiguration("\(name) must be in [0, 1), got \(rate)") }
        }
        if !(labelSmoothing >= 0 && labelSmoothing < 1) {
            throw .invalidConfiguration("labelSmoothing must be in [0, 1), got \(labelSmoothing)")
        }
    }
}
