import ArgumentParser
import S2SEval

/// `--tokenize` and `--lang`: which BLEU tokenizer scores a target language. Without
/// `--tokenize` the language decides (sacrebleu's advice, `TokenizerChoice`): `--lang`, else the
/// corpus's target language (decoding a split), else the script dominating the references.
struct BLEUTokenizerArguments: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "BLEU tokenizer (sacrebleu's --tokenize): \(BLEUTokenizer.available.map(\.rawValue).joined(separator: ", ")). Default: from the target language.",
        valueName: "name"))
    var tokenize: BLEUTokenizer?

    @Option(name: .long, help: ArgumentHelp("Target language code (ja, zh, th, ko, de, …) that picks the default tokenizer; default: the corpus's, or the references' dominant script.", valueName: "code"))
    var lang: String?

    @Flag(name: .long, help: ArgumentHelp(
        "BLEU as the Multi30k papers score it: Moses punctuation normalization, lowercase and Moses tokenization (sacremoses 0.2.0) of both sides for the target language (--lang, else the corpus's), then no further tokenization; signature case:lc|tok:moses-<lang>."))
    var paperBleu = false

    func validate() throws {
        if paperBleu, let tokenize {
            throw ValidationError("--paper-bleu tokenizes with Moses; it cannot be combined with --tokenize \(tokenize.rawValue)")
        }
        if let tokenize, !tokenize.isAvailable {
            throw ValidationError(BLEUTokenizerError.unavailable(tokenize).description)
        }
    }

    /// With --paper-bleu, the papers' preprocessing for the target language (--lang, else the
    /// corpus's); Moses' rules depend on it, so there is no guessing from the text.
    func paperStyle(corpusLanguage: String?) throws -> MosesBLEUPreprocessing? {
        guard paperBleu else { return nil }
        guard let language = lang ?? corpusLanguage else {
            throw ValidationError("--paper-bleu needs the target language: add --lang (de, fr, cs, en, …)")
        }
        return MosesBLEUPreprocessing(language: language)
    }

    /// The tokenizer for these references; `corpusLanguage` is the corpus's target language
    /// when a split is decoded.
    func choice(references: [String], corpusLanguage: String? = nil) -> TokenizerChoice {
        if let tokenize { return TokenizerChoice(tokenizer: tokenize, reason: "--tokenize") }
        if let language = lang ?? corpusLanguage { return TokenizerChoice.forLanguage(language) }
        return TokenizerChoice.forText(references)
    }
}

/// How BLEU turns segments into tokens: one of sacrebleu's tokenizers, after the papers' Moses
/// preprocessing with --paper-bleu (the tokenizer is then `none`).
struct BLEUTokenization {
    var tokenizer: BLEUTokenizer = .thirteenA
    var moses: MosesBLEUPreprocessing? = nil
}

/// Only the tokenizers this build runs are offered (an unknown name gets ArgumentParser's
/// "Please provide one of …" with them); a MeCab one parses, then `validate` says why it cannot
/// run.
extension BLEUTokenizer: ExpressibleByArgument {
    package static var allValueStrings: [String] { available.map(\.rawValue) }
}
