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
        let stdin_text: String?
        let paired: Bool?
        /// Run inside the fixture folder (the file names appear in the output).
        let in_folder: Bool?
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
            if let text = c.stdin_text { stdin = Data(text.utf8) }
            let run = try S2SCommand.run(arguments, stdin: stdin, directory: c.in_folder == true ? folder : nil)
            #expect(run.status == 0, "\(c.sacrebleu): \(run.stderr)")
            let expected = c.stdout.replacingOccurrences(of: "{F}", with: folder)
            guard c.paired == true else {
                #expect(run.stdout == expected, "sacrebleu \(c.sacrebleu.joined(separator: " "))")
                continue
            }
            // Paired tests: sacrebleu's output, then the non-significant comparisons named —
            // exactly those whose p-value sacrebleu prints without "*".
            #expect(run.stdout.hasPrefix(expected), "sacrebleu \(c.sacrebleu.joined(separator: " "))")
            let extra = String(run.stdout.dropFirst(expected.count))
            let unstarred = expected.matches(of: /\(p = ([0-9.]+)\)(\*?)/).filter { $0.output.2.isEmpty }.map { String($0.output.1) }
            let named = extra.matches(of: /\(p = ([0-9.]+)\)/).map { String($0.output.1) }
            #expect(named.sorted() == unstarred.sorted(), "not-significant list: \(extra)")
            #expect(unstarred.isEmpty == extra.contains("Every difference from the baseline is significant"))
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
