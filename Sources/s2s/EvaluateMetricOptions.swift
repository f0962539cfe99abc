import ArgumentParser
import S2SEval

/// The metric options of `s2s evaluate`, named and defaulted as sacrebleu 2.6.0's command line
/// names them (`--smooth-method`, `--chrf-word-order`, `--ter-normalized`, …).
struct EvaluateMetricOptions: ParsableArguments {
    // BLEU
    @Flag(name: .customLong("lowercase"), help: "BLEU: lowercase both sides (sacrebleu --lowercase).")
    var bleuLowercase = false
    @Option(help: "BLEU smoothing: exp, floor, add-k or none.")
    var smoothMethod: BLEUSmoothing.Method = .exp
    @Option(help: "BLEU: the value for floor (default 0.1) and add-k (default 1).")
    var smoothValue: Double?
    @Option(help: "BLEU: highest n-gram order (sacrebleu's max_ngram_order; not in its signature).")
    var maxNgramOrder: Int = BLEU.maxOrder

    // chrF
    @Option(help: "chrF: character n-gram order.")
    var chrfCharOrder: Int = 6
    @Option(help: "chrF: word n-gram order (2 gives chrF++).")
    var chrfWordOrder: Int = 0
    @Option(help: "chrF: recall weight beta.")
    var chrfBeta: Int = 2
    @Flag(help: "chrF: keep whitespace in character n-grams.")
    var chrfWhitespace = false
    @Flag(help: "chrF: lowercase both sides.")
    var chrfLowercase = false
    @Flag(help: "chrF: epsilon smoothing (chrF++.py, NLTK, Moses) instead of effective order.")
    var chrfEpsSmoothing = false

    // TER
    @Flag(help: "TER: Tercom normalization and tokenization.")
    var terNormalized = false
    @Flag(help: "TER: remove punctuation.")
    var terNoPunct = false
    @Flag(help: "TER: split CJK characters (with --ter-normalized) and remove CJK punctuation (with --ter-no-punct).")
    var terAsianSupport = false
    @Flag(help: "TER: case-sensitive (default: lowercase both sides).")
    var terCaseSensitive = false

    func validate() throws {
        if maxNgramOrder < 1 { throw ValidationError("--max-ngram-order must be at least 1, got \(maxNgramOrder)") }
        if chrfCharOrder < 1 { throw ValidationError("--chrf-char-order must be at least 1, got \(chrfCharOrder)") }
        if chrfWordOrder < 0 { throw ValidationError("--chrf-word-order must be 0 or more, got \(chrfWordOrder)") }
        if chrfBeta < 0 { throw ValidationError("--chrf-beta must be 0 or more, got \(chrfBeta)") }
        if let v = smoothValue, !v.isFinite || v < 0 { throw ValidationError("--smooth-value must be a finite number ≥ 0, got \(v)") }
    }

    /// The metric as configured; BLEU with effective order in sentence-level mode (as sacrebleu -sl).
    func metric(_ name: MetricName, sentenceLevel: Bool = false, tokenizer: BLEUTokenization = .init()) -> EvalMetric {
        switch name {
        case .bleu:
            .bleu(bleu(sentenceLevel: sentenceLevel, tokenizer: tokenizer))
        case .chrf:
            .chrf(CHRF(charOrder: chrfCharOrder, wordOrder: chrfWordOrder, beta: chrfBeta,
                       lowercase: chrfLowercase, whitespace: chrfWhitespace, epsSmoothing: chrfEpsSmoothing))
        case .ter:
            .ter(TER(normalized: terNormalized, noPunct: terNoPunct, asianSupport: terAsianSupport, caseSensitive: terCaseSensitive))
        }
    }
}

extension EvaluateMetricOptions {
    private func bleu(sentenceLevel: Bool, tokenizer: BLEUTokenization) -> BLEU {
        var bleu = BLEU(effectiveOrder: sentenceLevel, lowercase: bleuLowercase,
                        smoothing: BLEUSmoothing(smoothMethod, value: smoothValue), maxNgramOrder: maxNgramOrder,
                        tokenizer: tokenizer.tokenizer)
        bleu.moses = tokenizer.moses
        return bleu
    }
}

extension BLEUSmoothing.Method: ExpressibleByArgument {}

/// The metrics `s2s evaluate` knows.
enum MetricName: String, CaseIterable {
    case bleu, chrf, ter
}
