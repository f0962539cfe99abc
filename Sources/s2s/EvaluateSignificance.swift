import ArgumentParser
import Foundation
import S2SEval

/// The statistical-test options of `s2s evaluate`, as sacrebleu 2.6.0 names them; `--seed`
/// stands for its `SACREBLEU_SEED` environment variable.
struct SignificanceOptions: ParsableArguments {
    @Flag(help: "Bootstrap 95% confidence interval of each score (one system).")
    var confidence = false
    @Option(help: "Bootstrap resamples for --confidence.")
    var confidenceN: Int = 1000
    @Flag(help: "Paired bootstrap resampling: every further --hyp against the first (the baseline).")
    var pairedBs = false
    @Option(help: "Resamples for --paired-bs.")
    var pairedBsN: Int = 1000
    @Flag(help: "Paired approximate randomization: every further --hyp against the first (the baseline).")
    var pairedAr = false
    @Option(help: "Trials for --paired-ar.")
    var pairedArN: Int = 10000
    @Option(name: .customLong("resample-seed"),
            help: "Seed of the resampling (default: $SACREBLEU_SEED as sacrebleu reads it, else 12345).")
    var resampleSeed: UInt64?

    /// sacrebleu's seed: the option, else `SACREBLEU_SEED`, else 12345.
    var seed: UInt64 {
        resampleSeed ?? ProcessInfo.processInfo.environment["SACREBLEU_SEED"].flatMap(UInt64.init) ?? Significance.defaultSeed
    }

    var paired: Bool { pairedBs || pairedAr }

    func validate() throws {
        if pairedBs && pairedAr { throw ValidationError("--paired-bs and --paired-ar exclude each other") }
        for (name, n) in [("--confidence-n", confidenceN), ("--paired-bs-n", pairedBsN), ("--paired-ar-n", pairedArN)] where n < 1 {
            throw ValidationError("\(name) must be at least 1, got \(n)")
        }
        if let s = resampleSeed, s > UInt64(UInt32.max) { throw ValidationError("--resample-seed must be 0...\(UInt32.max), got \(s)") }
    }
}

/// Runs and prints sacrebleu's paired tests: each system against the first, every metric.
struct PairedTestReport {
    let options: SignificanceOptions
    let metrics: [EvalMetric]
    let references: Int
    let short: Bool
    let width: Int

    /// sacrebleu's text output (`print_results_table` without colours): the table, its
    /// explanation of the test, the signatures — then, beyond sacrebleu (whose only mark of a
    /// non-significant difference is red colour), the comparisons that are not significant,
    /// named.
    func render(names: [String], systems: [[String]], referenceSets: [[String]]) throws -> String {
        let test = options.pairedBs ? "bs" : "ar"
        let samples = options.pairedBs ? options.pairedBsN : options.pairedArN
        var headers = ["System"]
        var columns: [[String]] = []
        var signatures: [(String, String)] = []
        var notSignificant: [String] = []
        for metric in metrics {
            let rows = try systems.map { try metric.statistics(hypotheses: $0, referenceSets: referenceSets) }
            let results = options.pairedBs
                ? Significance.pairedBootstrap(metric, baseline: rows[0], systems: Array(rows.dropFirst()), samples: samples, seed: options.seed)
                : Significance.pairedApproximateRandomization(metric, baseline: rows[0], systems: Array(rows.dropFirst()), trials: samples, seed: options.seed)
            let name = metric.score(EvalMetric.sum(rows[0])).name
            var cells: [String] = []
            for (i, r) in results.enumerated() {
                // _format_score_lines: score, " (mean ± ci)", "\n(p = …)" with "*" when p ≤ 0.05.
                var cell = ScoreFormat.fixed(r.score, width)
                if let m = r.mean, let c = r.ci { cell += " (\(ScoreFormat.fixed(m.value, width)) ± \(ScoreFormat.fixed(c.value, width)))" }
                if let p = r.pValue {
                    cell += "\n(p = \(ScoreFormat.fixed(p, 4)))" + (p > Significance.threshold ? "" : "*")
                    if p > Significance.threshold { notSignificant.append("\(names[i]) vs the baseline on \(name) (p = \(ScoreFormat.fixed(p, 4)))") }
                }
                cells.append(cell)
            }
            headers.append(options.pairedBs ? "\(name) (μ ± 95% CI)" : name)
            columns.append(cells)
            signatures.append((name, metric.signature(references: references, short: short, extra: [(test, "\(samples)"), ("seed", "\(options.seed)")])))
        }
        let rows = names.indices.map { i in [names[i]] + columns.map { $0[i] } }
        var out = FancyGridTable(headers: headers, rows: rows).render() + "\n\n"
        let message = options.pairedBs ? "Paired bootstrap resampling test with \(samples) resampling trials"
                                       : "Paired approximate randomization test with \(samples) trials"
        let rule = String(repeating: "-", count: message.count)
        // sacrebleu names the baseline only when its label reads "Baseline: …" (files, not stdin).
        let baseline = names[0].hasPrefix("Baseline:") ? names[0] : ""
        out += "\(rule)\n\(message)\n\(rule)\n"
        out += " - Each system is pairwise compared to \(baseline).\n"
        out += options.pairedBs ? "   Actual system score / bootstrap estimated true mean / 95% CI are provided for each metric.\n"
                                : "   Actual system score is provided for each metric.\n"
        out += """

             - Null hypothesis: the system and the baseline translations are essentially
               generated by the same underlying process. For a given system and the baseline,
               the p-value is roughly the probability of the absolute score difference (delta)
               or higher occurring due to chance, under the assumption that the null hypothesis is correct.

             - Assuming a significance threshold of 0.05, the null hypothesis can be rejected
               for p-values < 0.05 (marked with "*"). This means that the delta is unlikely to be attributed
               to chance, hence the system is significantly "different" than the baseline.
               Otherwise, the p-values are highlighted in red.

             - NOTE: Significance does not tell whether a system is "better" than the baseline but rather
               emphasizes the "difference" of the systems in terms of the replicability of the delta.


            """
        out += "-----------------\nMetric signatures\n-----------------\n"
        for (name, sig) in signatures { out += " - \(name.padding(toLength: max(10, name.count), withPad: " ", startingAt: 0)) \(sig)\n" }
        out += notSignificant.isEmpty ? "\nEvery difference from the baseline is significant (p ≤ 0.05).\n"
            : "\nNot significant (p > 0.05; the difference may be chance):\n" + notSignificant.map { " - \($0)\n" }.joined()
        return out
    }
}
