import Foundation
import S2SBundle
import S2SCommandSupport
import Testing

/// End-to-end checks of `s2s translate` as a user runs it: the built binary in a child process,
/// a real model directory, bytes on stdin.
private let binary = repositoryRoot.appendingPathComponent(".build/debug/s2s").path

private struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

private func run(_ arguments: [String], stdin: [UInt8], directory: String? = nil) throws -> Run {
    let r = try S2SCommand.run(arguments, stdin: Data(stdin), directory: directory, environment: ["OMP_NUM_THREADS": "1"])
    return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
}

private func outputLines(_ s: String) -> [Substring] {
    var lines = s.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last == "" { lines.removeLast() }
    return lines
}

@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the built s2s binary (swift build)"))
struct TranslateCommandTests {
    /// The shipped model, trained before the encoder and decoder became parts of any cell, loads
    /// and translates exactly as the build that trained it did (Fixtures/README.md). In fp32, the
    /// arithmetic of those outputs: `auto` may take bf16 on this CPU, which can change a word.
    @Test(arguments: [(["--beam", "5"], "beam5"), (["--beam", "1"], "beam1"), (["--greedy"], "greedy")])
    func shippedModelTranslatesAsBefore(_ flags: [String], _ name: String) throws {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let source = try Data(contentsOf: fixtures.appendingPathComponent("shipped-default.en"))
        let expected = try String(contentsOf: fixtures.appendingPathComponent("shipped-default.\(name).de"), encoding: .utf8)
        let model = repositoryRoot.appendingPathComponent("models/default").path
        let r = try run(["translate", "--model", model, "--threads", "1", "--precision", "fp32"] + flags, stdin: Array(source))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(outputLines(r.stdout) == outputLines(expected))
    }

