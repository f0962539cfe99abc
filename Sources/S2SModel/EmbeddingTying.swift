/// Which embedding matrices are one (Press & Wolf 2017; Inan et al. 2017).
///
/// Tying the output projection to the target embeddings makes the softmax score a candidate word
/// by the same vector that feeds it back in, so rare words learn from both uses and the largest
/// matrix of the model counts once. The output layer then needs the embedding's width: the
/// decoder's features pass through a projection to E first (`OutputLayer`).
package enum EmbeddingTying: String, Codable, Sendable, CaseIterable {
    /// Three matrices: source embeddings, target embeddings, output projection.
    case none
    /// Target embeddings = output projection (`tgt_emb.weight` serves both; `out.weight` is gone).
    case target
    /// Three-way: source embeddings = target embeddings = output projection. Needs one joint
    /// vocabulary shared by both sides (`src_emb.weight` is gone too).
    case all

    package var tiesOutput: Bool { self != .none }
    package var tiesSource: Bool { self == .all }
}
