/// The special tokens every vocabulary starts with, at fixed ids: the one definition that the
/// vocabulary files, the model (padding, start and end of a sentence) and the search share.
package enum SpecialTokens {
    /// Padding: never predicted, masked out of the loss and the attention.
    package static let pad: Int32 = 0
    /// A token the vocabulary does not hold.
    package static let unk: Int32 = 1
    /// Start of a sentence: the decoder's first input.
    package static let bos: Int32 = 2
    /// End of a sentence: search stops a hypothesis at it.
    package static let eos: Int32 = 3
    /// The tokens' spellings in vocabulary files, by id.
    package static let names = ["<pad>", "<unk>", "<s>", "</s>"]
}
