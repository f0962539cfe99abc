import Foundation
import S2SCommandSupport
import Testing
@testable import S2SEval

/// `parity/sacrebleu_cli.json`: each `sacrebleu` command line with its stdout, and the
/// `s2s evaluate` arguments that ask the same; the built binary must print the same bytes.
@Suite(.enabled(if: S2SCommand.isBuilt, "needs the built s2s binary (swift build)"))
struct EvaluateCommandParityTests {
    struct Case: Decodable {
        let sacrebleu: [String]
        let s2s: [String]
        let stdout: String
        let stdin_file: String?
        let stdin_crlf: Bool?
    }
    struct Expected: Decodable {
        let sacrebleu_version: String
        let cases: [Case]
    }

    static let expected: Expected? = try? Fixtures.decode(Expected.self, "parity/sacrebleu_cli.json")

    @Test func sameStdoutAsSacreBLEU() throws {
        let e = try #require(Self.expected)
        #expect(e.sacrebleu_version == SacreBLEU.version && e.cases.count >= 10)
        let folder = try Fixtures.url("sacrebleu").path
        for c in e.cases {
            let arguments = c.s2s.map { $0.replacingOccurrences(of: "{F}", with: folder) }
            var stdin = Data()
            if let name = c.stdin_file {
                stdin = try Data(contentsOf: try Fixtures.url(Fixtures.hypothesisPath(name)))
                if c.stdin_crlf == true { stdin = Data(String(decoding: stdin, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8) }
            }
            let run = try S2SCommand.run(arguments, stdin: stdin)
            #expect(run.status == 0, "\(c.sacrebleu): \(run.stderr)")
            #expect(run.stdout == c.stdout, "sacrebleu \(c.sacrebleu.joined(separator: " "))")
        }
    }

    /// The paired tests through the command: every cell of the table as sacrebleu's own table
    /// formats it (score, bootstrap mean ± CI, p-value, "*"), and the non-significant
    /// comparisons named as such.
    @Test(arguments: ["bs", "ar"])
    func pairedTestTable(test: String) throws {
        let e = try #require(SignificanceTests.expected)
        let dir = NSTemporaryDirectory() + "s2s-paired-\(getpid())-\(test)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var paths: [String] = []
        for name in [e.reference] + SignificanceTests.systems {
            let lines = try Fixtures.lines(Fixtures.hypothesisPath(name)).prefix(e.lines)
            let path = "\(dir)/\(name)"
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        for p in e.paired where p.test == test && p.seed == 12345 && ["bleu", "chrf", "ter"].contains(p.metric) {
            var arguments = ["evaluate", "--ref", paths[0], "--metrics", p.metric, "--paired-\(test)", "--paired-\(test)-n", "\(p.samples)"]
            for path in paths.dropFirst() { arguments += ["--hyp", path] }
            let run = try S2SCommand.run(arguments)
            #expect(run.status == 0, "\(run.stderr)")
            let rows = run.stdout.split(separator: "\n").map(String.init)
            for (i, r) in p.results.enumerated() {
                var cell = ScoreFormat.fixed(r.score, 1)
                if let m = r.mean, let c = r.ci { cell += " (\(ScoreFormat.fixed(m, 1)) ± \(ScoreFormat.fixed(c, 1)))" }
                if let pv = r.p_value { cell += " (p = \(ScoreFormat.fixed(pv, 4)))" + (pv > 0.05 ? "" : "*") }
                let row = try #require(rows.first { $0.contains(SignificanceTests.systems[i] + " ") || $0.hasSuffix(SignificanceTests.systems[i]) || $0.contains(SignificanceTests.systems[i] + "  ") })
                #expect(row.hasSuffix(cell), "\(test) \(p.metric) system \(i): '\(row)' should end with '\(cell)'")
                if let pv = r.p_value, pv > 0.05 {
                    #expect(run.stdout.contains("\(SignificanceTests.systems[i]) vs baseline on"), "not significant, and said so")
                }
            }
            #expect(run.stdout.contains(p.signature), "signature block")
        }
    }

    @Test func badInputFailsWithOneLineNamingTheFileOrOption() throws {
        let folder = try Fixtures.url("sacrebleu").path
        let short = NSTemporaryDirectory() + "s2s-eval-short-\(getpid()).txt"
        try "one line\n".write(toFile: short, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: short) }
        let cases: [([String], String)] = [
            (["evaluate", "--ref", "\(folder)/ref.de", "--ref", short, "--hyp", "\(folder)/hyp.heavy.de"], short),
            (["evaluate", "--ref", "\(folder)/ref.de", "--hyp", "\(folder)/hyp.heavy.de", "--smooth-method", "bogus"], "--smooth-method"),
            (["evaluate", "--ref", "\(folder)/ref.de", "--hyp", "\(folder)/hyp.heavy.de", "--chrf-char-order", "0"], "--chrf-char-order"),
            (["evaluate", "--ref", "\(folder)/ref.de", "--hyp", "\(folder)/hyp.heavy.de", "--metrics", "bleu,meteor"], "meteor"),
        ]
        for (arguments, mention) in cases {
            let run = try S2SCommand.run(arguments)
            #expect(run.status != 0)
            #expect(run.stdout.isEmpty, "stdout stays clean")
            #expect(run.stderr.contains(mention), "\(arguments): \(run.stderr)")
        }
        // Several tab-separated systems on stdin are not one hypothesis.
        let run = try S2SCommand.run(["evaluate", "--ref", short], stdin: Data("a\tb\n".utf8))
        #expect(run.status != 0 && run.stderr.contains("2 tab-separated systems"))
    }
}
