/// BLEU as the Multi30k papers score it: each hypothesis and reference goes through Moses'
/// normalize-punctuation.perl, lowercase and tokenizer.perl for the target language, and BLEU
/// counts the resulting tokens as they are (sacrebleu `tokenize='none'`). The same as running
/// `normalize-punctuation.perl -l L | lowercase.perl | tokenizer.perl -l L` on both files and
/// then `multi-bleu.perl`, with sacremoses 0.2.0 standing in for the Perl scripts and Python's
/// `str.lower()` for lowercase.perl.
///
/// The score's signature says so: `case:lc|…|tok:moses-de` (sacrebleu's own would read
/// `case:mixed|tok:none`, which hides the preprocessing).
package struct MosesBLEUPreprocessing: Sendable {
    package let language: String
    private let normalizer: MosesPunctNormalizer
    private let tokenizer: MosesTokenizer

    package init(language: String) {
        self.language = language
        normalizer = MosesPunctNormalizer(language: language)
        tokenizer = MosesTokenizer(language: language)
    }

    /// The signature's `tok:` value.
    package var name: String { "moses-\(language)" }

    /// The line the papers score: normalized, lowercased, tokenized.
    package func apply(_ line: String) -> String {
        PythonText.string(apply(PythonText.scalars(line)))
    }

    func apply(_ line: Scalars) -> Scalars {
        tokenizer.tokenize(PythonText.lower(normalizer.normalize(line)))
    }
}

extension BLEU {
    /// BLEU the way the Multi30k papers report it (lowercased, Moses-normalized and -tokenized,
    /// no further tokenization) for `language`, the target language ("de", "fr", "cs", "en").
    package static func paperStyle(language: String, effectiveOrder: Bool = false, smoothing: BLEUSmoothing = .exp,
                                  maxNgramOrder: Int = BLEU.maxOrder) -> BLEU {
        var bleu = BLEU(effectiveOrder: effectiveOrder, smoothing: smoothing, maxNgramOrder: maxNgramOrder, tokenizer: .none)
        bleu.moses = MosesBLEUPreprocessing(language: language)
        return bleu
    }
}
