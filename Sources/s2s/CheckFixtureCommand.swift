import ArgumentParser
import Foundation
import S2SDecode
import S2SFixtureCheck
import S2SModel
import S2SNumerics

/// `s2s check-fixture FILE`: runs a reference fixture (MODEL.md format, any sizes) forward and
/// backward and prints the maximum relative error of every tensor it holds.
struct CheckFixtureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-fixture",
        abstract: "Run a PyTorch reference fixture forward and backward and report errors.",
        discussion: """
        Compares encoder outputs, h0, attention and logits (positions whose target is not <pad>),
        the loss and every parameter gradient with the fixture's float64 values, and the greedy
        decode (8 tokens) with its `greedy` field. The relative error of a tensor is
        max|x − r| / max|r| (elementwise errors, with a floor of 1e-3·max|r|, are shown for
        information). Exits 1 when any tensor exceeds the tolerance or the
        greedy decode differs.
        """
    )

    @Argument(help: "Fixture JSON file (e.g. Tests/S2SModelTests/Fixtures/model_dec_lstm_deep.json).")
    var file: String

    @Option(help: "Maximum allowed relative error.")
    var tolerance: Double = Seq2SeqFixtureCheck.tolerance

    @Option(help: "GEMM precision: fp32 or bf16.")
    var precision: String = "fp32"

    func run() throws {
        guard let requested = Precision(rawValue: precision) else {
            throw ValidationError("--precision must be fp32 or bf16, got \(precision)")
        }
        let fixture: Seq2SeqFixture
        let report: FixtureCheckReport
        do {
            fixture = try Seq2SeqFixture.load(path: file)
            report = try Seq2SeqFixtureCheck.run(fixture, precision: Precision.resolve(requested).0)
        } catch {
            FileHandle.standardError.write(Data("s2s check-fixture: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
        let width = max(24, report.comparisons.map(\.name.count).max() ?? 0)
        print("\(file): loss \(report.loss) (reference \(report.referenceLoss))")
        for c in report.comparisons {
            let ok = c.maxRelativeError <= tolerance
            let name = c.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let shape = "\(c.shape)".padding(toLength: 16, withPad: " ", startingAt: 0)
            print("\(ok ? "ok  " : "FAIL") \(name) \(shape) max rel \(String(format: "%.3e", c.maxRelativeError))  max abs \(String(format: "%.3e", c.maxAbsoluteError))  elementwise \(String(format: "%.1e", c.maxElementwiseError))")
        }
        if let expected = report.expectedGreedy {
            print("\(report.greedyMatches ? "ok  " : "FAIL") greedy \(report.greedy)\(report.greedyMatches ? "" : " (reference \(expected))")")
        } else {
            print("--   greedy \(report.greedy) (fixture has no greedy field)")
        }
        let failures = report.failures(tolerance: tolerance)
        if !failures.isEmpty || !report.greedyMatches {
            print("FAILED: \(failures.count) tensor(s) above \(tolerance)\(report.greedyMatches ? "" : ", greedy decode differs")")
            throw ExitCode(1)
        }
        print("passed: \(report.comparisons.count) tensors within \(tolerance)")
    }
}
