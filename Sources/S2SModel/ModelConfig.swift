import S2SLayers

/// The architecture of a `Seq2SeqModel` (MODEL.md): sizes, layers, attention kind and the
/// regularization the training step applies. Codable so checkpoints carry it.
public struct ModelConfig: Codable, Equatable, Sendable {
    /// Token ids shared by every vocabulary.
    public static let padId: Int32 = 0
    public static let unkId: Int32 = 1
    public static let bosId: Int32 = 2
    public static let eosId: Int32 = 3

    public var sourceVocabulary: Int
    public var targetVocabulary: Int
    /// E: embedding size (source and target).
    public var embedding: Int
    /// H: encoder hidden size per direction.
    public var hidden: Int
    /// Hd: decoder GRU size.
    public var decoderHidden: Int
    /// A: additive attention size (unused by bilinear attention, whose keys have size Hd).
    public var attentionSize: Int
    /// L: encoder BiLSTM layers.
    public var layers: Int
    public var attention: AttentionKind
    /// Dropout on both embeddings, between encoder layers and on the output layer's input.
    public var dropout: Float
    /// Label smoothing of the training loss.
    public var labelSmoothing: Float
    /// Initialize recurrent matrices with orthogonal gate blocks instead of U(±1/√H).
    public var orthogonalRecurrent: Bool

    /// `decoderHidden` 0 means `hidden`; `attentionSize` 0 means `decoderHidden` (the reference's
    /// `--dec-hidden 0 --att-dim 0`).
    public init(sourceVocabulary: Int, targetVocabulary: Int, embedding: Int = 256, hidden: Int = 256,
                decoderHidden: Int = 0, attentionSize: Int = 0, layers: Int = 1,
                attention: AttentionKind = .additive, dropout: Float = 0, labelSmoothing: Float = 0,
                orthogonalRecurrent: Bool = false) {
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
        self.embedding = embedding
        self.hidden = hidden
        self.decoderHidden = decoderHidden > 0 ? decoderHidden : hidden
        self.attentionSize = attentionSize > 0 ? attentionSize : self.decoderHidden
        self.layers = layers
        self.attention = attention
        self.dropout = dropout
        self.labelSmoothing = labelSmoothing
        self.orthogonalRecurrent = orthogonalRecurrent
    }

    /// 2H: size of an encoder output (forward ; backward).
    public var encoderOutput: Int { 2 * hidden }
    /// Hd + 2H + E: the output layer's input `[h ; ctx ; e]`.
    public var outputInput: Int { decoderHidden + encoderOutput + embedding }

    /// Rejects sizes the model cannot be built with, naming the field.
    public func validate() throws(LayerError) {
        let fields: [(String, Int)] = [("sourceVocabulary", sourceVocabulary), ("targetVocabulary", targetVocabulary),
                                       ("embedding", embedding), ("hidden", hidden), ("decoderHidden", decoderHidden),
                                       ("attentionSize", attentionSize), ("layers", layers)]
        for (name, value) in fields where value <= 0 {
            throw .invalidConfiguration("\(name) must be positive, got \(value)")
        }
        if sourceVocabulary <= Int(ModelConfig.eosId) || targetVocabulary <= Int(ModelConfig.eosId) {
            throw .invalidConfiguration("vocabularies need the 4 special tokens; got source \(sourceVocabulary), target \(targetVocabulary)")
        }
        if !(dropout >= 0 && dropout < 1) { throw .invalidConfiguration("dropout must be in [0, 1), got \(dropout)") }
        if !(labelSmoothing >= 0 && labelSmoothing < 1) {
            throw .invalidConfiguration("labelSmoothing must be in [0, 1), got \(labelSmoothing)")
        }
    }
}
