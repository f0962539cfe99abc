import ArgumentParser
import Foundation
import S2SEval

/// `s2s evaluate`: BLEU and chrF of a translation file against a reference file, printed
/// exactly as `sacrebleu REF -i HYP -m bleu chrf [-f text|json] [-w W]` prints them.
///
/// A second mode — decode a corpus split with a trained model, then score it
/// (`--model --db --corpus --split`) — belongs to the decoding stage; its options are declared
/// here so the interface is settled, and using them fails with "not built yet" until then.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score translations with BLEU and chrF (sacrebleu 2.6.0-identical).",
        discussion: """
            Reads two UTF-8 files with one segment per line and prints sacrebleu's lines, signatures \
            included, e.g.
              BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 = 73.9 98.3/81.6/72.3/65.0 (…)
            Defaults are sacrebleu's: 13a tokenization, exp smoothing, chrF with 6 character orders \
            and beta 2, one decimal (--width).
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

    @Flag(name: .long, help: "One score per line instead of a corpus score (one metric only; BLEU uses effective order as sacrebleu -sl does).")
    var sentenceLevel = false

    // MARK: Decoding a corpus split (the decoding stage)
    @Option(name: .long, help: ArgumentHelp("Model directory to translate the split with (decoding stage; not built yet).", valueName: "dir"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("Corpus database (with --model).", valueName: "file"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Corpus name in the database (with --model).", valueName: "name"))
    var corpus: String?

    @Option(name: .long, help: ArgumentHelp("Split to translate and score, e.g. test (with --model).", valueName: "name"))
    var split: String?

    func validate() throws {
        guard (0...10).contains(width) else { throw ValidationError("--width must be 0...10, got \(width)") }
        _ = try parsedMetrics()
        if usesDecodingMode {
            if hyp != nil || ref != nil {
                throw ValidationError("use either --hyp/--ref or --model/--db/--corpus/--split, not both")
            }
            return
        }
        guard hyp != nil, ref != nil else {
            throw ValidationError("give --hyp FILE and --ref FILE (or --model with --db/--corpus/--split)")
        }
        if try sentenceLevel && parsedMetrics().count != 1 {
            throw ValidationError("--sentence-level scores one metric: pass --metrics bleu or --metrics chrf")
        }
    }

    func run() throws {
        if usesDecodingMode { try runDecodingMode() }
        guard let hyp, let ref else { return }  // validate() guarantees both
        let hyps = try TextLines.read(path: hyp)
        let refs = try TextLines.read(path: ref)
        guard hyps.count == refs.count else {
            throw EvaluateError("\(hyp) has \(hyps.count) lines but \(ref) has \(refs.count)")
        }
        guard !hyps.isEmpty else { throw EvaluateError("\(hyp) and \(ref) have no lines to score") }
        let metrics = try parsedMetrics()
        if sentenceLevel {
            printSentenceScores(metrics[0], hyps, refs)
        } else {
            print(SacreBLEUReport.render(try corpusResults(metrics, hyps, refs), format: format, width: width))
        }
    }

    /// The corpus scores in sacrebleu's order (sorted by name: BLEU, then chrF).
    private func corpusResults(_ metrics: [MetricName], _ hyps: [String], _ refs: [String]) throws -> [MetricResult] {
        try metrics.sorted { $0.rawValue < $1.rawValue }.map { metric in
            switch metric {
            case .bleu:
                let bleu = BLEU()
                return MetricResult(try bleu.corpusScore(hypotheses: hyps, references: refs), signature: bleu.signature)
            case .chrf:
                let chrf = CHRF()
                return MetricResult(try chrf.corpusScore(hypotheses: hyps, references: refs), signature: chrf.signature)
            }
        }
    }

    /// `sacrebleu -sl`: one formatted score per segment, with the signature on every line.
    private func printSentenceScores(_ metric: MetricName, _ hyps: [String], _ refs: [String]) {
        var out = ""
        for (h, r) in zip(hyps, refs) {
            let result: MetricResult
            switch metric {
            case .bleu:
                let bleu = BLEU(effectiveOrder: true)
                result = MetricResult(bleu.sentenceScore(hypothesis: h, reference: r), signature: bleu.signature)
            case .chrf:
                let chrf = CHRF()
                result = MetricResult(chrf.sentenceScore(hypothesis: h, reference: r), signature: chrf.signature)
            }
            out += result.line(width: width) + "\n"
        }
        print(out, terminator: "")
    }

    private var usesDecodingMode: Bool { model != nil || db != nil || corpus != nil || split != nil }

    /// Hook for the decoding stage: translate `--split` of `--corpus` from `--db` with `--model`
    /// (greedy or beam, detokenized), then score the output against the split's targets with
    /// `corpusResults`. Until the decoder lands this says so instead of pretending.
    private func runDecodingMode() throws {
        throw EvaluateError("--model/--db/--corpus/--split: decoding a corpus split is not built yet; "
            + "translate with your own tool and score with --hyp FILE --ref FILE")
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
