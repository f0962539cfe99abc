import S2SNumerics

/// What a search strategy needs from a translation model: batched single decoder steps over
/// rows, where each row belongs to one source sentence.
///
/// Greedy decoding, beam search and sampling are written against this protocol, so they do not
/// know how the model computes a step; the seq2seq model conforms through an adapter.
public protocol StepModel {
    associatedtype State

    /// Size of the target vocabulary (columns of the logits).
    var targetVocabularySize: Int { get }

    /// Encodes the sources; the returned state has one row per sentence, in order.
    func begin(sources: [[Int32]]) throws -> State

    /// Advances every row by one token (`previous[r]` is the token row `r` emitted last).
    /// - Returns: logits `[rows, V]`, and attention `[rows, S]` where `S` is the longest source
    ///   of the batch and the columns past a row's own source length are zero.
    func advance(_ state: inout State, previous: [Int32]) -> (logits: Tensor, attention: Tensor)

    /// Rebuilds the rows: new row `r` is old row `rows[r]` (rows may repeat or disappear).
    func reorder(_ state: inout State, rows: [Int])
}

/// The special token ids shared by every vocabulary (see the text pipeline).
public enum SpecialTokens {
    public static let pad: Int32 = 0
    public static let unk: Int32 = 1
    public static let bos: Int32 = 2
    public static let eos: Int32 = 3
}
