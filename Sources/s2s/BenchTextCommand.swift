import ArgumentParser
import Foundation
import S2SText

struct BenchTextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Tokenizer + BPE throughput in tokens/s.",
        discussion: """
        Times, on one thread, (1) learning --merges joint BPE merges over --input and --learn-tgt, \
        (2) tokenize+BPE of every line of --input into pieces, and (3) the full line → ids path, \
        alternating run by run with sacremoses + subword-nmt apply_bpe on the same lines \
        (scripts/bench_text.py, in the Python given by --python). Reports medians and ratios. \
        Build with -c release.
        """
    )

    @Option(help: "Text to tokenize (one sentence per line; default: the bundled Multi30k, run from the repository root).")
    var input = "corpora/multi30k/train.en"
    @Option(help: "Language of --input.")
    var lang = "en"
    @Option(help: "Second side for the joint-learning timing.")
    var learnTgt = "corpora/multi30k/train.de"
    @Option(help: "Language of --learn-tgt.")
    var learnTgtLang = "de"
    @Option(help: "BPE merges (both sides learn this many).")
    var merges = 8000
    @Option(help: "Timed runs of each program (medians are reported).")
    var runs = 5
    @Option(help: "Python with sacremoses and subword-nmt (default: $S2S_BENCH_VENV/bin/python, else the repository's .build/bench-venv/bin/python made by `make bench-env`).")
    var python: String?
    @Option(help: "The peer script.")
    var script = "scripts/bench_text.py"
    @Option(help: "Where the peer's codes are cached (learned on first use).")
    var peerCodes: String?
    @Flag(help: "Skip the Python peer.")
    var noPeer = false

    func run() throws {
        let lines = try LineReader(path: input).readAll()
        let targetLines = try LineReader(path: learnTgt).readAll()
        guard !lines.isEmpty else { throw TextError.emptyInput(file: input) }
        let settings = TokenizerSettings(language: lang)
        let options = VocabularyBuildOptions(source: settings, target: TokenizerSettings(language: learnTgtLang),
                                             merges: merges, joint: true, minCount: 1)
        TextStderr.write("bench text: \(lines.count) lines of \(input); load \(loadAverage())\n")

        // (1) Learning: token counting once, then the learner alone, timed.
        let builder = try VocabularyBuilder(options: options)
        for (s, t) in zip(lines, targetLines) { try builder.add(source: s, target: t) }
        var both = builder.tokenCounts(.source)
        for (token, n) in builder.tokenCounts(.target) { both[token, default: 0] += n }
        var learnTimes: [Double] = []
        var codes = BPECodes(merges: [])
        for _ in 0..<max(1, min(runs, 3)) {
            let t0 = TextClock.now()
            codes = BPELearner.learn(counts: both, merges: merges)
            learnTimes.append(TextClock.now() - t0)
        }
        let built = builder.finish()

        // (2) and (3), alternating with the peer.
        var piecesTimes: [Double] = [], encodeTimes: [Double] = [], peerTimes: [Double] = []
        var pieceCount = 0, idCount = 0, peerPieces = 0
        let peer = noPeer ? nil : try peerCommand()
        for run in 0..<runs {
            do {
                let pipeline = TextPipeline(tokenizer: try Tokenizer(settings), bpe: BPE(codes: codes), vocabulary: built.sourceVocabulary)
                let t0 = TextClock.now()
                var n = 0
                for line in lines { n += try pipeline.pieces(line).count }
                piecesTimes.append(TextClock.now() - t0)
                pieceCount = n
            }
            do {
                let pipeline = TextPipeline(tokenizer: try Tokenizer(settings), bpe: BPE(codes: codes), vocabulary: built.sourceVocabulary)
                let t0 = TextClock.now()
                var n = 0
                for line in lines { n += try pipeline.encode(line).count }
                encodeTimes.append(TextClock.now() - t0)
                idCount = n
            }
            if let peer {
                let result = try runPeer(peer)
                peerTimes.append(result.seconds)
                peerPieces = result.pieces
            }
            TextStderr.write("  run \(run + 1)/\(runs) done\n")
        }

        let learn = median(learnTimes)
        var report = """
        bench text (one thread, \(lines.count) lines of \(input)), medians of \(runs) runs, load \(loadAverage()):
          BPE learning, \(codes.merges.count) joint merges over \(lang)+\(learnTgtLang) (\(both.count) token types): \(TextClock.format(learn)) s
          s2s tokenize+BPE → pieces:  \(TextClock.format(median(piecesTimes))) s \(spread(piecesTimes)), \(pieceCount) pieces, \(rate(pieceCount, median(piecesTimes))) pieces/s
          s2s line → ids (pipeline):  \(TextClock.format(median(encodeTimes))) s \(spread(encodeTimes)), \(idCount) ids, \(rate(idCount, median(encodeTimes))) ids/s

        """
        if !peerTimes.isEmpty {
            let p = median(peerTimes)
            report += """
              sacremoses + subword-nmt:   \(TextClock.format(p)) s \(spread(peerTimes)), \(peerPieces) pieces, \(rate(peerPieces, p)) pieces/s
              ratio (tokens/s, s2s pieces / peer): \(ratio(Double(pieceCount) / median(piecesTimes), Double(peerPieces) / p))x; \
            (same text, time): \(ratio(p, median(piecesTimes)))x; ids path: \(ratio(Double(idCount) / median(encodeTimes), Double(peerPieces) / p))x

            """
        }
        print(report, terminator: "")
    }

    private func peerCommand() throws -> (python: String, arguments: [String]) {
        let env = ProcessInfo.processInfo.environment
        // The repository's own venv (bench/requirements.txt), relative like --script: run from the root.
        let python = self.python ?? "\(env["S2S_BENCH_VENV"] ?? ".build/bench-venv")/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ValidationError("no Python at \(python): run `make bench-env` in the repository root (a venv from bench/requirements.txt), pass --python, or --no-peer")
        }
        guard FileManager.default.fileExists(atPath: script) else { throw ValidationError("peer script \(script) not found (run from the repository root)") }
        let codes = peerCodes ?? NSTemporaryDirectory() + "s2s-bench-text-\((input as NSString).lastPathComponent)-\(merges).codes"
        if !FileManager.default.fileExists(atPath: codes) {
            TextStderr.write("  learning the peer's codes once (subword-nmt, \(merges) merges) → \(codes)\n")
        }
        return (python, [script, "--input", input, "--lang", lang, "--codes", codes, "--merges", String(merges), "--runs", "1"])
    }

    private func runPeer(_ peer: (python: String, arguments: [String])) throws -> (seconds: Double, pieces: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: peer.python)
        process.arguments = peer.arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let line = String(data: data, encoding: .utf8)?.split(separator: "\n").last,
              let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let seconds = json["seconds"] as? Double, let pieces = json["pieces"] as? Int else {
            throw ValidationError("peer script failed (exit \(process.terminationStatus))")
        }
        return (seconds, pieces)
    }

    private func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// "(min–max)" of the runs.
    private func spread(_ xs: [Double]) -> String {
        "(\(TextClock.format(xs.min() ?? .nan))–\(TextClock.format(xs.max() ?? .nan)))"
    }

    private func rate(_ n: Int, _ seconds: Double) -> String {
        String(Int((Double(n) / seconds).rounded()))
    }

    private func ratio(_ a: Double, _ b: Double) -> String {
        String(Double(Int((a / b * 10).rounded())) / 10)
    }

    private func loadAverage() -> String {
        var loads = [Double](repeating: 0, count: 3)
        guard getloadavg(&loads, 3) == 3 else { return "?" }
        return loads.map { String(Double(Int($0 * 100)) / 100) }.joined(separator: " ")
    }
}
