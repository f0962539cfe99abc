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

    func validate() throws {
        if let tokenize, !tokenize.isAvailable {
            throw ValidationError(BLEUTokenizerError.unavailable(tokenize).description)
        }
    }

    /// The tokenizer for these references; `corpusLanguage` is the corpus's target language
    /// when a split is decoded.
    func choice(references: [String], corpusLanguage: String? = nil) -> TokenizerChoice {
        if let tokenize { return TokenizerChoice(tokenizer: tokenize, reason: "--tokenize") }
        if let language = lang ?? corpusLanguage { return TokenizerChoice.forLanguage(language) }
        return TokenizerChoice.forText(references)
    }
}

/// Only the tokenizers this build runs are offered (an unknown name gets ArgumentParser's
/// "Please provide one of …" with them); a MeCab one parses, then `validate` says why it cannot
/// run.
extension BLEUTokenizer: ExpressibleByArgument {
    public static var allValueStrings: [String] { available.map(\.rawValue) }
}
