import Foundation
import Testing

/// `s2s train --config FILE` and `s2s model info --config`: a run's configuration written back
/// out trains the same configuration again, byte for byte.
@Suite(.serialized)
struct ConfigFileCommandTests {
    private func s2s(_ arguments: [String], in scratch: ScratchDirectory) throws -> CommandRun {
        try #require(FileManager.default.isExecutableFile(atPath: builtBinary), "build s2s first (swift build)")
        return try CommandRun(builtBinary, arguments, environment: cleanEnvironment(home: scratch.path + "/home"),
                              directory: try scratch.directory("work"))
    }

    /// A small corpus (300 Multi30k train pairs, 40 valid) and a joint vocabulary in `work/`.
    private func prepare(_ scratch: ScratchDirectory) throws {
        let work = try scratch.directory("work")
        try writeMulti30kSlices(to: work, [("train", 300), ("val", 40)])
        for arguments in [
            ["corpus", "import", "t", "--db", "c.sqlite", "--src", "train.en", "--tgt", "train.de", "--src-lang", "en", "--tgt-lang", "de",
             "--split", "train"],
            ["corpus", "import", "t", "--db", "c.sqlite", "--append", "--src", "val.en", "--tgt", "val.de", "--src-lang", "en",
             "--tgt-lang", "de", "--split", "valid"],
            ["vocab", "build", "--db", "c.sqlite", "--corpus", "t", "--joint", "--merges", "100", "--out", "voc"],
        ] {
            let r = try s2s(arguments, in: scratch)
            try #require(r.status == 0, "\(arguments): \(r.stderr)")
        }
    }

    @Test func aConfigWrittenBackOutTrainsTheSameConfiguration() throws {
        let scratch = try ScratchDirectory()
        try prepare(scratch)
        let work = scratch.path + "/work"
        // A file with data options, a few model and optimizer settings in the flags' words; a
        // flag (--max-steps) overrides the file's value.
        let first = """
            {"db": "c.sqlite", "corpus": "t", "vocab": "voc", "emb": 8, "hidden": 8, "enc-cell": "gru",
             "dec-cell": "lstm", "attention": "general", "lr": 0.002, "lr-schedule": "constant",
             "ss-schedule": "linear", "ss-k": 0.9, "max-steps": 50, "valid-every": 2, "best-metric": "loss",
             "dropout-rec": 0.25}
            """
        try first.write(toFile: work + "/first.json", atomically: true, encoding: .utf8)
        let trained = try s2s(["train", "--config", "first.json", "--out", "./a", "--max-steps", "2"], in: scratch)
        try #require(trained.status == 0, "\(trained.stderr)")
        // An fp32 run names the kernel of large weight gradients (the test environment fixes the probe at 1.00).
        if trained.stderr.contains("precision: fp32") {
            #expect(trained.stderr.contains("kernels: large fp32 weight gradients by the matmul primitive (sgemm 1.00×)\n"), "\(trained.stderr)")
        }
        let written = try s2s(["model", "info", "--config", "./a"], in: scratch)
        try #require(written.status == 0, "\(written.stderr)")
        let config = written.stdout
        // The file's settings and the overriding flag are in the written configuration.
        for expected in [#""enc-cell" : "gru""#, #""dec-cell" : "lstm""#, #""attention" : "general""#, #""lr" : 0.002"#,
                         #""lr-schedule" : "constant""#, #""ss-schedule" : "linear""#, #""ss-k" : 0.9"#, #""max-steps" : 2"#,
                         #""best-metric" : "loss""#, #""emb" : 8"#, #""corpus" : "t""#, #""dropout-rec" : 0.25"#] {
            #expect(config.contains(expected), "\(expected) missing from\n\(config)")
        }
        // Trained again from the written file alone, the model's configuration is the same file.
        try config.write(toFile: work + "/second.json", atomically: true, encoding: .utf8)
        let again = try s2s(["train", "--config", "second.json", "--db", "c.sqlite", "--vocab", "voc", "--out", "./b"], in: scratch)
        try #require(again.status == 0, "\(again.stderr)")
        let rewritten = try s2s(["model", "info", "--config", "./b"], in: scratch)
        #expect(rewritten.status == 0, "\(rewritten.stderr)")
        #expect(rewritten.stdout == config)
    }

    @Test func aBadConfigFileIsOneLineNamingTheFileAndKey() throws {
        let scratch = try ScratchDirectory()
        let work = try scratch.directory("work")
        for (text, expected) in [
            (#"{"corpus": "t", "vocab": "v", "out": "o", "enc-cells": "gru"}"#, "bad.json: 'enc-cells' is not an option of s2s train"),
            (#"{"corpus": "t", "vocab": "v", "out": "o", "emb": "big"}"#, "bad.json: 'emb' must be a whole number"),
            (#"{"corpus": "t", "vocab": "v", "out": "o", "optimizer": "adagrad"}"#, "bad.json: 'optimizer' must be one of adam, sgd, got 'adagrad'"),
        ] {
            try text.write(toFile: work + "/bad.json", atomically: true, encoding: .utf8)
            let r = try s2s(["train", "--config", "bad.json"], in: scratch)
            #expect(r.status != 0)
            #expect(r.stderr.contains(expected), "\(r.stderr)")
        }
    }

    /// `--bpe-dropout P`: in the help, refused outside [0, 1) with one line, from the flag or the file.
    @Test func bpeDropoutIsDocumentedAndCheckedFromFlagAndFile() throws {
        let scratch = try ScratchDirectory()
        let help = try s2s(["train", "--help"], in: scratch)
        #expect(help.status == 0)
        #expect(help.stdout.contains("--bpe-dropout") && help.stdout.contains("--dropout-symbols"), "\(help.stdout)")

        let common = ["train", "--corpus", "t", "--vocab", "v", "--out", "o"]
        for value in ["1", "-0.5", "nan"] {
            let r = try s2s(common + ["--bpe-dropout=\(value)"], in: scratch)
            #expect(r.status != 0)
            #expect(r.stderr.contains("--bpe-dropout must be a probability in [0, 1), got"), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
        try #"{"corpus": "t", "vocab": "v", "out": "o", "bpe-dropout": 1.5}"#
            .write(toFile: try scratch.directory("work") + "/bad.json", atomically: true, encoding: .utf8)
        let file = try s2s(["train", "--config", "bad.json"], in: scratch)
        #expect(file.status != 0)
        #expect(file.stderr.contains("--bpe-dropout must be a probability in [0, 1), got 1.5"), "\(file.stderr)")
    }
}
