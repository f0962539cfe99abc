import Foundation
import S2SCommandSupport
import Testing
@testable import S2SText

/// The subword-nmt commands end to end (the built binary): line ends carried through
/// `tokenize --whitespace`, learning from stdin to stdout, one-line errors.
@Suite(.enabled(if: S2SCommand.isBuilt, "needs the built s2s binary (swift build)"))
struct SubwordNMTCommandTests {
    @Test func everyApplyCaseThroughTheCommand() throws {
        let e = try #require(SubwordNMTOptionTests.expected)
        for c in e.apply {
            var arguments = ["tokenize", "--whitespace", "--codes", try SubwordNMTOptionTests.scratchFile(c.codes, "codes"),
                             "--separator", c.options.separator]
            if !c.options.glossaries.isEmpty { arguments += ["--glossaries"] + c.options.glossaries }
            if let v = c.options.vocabulary { arguments += ["--vocabulary", try SubwordNMTOptionTests.scratchFile(v, "vocab")] }
            if let t = c.options.vocabulary_threshold { arguments += ["--vocabulary-threshold", "\(t)"] }
            let run = try S2SCommand.run(arguments, stdin: Data(c.input.utf8))
            #expect(run.status == 0, "\(c.name): \(run.stderr)")
            #expect(run.stdout == c.output, "\(c.name)")
        }
    }

    @Test func everyLearnCaseFromStdinToStdout() throws {
        let e = try #require(SubwordNMTOptionTests.expected)
        for c in e.learn {
            var arguments = ["vocab", "learn-bpe", "-s", "\(c.symbols)", "--min-frequency", "\(c.min_frequency)"]
            if c.dict_input { arguments.append("--dict-input") }
            if c.total_symbols { arguments.append("--total-symbols") }
            let run = try S2SCommand.run(arguments, stdin: Data(c.input.utf8))
            #expect(run.status == 0, "\(c.name): \(run.stderr)")
            #expect(run.stdout == c.codes, "\(c.name)")
        }
    }

    @Test func badOptionsFailWithOneLine() throws {
        let codes = try SubwordNMTOptionTests.scratchFile("#version: 0.2\na b\n", "codes")
        let cases: [([String], String)] = [
            (["tokenize", "--whitespace", "--codes", codes, "--glossaries", "(x"], "--glossaries"),
            (["tokenize", "--codes", codes, "--vocabulary-threshold", "2"], "--whitespace"),
            (["vocab", "learn-bpe", "--dict-input"], "<stdin>:1"),
        ]
        for (arguments, mention) in cases {
            let run = try S2SCommand.run(arguments, stdin: Data("one two\n".utf8))
            #expect(run.status != 0 && run.stdout.isEmpty, "\(arguments)")
            // The first line says what is wrong (ArgumentParser adds its usage hint below).
            #expect(run.stderr.split(separator: "\n").first?.contains(mention) == true, "\(arguments): \(run.stderr)")
        }
    }
}