    @Test(arguments: [["--unbuffered"], ["--batch-size", "2", "--window", "3"], ["--greedy", "--format", "jsonl"]])
    func lineCountIsPreservedForEmptyBlankLongAndInvalidLines(_ extra: [String]) throws {
        let scratch = try Scratch()
        let bundle = try makeModelBundle(in: scratch.path)
        var input: [UInt8] = []
        let lines: [[UInt8]] = [
            Array("A man rides a bike.".utf8), [], Array("   ".utf8),
            Array(String(repeating: "The dogs are playing in the snow. ", count: 300).utf8),
            [0x41, 0x20, 0xFF, 0xFE, 0x20, 0x64, 0x6F, 0x67],          // "A ?? dog" with invalid bytes
            Array("\t".utf8), Array("Two children.\r".utf8), Array("no newline at the end".utf8),
        ]
        for (i, l) in lines.enumerated() {
            input += l
            if i < lines.count - 1 { input.append(10) }
        }
        let r = try run(["translate", "--model", bundle, "--beam", "2", "--max-len", "6"] + extra, stdin: input)
        #expect(r.status == 0, "\(r.stderr)")
        let out = outputLines(r.stdout)
        #expect(out.count == lines.count)
        if extra.contains("jsonl") {
            for (i, line) in out.enumerated() {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object?["line"] as? Int == i + 1)
            }
            #expect((try JSONSerialization.jsonObject(with: Data(out[1].utf8)) as? [String: Any])?["translation"] as? String == "")
        } else {
            #expect(out[1] == "" && out[2] == "" && out[5] == "")
            #expect(out[0] != "" && out[6] != "" && out[7] != "")
        }
        #expect(r.stderr.contains("line 5: invalid UTF-8"))
        #expect(r.stderr.contains("line 4:"))  // capped
    }

    @Test func corruptOrForeignModelFileIsOneClearErrorBeforeAnyOutput() throws {
        let scratch = try Scratch()
        let bundle = try makeModelBundle(in: scratch.path)
        let file = bundle + "/model.safetensors"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        for damaged in [bytes.prefix(bytes.count / 2), Data("not a model at all".utf8), bytes.prefix(5)] {
            try damaged.write(to: URL(fileURLWithPath: file))
            let r = try run(["translate", "--model", bundle], stdin: Array("A dog.\n".utf8))
            #expect(r.status != 0)
            #expect(r.stdout.isEmpty)
            let errorLines = r.stderr.split(separator: "\n")
            #expect(errorLines.count == 1, "\(r.stderr)")
            #expect(r.stderr.contains("model.safetensors"))
        }
    }

    @Test func unbufferedAnswersEachLineBeforeTheNextArrives() throws {
        let scratch = try Scratch()
        let bundle = try makeModelBundle(in: scratch.path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["translate", "--model", bundle, "--unbuffered", "--beam", "2", "--max-len", "4"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var received = Data()
        // Stdin stays open: an answer can only come from per-line flushing.
        for (i, line) in ["A dog runs.", "", "Two men talk."].enumerated() {
            input.fileHandleForWriting.write(Data((line + "\n").utf8))
            let deadline = Date().addingTimeInterval(30)
            while received.filter({ $0 == 10 }).count < i + 1 && Date() < deadline {
                received.append(output.fileHandleForReading.availableData)
            }
            #expect(received.filter { $0 == 10 }.count == i + 1, "no answer to line \(i + 1) while stdin is open")
        }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func evaluateTranslatesASplitAndScoresItLikeHypRef() throws {
        let scratch = try Scratch()
        let bundle = try makeModelBundle(in: scratch.path)
        let corpus = repositoryRoot.appendingPathComponent("corpora/multi30k")
        let src = scratch.path + "/v.en", tgt = scratch.path + "/v.de", db = scratch.path + "/c.sqlite"
        for (from, to) in [("val.en", src), ("val.de", tgt)] {
            let lines = try String(contentsOf: corpus.appendingPathComponent(from), encoding: .utf8).split(separator: "\n").prefix(12)
            try (lines.joined(separator: "\n") + "\n").write(toFile: to, atomically: true, encoding: .utf8)
        }
        let imported = try run(["corpus", "import", "t", "--db", db, "--src", src, "--tgt", tgt, "--src-lang", "en",
                                "--tgt-lang", "de", "--split", "test"], stdin: [])
        #expect(imported.status == 0, "\(imported.stderr)")
        let hyp = scratch.path + "/hyp.de"
        let decoded = try run(["evaluate", "--model", bundle, "--db", db, "--corpus", "t", "--split", "test", "--beam", "2",
                               "--max-len", "8", "--save-hyp", hyp], stdin: [])
        #expect(decoded.status == 0, "\(decoded.stderr)")
        #expect(decoded.stdout.contains("BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 = "))
        let scored = try run(["evaluate", "--hyp", hyp, "--ref", tgt], stdin: [])
        #expect(scored.stdout == decoded.stdout)
        #expect(try String(contentsOfFile: hyp, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).count == 13)
    }

    /// `s2s model shortlist` then `translate --shortlist`: a line-count mismatch and a shortlist
    /// of another model are one-line errors naming the file; a fitting one translates every line.
    @Test func shortlistIsLearnedCheckedAndUsed() throws {
        let scratch = try Scratch()
        let bundle = try makeModelBundle(in: scratch.path)
        let corpus = repositoryRoot.appendingPathComponent("corpora/multi30k")
        let src = scratch.path + "/t.en", tgt = scratch.path + "/t.de", short = scratch.path + "/short.de"
        var pairs: [String] = []
        for (from, to, count) in [("train.en", src, 200), ("train.de", tgt, 200), ("train.de", short, 199)] {
            let lines = try String(contentsOf: corpus.appendingPathComponent(from), encoding: .utf8).split(separator: "\n").prefix(count)
            try (lines.joined(separator: "\n") + "\n").write(toFile: to, atomically: true, encoding: .utf8)
            if to == src { pairs = lines.prefix(5).map(String.init) }
        }
        let mismatched = try run(["model", "shortlist", bundle, "--src", src, "--tgt", short], stdin: [])
        #expect(mismatched.status != 0)
        #expect(mismatched.stderr.contains("\(src) has 200 lines, \(short) has 199"), "\(mismatched.stderr)")
        let learned = try run(["model", "shortlist", bundle, "--src", src, "--tgt", tgt, "--frequent", "20", "--per-source", "5"], stdin: [])
        #expect(learned.status == 0, "\(learned.stderr)")
        let list = bundle + "/shortlist.txt"
        #expect(FileManager.default.fileExists(atPath: list))
        let input = Array((pairs.joined(separator: "\n") + "\n").utf8)
        let r = try run(["translate", "--model", bundle, "--beam", "2", "--max-len", "6", "--shortlist", list], stdin: input)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(outputLines(r.stdout).count == 5)
        // Beside the model, the shortlist is the default; `none` turns it off.
        let byDefault = try run(["translate", "--model", bundle, "--beam", "2", "--max-len", "6"], stdin: input)
        #expect(byDefault.status == 0 && byDefault.stdout == r.stdout, "\(byDefault.stderr)")
        let whole = try run(["translate", "--model", bundle, "--beam", "2", "--max-len", "6", "--shortlist", "none"], stdin: input)
        #expect(whole.status == 0 && outputLines(whole.stdout).count == 5, "\(whole.stderr)")
        let shipped = repositoryRoot.appendingPathComponent("models/default").path
        let wrong = try run(["translate", "--model", shipped, "--shortlist", list], stdin: input)
        #expect(wrong.status != 0 && wrong.stdout.isEmpty)
        #expect(wrong.stderr.contains("\(list):1: made for another vocabulary"), "\(wrong.stderr)")
    }

    @Test func missingDefaultModelSaysWhereItLooked() throws {
        let scratch = try Scratch()
        let r = try run(["translate"], stdin: Array("A dog.\n".utf8), directory: scratch.path)
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("no model named 'default'"))
    }
}
