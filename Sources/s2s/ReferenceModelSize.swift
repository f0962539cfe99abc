import ArgumentParser
import S2SLayers
import S2SModel

/// The model-size flags of `torch_seq2seq.py` (bench-train and bench-decode take the same ones),
/// so a benchmark command line runs unchanged against either program.
struct ReferenceModelSize: ParsableArguments {
    @Option(name: .customLong("src-vocab")) var srcVocab = 8000
    @Option(name: .customLong("tgt-vocab")) var tgtVocab = 8000
    @Option var emb = 256
    @Option(help: "Encoder hidden size per direction.") var hidden = 256
    @Option(name: .customLong("dec-hidden"), help: "Decoder state size (0 = --hidden).") var decHidden = 0
    @Option(name: .customLong("att-dim"), help: "Attention size (0 = decoder size).") var attDim = 0
    @Option(name: [.customLong("layers"), .customLong("enc-layers")], help: "Encoder layers.") var layers = 1
    // s2s's own architecture choices (the reference has the defaults only).
    @Option(name: .customLong("enc-cell"), help: "Encoder cell.") var encCell = RecurrentCellKind.lstm
    @Option(name: .customLong("dec-cell"), help: "Decoder cell.") var decCell = RecurrentCellKind.gru
    @Option(name: .customLong("dec-layers"), help: "Decoder layers.") var decLayers = 1
    @Flag(help: "Residual connections between stacked layers.") var residual = false
    @Option(name: .customLong("src-len")) var srcLen = 20

    func validate() throws {
        for (name, v) in [("--src-vocab", srcVocab), ("--tgt-vocab", tgtVocab), ("--emb", emb), ("--hidden", hidden),
                          ("--layers", layers), ("--dec-layers", decLayers), ("--src-len", srcLen)] where v <= 0 {
            throw ValidationError("\(name) must be positive, got \(v)")
        }
        if srcVocab <= 4 || tgtVocab <= 4 { throw ValidationError("vocabularies need more than the 4 special tokens") }
        if decHidden < 0 || attDim < 0 { throw ValidationError("negative size or count") }
    }

    /// The model these flags describe (vocabulary sizes overridable, e.g. by a real corpus).
    func config(sourceVocabulary: Int? = nil, targetVocabulary: Int? = nil) -> ModelConfig {
        ModelConfig(sourceVocabulary: sourceVocabulary ?? srcVocab, targetVocabulary: targetVocabulary ?? tgtVocab,
                    embedding: emb, hidden: hidden, decoderHidden: decHidden, attentionSize: attDim, layers: layers,
                    encoderCell: encCell, decoderCell: decCell, decoderLayers: decLayers, residual: residual)
    }
}
