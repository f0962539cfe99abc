import ArgumentParser
import Foundation
import S2SCorpus
import S2SDecode
import S2SEval

/// `s2s evaluate`: BLEU and chrF of a translation file against a reference file, printed
/// exactly as `sacrebleu REF -i HYP -m bleu chrf [-f text|json] [-w W]` prints them.
///
/// A second mode decodes a corpus split with a trained model, then scores it the same way
/// (`--model --db --corpus --split`, with the search options of `s2s translate`).
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score translations with BLEU and chrF (sacrebleu 2.6.0-identical).",
        discussion: """
            Reads two UTF-8 files with one segment per line and prints sacrebleu's lines, signatures \
            included, e.g.
              BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 = 73.9 98.3/81.6/72.3/65.0 (…)
            Defaults are sacrebleu's: 13a tokenization, exp smoothing, chrF with 6 character orders \
            and beta 2, one decimal (--width). For Chinese targets BLEU tokenizes with zh, for \
            Japanese, Korean, Thai, Lao, Khmer and Burmese with char (no MeCab in this build): the \
            language comes from --lang, the corpus, or the script of the references; --tokenize \
            overrides, and the signature's tok: field shows the choice.
            """
    )

    // MARK: Scoring files
    @Option(name: .long, help: ArgumentHelp("Hypothesis file: one translation per line.", valueName: "file"))
    var hyp: String?

    @Option(name: .long, help: ArgumentHelp("Reference file, line-aligned with --hyp.", valueName: "file"))
    var ref: String?

    @Option(name: .long, help: ArgumentHelp("Comma-separated metrics: bleu, chrf.", valueName: "list"))
    var metrics: String = "bleu,chrf"

    @Option(name: .long, help: "Output format: text or json (sacrebleu's -f).")
    var format: SacreBLEUReport.Format = .text

    @Option(name: .shortAndLong, help: "Decimals of the score (sacrebleu's -w).")
    var width: Int = 1

    @OptionGroup(title: "BLEU tokenization") var tokenizing: BLEUTokenizerArguments

    @Flag(name: .long, help: "One score per line instead of a corpus score (one metric only; BLEU uses effective order as sacrebleu -sl does).")
    var sentenceLevel = false

    // MARK: Decoding a corpus split
    @OptionGroup(title: "Decoding a corpus split (with --model)") var decoding: DecodingArguments

    @Option(name: .long, help: ArgumentHelp("Corpus database (with --model; default corpora/corpora.sqlite).", valueName: "file"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Corpus name in the database (with --model).", valueName: "name"))
    var corpus: String?

    @Option(name: .long, help: ArgumentHelp("Split to translate and score: train, valid or test (with --model).", valueName: "name"))
    var split: String?

    @Option(name: .customLong("save-hyp"), help: ArgumentHelp("Also write the translations to this file (with --model).", valueName: "file"))
    var saveHyp: String?

    func validate() throws {
        guard (0...10).contains(width) else { throw ValidationError("--width must be 0...10, got \(width)") }
        _ = try parsedMetrics()
        if usesDecodingMode {
            if hyp != nil || ref != nil {
                throw ValidationError("use either --hyp/--ref or --model/--db/--corpus/--split, not both")
            }
            guard decoding.model != nil, corpus != nil, split != nil else {
                throw ValidationError("decoding a split needs --model DIR, --corpus NAME and --split NAME (and --db FILE unless corpora/corpora.sqlite)")
            }
            guard let s = split, Split(rawValue: s) != nil else {
                throw ValidationError("--split must be train, valid or test, got \(split ?? "")")
            }
            if sentenceLevel { throw ValidationError("--sentence-level scores files; use --hyp/--ref") }
            return
        }
        if saveHyp != nil { throw ValidationError("--save-hyp goes with --model/--corpus/--split") }
        guard hyp != nil, ref != nil else {
            throw ValidationError("give --hyp FILE and --ref FILE (or --model with --db/--corpus/--split)")
        }
        if try sentenceLevel && parsedMetrics().count != 1 {
            throw ValidationError("--sentence-level scores one metric: pass --metrics bleu or --metrics chrf")
        }
    }

    func run() throws {
        if usesDecodingMode { return try runDecodingMode() }
        guard let hyp, let ref else { return }  // validate() guarantees both
        let hyps = try TextLines.read(path: hyp)
        let refs = try TextLines.read(path: ref)
        guard hyps.count == refs.count else {
            throw EvaluateError("\(hyp) has \(hyps.count) lines but \(ref) has \(refs.count)")
        }
        guard !hyps.isEmpty else { throw EvaluateError("\(hyp) and \(ref) have no lines to score") }
        let metrics = try parsedMetrics()
        let tokenizer = chosenTokenizer(references: refs, corpusLanguage: nil, metrics: metrics)
        if sentenceLevel {
            printSentenceScores(metrics[0], hyps, refs, tokenizer: tokenizer)
        } else {
            print(SacreBLEUReport.render(try corpusResults(metrics, hyps, refs, tokenizer: tokenizer), format: format, width: width))
        }
    }

    /// The corpus scores in sacrebleu's order (sorted by name: BLEU, then chrF).
    private func corpusResults(_ metrics: [MetricName], _ hyps: [String], _ refs: [String], tokenizer: BLEUTokenizer) throws -> [MetricResult] {
        try metrics.sorted { $0.rawValue < $1.rawValue }.map { metric in
            switch metric {
            case .bleu:
                let bleu = BLEU(tokenizer: tokenizer)
                return MetricResult(try bleu.corpusScore(hypotheses: hyps, references: refs), signature: bleu.signature)
            case .chrf:
                let chrf = CHRF()
                return MetricResult(try chrf.corpusScore(hypotheses: hyps, references: refs), signature: chrf.signature)
            }
        }
    }

    /// `sacrebleu -sl`: one formatted score per segment, with the signature on every line.
    private func printSentenceScores(_ metric: MetricName, _ hyps: [String], _ refs: [String], tokenizer: BLEUTokenizer) {
        var out = ""
        for (h, r) in zip(hyps, refs) {
            let result: MetricResult
            switch metric {
            case .bleu:
                let bleu = BLEU(effectiveOrder: true, tokenizer: tokenizer)
                result = MetricResult(bleu.sentenceScore(hypothesis: h, reference: r), signature: bleu.signature)
            case .chrf:
                let chrf = CHRF()
                result = MetricResult(chrf.sentenceScore(hypothesis: h, reference: r), signature: chrf.signature)
            }
            out += result.line(width: width) + "\n"
        }
        print(out, terminator: "")
    }

    private var usesDecodingMode: Bool {
        decoding.model != nil || db != nil || corpus != nil || split != nil || saveHyp != nil
    }

    /// Translates `--split` of `--corpus` from `--db` with `--model` (detokenized, as
    /// `s2s translate` would), then scores the output against the split's targets exactly as
    /// the --hyp/--ref mode does.
    private func runDecodingMode() throws {
        guard let corpus, let splitName = split, let split = Split(rawValue: splitName) else { return }
        let path = db ?? CorpusStore.defaultPath
        var sources: [String] = [], references: [String] = []
        var targetLanguage: String?
        do {
            let store = try CorpusStore(path: path, mode: .readOnly)
            targetLanguage = try store.corpus(named: corpus).targetLanguage
            try store.forEachPair(corpus: corpus, split: split) { pair in
                sources.append(pair.source)
                references.append(pair.target)
            }
        } catch {
            throw EvaluateError("\(path): \(error)")
        }
        guard !sources.isEmpty else { throw EvaluateError("\(path): corpus '\(corpus)' has no \(splitName) pairs") }
        let advisor = decoding.makeThreadAdvisor()
        let translator = try decoding.makeTranslator(command: "evaluate")
        advisor.adjust()
        let results = translator.translate(sources.enumerated().map { Translator.Line(text: $1, number: $0 + 1) })
        for r in results { for w in r.warnings { standardError("warning: \(w)") } }
        let hyps = results.map { TranslationFormat.oneLine($0.text) }
        if let saveHyp { try writeAtomically(hyps.map { $0 + "\n" }.joined(), to: saveHyp, command: "evaluate") }
        let metrics = try parsedMetrics()
        let tokenizer = chosenTokenizer(references: references, corpusLanguage: targetLanguage, metrics: metrics)
        print(SacreBLEUReport.render(try corpusResults(metrics, hyps, references, tokenizer: tokenizer), format: format, width: width))
    }

    /// The BLEU tokenizer, with a note on standard error when the language chose it (standard
    /// output stays what sacrebleu prints).
    private func chosenTokenizer(references: [String], corpusLanguage: String?, metrics: [MetricName]) -> BLEUTokenizer {
        let choice = tokenizing.choice(references: references, corpusLanguage: corpusLanguage)
        if metrics.contains(.bleu) && choice.reason != "--tokenize" {
            standardError("evaluate: BLEU tokenizer \(choice.tokenizer.rawValue) (\(choice.reason); --tokenize overrides)")
        }
        return choice.tokenizer
    }

    private func parsedMetrics() throws -> [MetricName] {
        var out: [MetricName] = []
        for piece in metrics.split(separator: ",", omittingEmptySubsequences: false) {
            let name = piece.trimmingCharacters(in: .whitespaces).lowercased()
            guard let m = MetricName(rawValue: name) else {
                throw ValidationError("unknown metric '\(name)' in --metrics (known: bleu, chrf)")
            }
            if !out.contains(m) { out.append(m) }
        }
        return out
    }
}

/// The metrics `s2s evaluate` knows.
enum MetricName: String {
    case bleu, chrf
}

/// A one-line failure of `s2s evaluate` (ArgumentParser prints it as "Error: …").
struct EvaluateError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = "s2s evaluate: " + message }
}

extension SacreBLEUReport.Format: ExpressibleByArgument {}
