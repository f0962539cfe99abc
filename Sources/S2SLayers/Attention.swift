import S2SNumerics

/// What a decoder attends over: encoder outputs and their precomputed keys, batch-major
/// (row s·S + j is position j of sentence s), with each sentence's real length.
package struct AttentionMemory: @unchecked Sendable {
    /// [N·S, D] encoder outputs (0 at padding).
    package let encoder: Matrix
    /// [N·S, K] keys (computed once per sentence).
    package let keys: Matrix
    /// S, the padded source length.
    package let sourceLength: Int
    /// [N] real lengths, each in 1...S.
    package let lengths: UnsafePointer<Int32>

    package init(encoder: Matrix, keys: Matrix, sourceLength: Int, lengths: UnsafePointer<Int32>) {
        precondition(encoder.rows == keys.rows && sourceLength > 0 && encoder.rows % sourceLength == 0,
                     "AttentionMemory: encoder \(encoder.rows)x\(encoder.cols), keys \(keys.rows)x\(keys.cols), S \(sourceLength)")
        self.encoder = encoder
        self.keys = keys
        self.sourceLength = sourceLength
        self.lengths = lengths
    }

    package var sentences: Int { encoder.rows / sourceLength }
}

/// Which attention a model uses.
package enum AttentionKind: String, Codable, Sendable, CaseIterable {
    /// Bahdanau: `v · tanh(W_k enc_j + W_q h + b_q)`.
    case additive
    /// Luong "general": `h · (W_k enc_j)`.
    case bilinear
    /// Luong "dot": `h · enc_j` (decoder size = encoder output size 2H).
    case dot
    /// Luong "concat": `v · tanh(W_q h + W_k enc_j)`, additive without the query bias.
    case concat

    /// The name `--attention` takes (`general` for the bilinear score, as Luong et al. call it).
    package var optionName: String { self == .bilinear ? "general" : rawValue }

    /// Parses an `--attention` value.
    package init?(optionName: String) {
        guard let kind = Self.allCases.first(where: { $0.optionName == optionName }) else { return nil }
        self = kind
    }

    /// Scores through a tanh layer of size A (additive, concat) rather than a product.
    package var usesAttentionSize: Bool { self == .additive || self == .concat }
}

/// Attention over a source memory, masked to each sentence's real positions.
///
/// Training runs `beginTraining`, then `forward(step:)` for t = 0..<T (saving what backward
/// needs per step), `backward(step:)` for t = T−1...0, and `endBackward`, which turns the key
/// gradients of all steps into one GEMM. Inference calls `attend`, which saves nothing and lets
/// many query rows (beams) share one sentence's memory through `sourceRows`.
package protocol Attention: AnyObject, Sendable {
    /// Columns of the keys.
    var keySize: Int { get }
    /// `keys = f(encoder)` [N·S, K], once per batch of sentences.
    func computeKeys(encoder: Matrix, into keys: Matrix, precision: Precision)
    /// Inference: `alpha` [R, S] and `context` [R, D] for queries [R, Hd]; row r attends sentence
    /// `sourceRows?[r] ?? r`.
    func attend(query: Matrix, memory: AttentionMemory, sourceRows: UnsafePointer<Int32>?, alpha: Matrix,
                context: Matrix, precision: Precision)
    /// Training: computes keys for `encoder` into internal storage and readies `steps` steps.
    @discardableResult
    func beginTraining(encoder: Matrix, sourceLength: Int, lengths: UnsafePointer<Int32>, steps: Int,
                       precision: Precision) -> AttentionMemory
    /// Training forward for step t (query rows = sentences).
    func forward(step: Int, query: Matrix, alpha: Matrix, context: Matrix, precision: Precision)
    /// Training backward for step t: ADDS dL/dquery into `dQuery`, accumulates parameter
    /// gradients and (internally) the encoder and key gradients.
    func backward(step: Int, query: Matrix, alpha: Matrix, dContext: Matrix, dQuery: Matrix, precision: Precision)
    /// ADDS dL/dencoder (context path and key path) into `dEncoder` [N·S, D].
    func endBackward(dEncoder: Matrix, precision: Precision)
}
