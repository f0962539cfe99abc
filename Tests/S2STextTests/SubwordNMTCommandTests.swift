import Foundation
import Testing
@testable import S2SText

/// The subword-nmt commands end to end (the built binary): line ends carried through
/// `tokenize --whitespace`, learning from stdin to stdout, one-line errors.
private let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent(".build/debug/s2s").path

@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the built s2s binary (swift build)"))
struct SubwordNMTCommandTests {
    /// Runs s2s with stdin read from `input` (a scratch file); stdout, stderr, status.
    static func s2s(_ arguments: [String], input: String) throws -> (out: String, err: String, status: Int32) {
        let stdinPath = try SubwordNMTOptionTests.scratchFile(input, "stdin")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdinPath))
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self), process.terminationStatus)
    }

    @Test func everyApplyCaseThroughTheCommand() throws {
        let e = try #require(SubwordNMTOptionTests.expected)
        for c in e.apply {
            var arguments = ["tokenize", "--whitespace", "--codes", try SubwordNMTOptionTests.scratchFile(c.codes, "codes"),
                             "--separator", c.options.separator]
            if !c.options.glossaries.isEmpty { arguments += ["--glossaries"] + c.options.glossaries }
            if let v = c.options.vocabulary { arguments += ["--vocabulary", try SubwordNMTOptionTests.scratchFile(v, "vocab")] }
            if let t = c.options.vocabulary_threshold { arguments += ["--vocabulary-threshold", "\(t)"] }
            let run = try Self.s2s(arguments, input: c.input)
            #expect(run.status == 0, "\(c.name): \(run.err)")
            #expect(run.out == c.output, "\(c.name)")
        }
    }

    @Test func everyLearnCaseFromStdinToStdout() throws {
        let e = try #require(SubwordNMTOptionTests.expected)
        for c in e.learn {
            var arguments = ["vocab", "learn-bpe", "-s", "\(c.symbols)", "--min-frequency", "\(c.min_frequency)"]
            if c.dict_input { arguments.append("--dict-input") }
            if c.total_symbols { arguments.append("--total-symbols") }
            let run = try Self.s2s(arguments, input: c.input)
            #expect(run.status == 0, "\(c.name): \(run.err)")
            #expect(run.out == c.codes, "\(c.name)")
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
            let run = try Self.s2s(arguments, input: "one two\n")
            #expect(run.status != 0 && run.out.isEmpty, "\(arguments)")
            // The first line says what is wrong (ArgumentParser adds its usage hint below).
            #expect(run.err.split(separator: "\n").first?.contains(mention) == true, "\(arguments): \(run.err)")
        }
    }
}
