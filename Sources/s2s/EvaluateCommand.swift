import ArgumentParser
import Foundation
import S2SCorpus
import S2SDecode
import S2SEval

/// `s2s evaluate`: BLEU, chrF and TER of translations against one or more references, printed
/// exactly as `sacrebleu REF… -i HYP -m bleu chrf ter [options]` prints them, with sacrebleu's
/// metric options, confidence intervals and paired significance tests.
///
/// A second mode decodes a corpus split with a trained model, then scores it the same way
/// (`--model --db --corpus --split`, with the search options of `s2s translate`).
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score translations with BLEU, chrF and TER (sacrebleu 2.6.0-identical).",
        discussion: """
            Reads two UTF-8 files with one segment per line and prints sacrebleu's lines, signatures \
            included, e.g.
              BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 = 73.9 98.3/81.6/72.3/65.0 (…)
            Defaults are sacrebleu's: 13a tokenization, exp smoothing, chrF with 6 character orders \
            and beta 2, one decimal (--width). For Chinese targets BLEU tokenizes with zh, for \
            Japanese, Korean, Thai, Lao, Khmer and Burmese with char (no MeCab in this build): the \
            language comes from --lang, the corpus, or the script of the references; --tokenize \
            overrides, and the signature's tok: field shows the choice; --paper-bleu scores as the \
            Multi30k papers do (Moses normalization, lowercase, Moses tokenization, tok:moses-<lang>). \
            Options carry sacrebleu's names; paired tests:
              s2s evaluate --ref ref.de --hyp base.de --hyp new.de --paired-bs
            """
    )

    // MARK: Scoring files
    @Option(name: .long, help: ArgumentHelp("Hypothesis file, one translation per line; '-' or no --hyp reads stdin (tab-separated fields there are systems, as in sacrebleu).", valueName: "file"))
    var hyp: [String] = []

    @Option(name: .long, help: ArgumentHelp("Reference file, line-aligned with the hypotheses; repeat for several references.", valueName: "file"))
    var ref: [String] = []

    @Option(name: .long, help: ArgumentHelp("Comma-separated metrics: bleu, chrf, ter.", valueName: "list"))
    var metrics: String = "bleu,chrf"

    @Option(name: .long, help: "Output format: text or json (sacrebleu's -f).")
    var format: SacreBLEUReport.Format = .text

    @Option(name: .shortAndLong, help: "Decimals of the score (sacrebleu's -w).")
    var width: Int = 1

    @OptionGroup(title: "BLEU tokenization") var tokenizing: BLEUTokenizerArguments

    @Flag(name: .long, help: "One score per line instead of a corpus score (one metric only; BLEU uses effective order as sacrebleu -sl does).")
    var sentenceLevel = false

    @Flag(name: .long, help: "Print only the score (sacrebleu's -b).")
    var scoreOnly = false

    @Flag(name: .long, help: "Abbreviated signatures (sacrebleu's --short).")
    var short = false

    @OptionGroup(title: "Metric options (sacrebleu's names and defaults)") var metricOptions: EvaluateMetricOptions

    @OptionGroup(title: "Confidence intervals and paired significance tests (sacrebleu's)") var significance: SignificanceOptions

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
            if !hyp.isEmpty || !ref.isEmpty {
                throw ValidationError("use either --hyp/--ref or --model/--db/--corpus/--split, not both")
            }
            guard decoding.namesModel, corpus != nil, split != nil else {
                throw ValidationError("decoding a split needs --model DIR, --corpus NAME and --split NAME (and --db FILE unless corpora/corpora.sqlite)")
            }
            guard let s = split, Split(rawValue: s) != nil else {
                throw ValidationError("--split must be train, valid or test, got \(split ?? "")")
            }
            if sentenceLevel { throw ValidationError("--sentence-level scores files; use --hyp/--ref") }
            if significance.paired { throw ValidationError("paired tests compare files: use --ref and two or more --hyp") }
            return
        }
        if saveHyp != nil { throw ValidationError("--save-hyp goes with --model/--corpus/--split") }
        guard !ref.isEmpty else {
            throw ValidationError("give --ref FILE (repeat it for several references) and --hyp FILE or the hypotheses on stdin (or --model with --db/--corpus/--split)")
        }
        if hyp.count > 1 && !significance.paired { throw ValidationError("several --hyp need --paired-bs or --paired-ar") }
        if hyp.count > 1 && hyp.contains("-") { throw ValidationError("--hyp -: stdin holds all systems (tab-separated) or none") }
        if significance.paired && significance.confidence { throw ValidationError("--confidence is for one system; paired tests report their own intervals") }
        if significance.paired && format == .json { throw ValidationError("paired tests print text only (--format text)") }
        if sentenceLevel && (significance.paired || significance.confidence) {
            throw ValidationError("statistical tests are unavailable with --sentence-level")
        }
        if try sentenceLevel && parsedMetrics().count != 1 {
            throw ValidationError("--sentence-level scores one metric: pass --metrics bleu, chrf or ter")
        }
    }

    func run() throws {
        if usesDecodingMode { return try runDecodingMode() }
        // sacrebleu's command line strips every line's trailing whitespace.
        let refs = try ref.map { path in try TextLines.read(path: path).map(rstrip) }
        let (names, systems) = try readSystems()
        for (name, hyps) in zip(names, systems) {
            for (path, lines) in zip(ref, refs) where lines.count != hyps.count {
                throw EvaluateError("\(name) has \(hyps.count) lines but \(path) has \(lines.count)")
            }
            guard !hyps.isEmpty else { throw EvaluateError("\(name) and \(ref[0]) have no lines to score") }
        }
        let metrics = try parsedMetrics()
        let tokenizer = try chosenTokenizer(references: refs.first ?? [], corpusLanguage: nil, metrics: metrics)
        if significance.paired {
            guard systems.count > 1 else { throw EvaluateError("paired tests need two systems or more: repeat --hyp (the first is the baseline)") }
            let report = PairedTestReport(options: significance, metrics: sortedMetrics(metrics, tokenizer: tokenizer),
                                          references: refs.count, short: short, width: width)
            // sacrebleu's labels: "Baseline: FILE" and the other files, or on stdin "Baseline",
            // "System 1", "System 2", …
            let fromStdin = hyp.isEmpty || hyp == ["-"]
            let labels = fromStdin ? ["Baseline"] + (1..<systems.count).map { "System \($0)" }
                                   : ["Baseline: \(names[0])"] + names.dropFirst()
            print(try report.render(names: labels, systems: systems, referenceSets: refs), terminator: "")
            return
        }
        guard systems.count == 1, let hyps = systems.first else {
            throw EvaluateError("stdin holds \(systems.count) tab-separated systems: compare them with --paired-bs or --paired-ar")
        }
        if sentenceLevel {
            try printSentenceScores(metricOptions.metric(metrics[0], sentenceLevel: true, tokenizer: tokenizer), hyps, refs)
        } else {
            let results = try corpusResults(metrics, hyps, refs, tokenizer: tokenizer)
            if scoreOnly {
                // sacrebleu prints the bare scores one per line, or as JSON's list layout.
                let scores = results.map { $0.scoreText(width: width) }
                print(format == .json && scores.count > 1 ? "[\n" + scores.joined(separator: ",\n") + "\n]" : scores.joined(separator: "\n"))
            } else {
                print(SacreBLEUReport.render(results, format: format, width: width))
            }
        }
    }

    /// The hypothesis systems: from `--hyp FILE`, or stdin (`--hyp -` or none), where sacrebleu
    /// reads with universal newlines and splits each line at tabs into systems.
    private func readSystems() throws -> (names: [String], systems: [[String]]) {
        if let path = hyp.first, path != "-" {
            return (hyp, try hyp.map { try TextLines.read(path: $0).map(rstrip) })
        }
        let lines = try TextLines.split(EvaluateStdin.universalNewlines(FileHandle.standardInput.readDataToEndOfFile()), path: "<stdin>")
        guard let first = lines.first else { return (["<stdin>"], [[]]) }
        var systems = rstrip(first).split(separator: "\t", omittingEmptySubsequences: false).map { [String($0)] }
        for (k, line) in lines.dropFirst().enumerated() {
            let fields = rstrip(line).split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == systems.count else {
                throw EvaluateError("<stdin>:\(k + 2): \(fields.count) tab-separated fields, the first line has \(systems.count)")
            }
            for (i, f) in fields.enumerated() { systems[i].append(rstrip(String(f))) }
        }
        // sacrebleu names stdin's systems "System 1", "System 2", …
        return (systems.count == 1 ? ["<stdin>"] : systems.indices.map { "System \($0 + 1)" }, systems)
    }

    /// The configured metrics in sacrebleu's order (sorted by name: BLEU, chrF, TER).
    private func sortedMetrics(_ metrics: [MetricName], tokenizer: BLEUTokenization) -> [EvalMetric] {
        metrics.map { metricOptions.metric($0, tokenizer: tokenizer) }.sorted { $0.sortKey < $1.sortKey }
    }

    private func rstrip(_ s: String) -> String { EvaluateStdin.rstrip(s) }

    /// The corpus scores in sacrebleu's order (sorted by name: BLEU, chrF, TER).
    /// With --confidence, each with its bootstrap estimate and "bs:N|seed:S" in its signature.
    private func corpusResults(_ metrics: [MetricName], _ hyps: [String], _ refs: [[String]],
                               tokenizer: BLEUTokenization) throws -> [MetricResult] {
        try sortedMetrics(metrics, tokenizer: tokenizer).map { metric in
            guard significance.confidence else { return try metric.corpusResult(hypotheses: hyps, referenceSets: refs, short: short && format != .json) }
            let rows = try metric.statistics(hypotheses: hyps, referenceSets: refs)
            let r = Significance.confidence(metric, rows: rows, samples: significance.confidenceN, seed: significance.seed)
            let s = metric.score(EvalMetric.sum(rows))
            let signature = metric.signature(references: refs.count, short: short && format != .json,
                                             extra: [("bs", "\(significance.confidenceN)"), ("seed", "\(significance.seed)")])
            return MetricResult(name: s.name, score: s.score, signature: signature, verbose: s.verbose, confidence: r)
        }
    }

    /// `sacrebleu -sl`: one formatted score per segment, with the signature on every line.
    private func printSentenceScores(_ metric: EvalMetric, _ hyps: [String], _ refs: [[String]]) throws {
        var out = ""
        let rows = try metric.statistics(hypotheses: hyps, referenceSets: refs)
        let signature = metric.signature(references: refs.count, short: short)
        for row in rows {
            let s = metric.score(row)
            let result = MetricResult(name: s.name, score: s.score, signature: signature, verbose: s.verbose)
            out += (scoreOnly ? ScoreFormat.fixed(s.score, width) : result.line(width: width)) + "\n"
        }
        print(out, terminator: "")
    }

    private var usesDecodingMode: Bool {
        decoding.namesModel || db != nil || corpus != nil || split != nil || saveHyp != nil
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
        let tokenizer = try chosenTokenizer(references: references, corpusLanguage: targetLanguage, metrics: metrics)
        print(SacreBLEUReport.render(try corpusResults(metrics, hyps, [references], tokenizer: tokenizer), format: format, width: width))
    }

    /// The BLEU tokenizer, with a note on standard error when the language chose it (standard
    /// output stays what sacrebleu prints).
    private func chosenTokenizer(references: [String], corpusLanguage: String?, metrics: [MetricName]) throws -> BLEUTokenization {
        if let moses = try tokenizing.paperStyle(corpusLanguage: corpusLanguage) {
            if metrics.contains(.bleu) {
                standardError("evaluate: BLEU as the papers score it: Moses normalization, lowercase, Moses tokenization (\(moses.language)), then tok none")
            }
            return BLEUTokenization(tokenizer: .none, moses: moses)
        }
        let choice = tokenizing.choice(references: references, corpusLanguage: corpusLanguage)
        if metrics.contains(.bleu) && choice.reason != "--tokenize" {
            standardError("evaluate: BLEU tokenizer \(choice.tokenizer.rawValue) (\(choice.reason); --tokenize overrides)")
        }
        return BLEUTokenization(tokenizer: choice.tokenizer)
    }

    private func parsedMetrics() throws -> [MetricName] {
        var out: [MetricName] = []
        for piece in metrics.split(separator: ",", omittingEmptySubsequences: false) {
            let name = piece.trimmingCharacters(in: .whitespaces).lowercased()
            guard let m = MetricName(rawValue: name) else {
                throw ValidationError("unknown metric '\(name)' in --metrics (known: bleu, chrf, ter)")
            }
            if !out.contains(m) { out.append(m) }
        }
        return out
    }
}

/// A one-line failure of `s2s evaluate` (ArgumentParser prints it as "Error: …").
struct EvaluateError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = "s2s evaluate: " + message }
}

extension SacreBLEUReport.Format: ExpressibleByArgument {}

/// stdin as sacrebleu's command line reads it.
enum EvaluateStdin {
    /// Python's universal newlines: "\r\n" and a lone "\r" become "\n".
    static func universalNewlines(_ data: Data) -> Data {
        var out = Data(capacity: data.count)
        var previousCR = false
        for b in data {
            if b == 0x0A && previousCR { previousCR = false; continue }
            previousCR = b == 0x0D
            out.append(b == 0x0D ? 0x0A : b)
        }
        return out
    }

    /// Python's `str.rstrip()`, by code points.
    static func rstrip(_ s: String) -> String { TextLines.rstrip(s) }
}
