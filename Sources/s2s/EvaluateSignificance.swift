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

    /// Text: one row per system, one column per metric ("score (μ ± CI) (p = …)*"), a plain
    /// statement of which differences are not significant, then sacrebleu's signature block.
    func render(names: [String], systems: [[String]], referenceSets: [[String]]) throws -> String {
        let test = options.pairedBs ? "bs" : "ar"
        let samples = options.pairedBs ? options.pairedBsN : options.pairedArN
        var columns: [(header: String, cells: [String])] = []
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
                var cell = ScoreFormat.fixed(r.score, width)
                if let m = r.mean, let c = r.ci { cell += " (\(ScoreFormat.fixed(m.value, width)) ± \(ScoreFormat.fixed(c.value, width)))" }
                if let p = r.pValue {
                    // sacrebleu stars p ≤ 0.05 and colours the rest red; here the rest is named.
                    cell += " (p = \(ScoreFormat.fixed(p, 4)))" + (p > Significance.threshold ? "" : "*")
                    if p > Significance.threshold { notSignificant.append("\(names[i]) vs baseline on \(name) (p = \(ScoreFormat.fixed(p, 4)))") }
                }
                cells.append(cell)
            }
            columns.append((options.pairedBs ? "\(name) (μ ± 95% CI)" : name, cells))
            signatures.append((name, metric.signature(references: references, short: short, extra: [(test, "\(samples)"), ("seed", "\(options.seed)")])))
        }
        var table = [["System"] + columns.map(\.header)]
        for (i, n) in names.enumerated() { table.append([n] + columns.map { $0.cells[i] }) }
        let widths = (0..<table[0].count).map { c in table.map { $0[c].count }.max() ?? 0 }
        var out = table.map { row in
            row.enumerated().map { c, cell in c == 0 ? String(repeating: " ", count: widths[c] - cell.count) + cell
                                                 : cell + String(repeating: " ", count: widths[c] - cell.count) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n") + "\n\n"
        out += options.pairedBs ? "Paired bootstrap resampling test with \(samples) resampling trials"
                                : "Paired approximate randomization test with \(samples) trials"
        out += "; p-values of at most \(Significance.threshold) are marked with \"*\".\n"
        out += notSignificant.isEmpty ? "Every difference from the baseline is significant.\n"
            : "Not significant (the difference may be chance):\n" + notSignificant.map { " - \($0)\n" }.joined()
        out += "\n-----------------\nMetric signatures\n-----------------\n"
        for (name, sig) in signatures { out += " - \(name.padding(toLength: max(10, name.count), withPad: " ", startingAt: 0)) \(sig)\n" }
        return out
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
