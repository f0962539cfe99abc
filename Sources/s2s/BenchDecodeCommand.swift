import ArgumentParser
import Foundation
import S2SBundle
import S2SDecode
import S2SModel
import S2SNumerics

/// `s2s bench decode`: the decoding benchmark of `torch_seq2seq.py bench-decode`, same flags,
/// same workload, one JSON line with the reference's keys.
///
/// A randomly initialized model; random sources of `--src-len` tokens (ids ≥ 4, all full
/// length); every sentence decodes exactly `--tgt-len` steps (`</s>` is forbidden until then,
/// i.e. minimum = maximum length). Greedy and beam `--beam` (reported under the reference's
/// `beam5` keys) at batch 1 over `--decode-sents` sentences and at batch 32 over
/// `--decode-sents / 32` batches, each after one untimed warm-up call.
///
/// With `--model DIR --src FILE` it times a trained model instead: the first sentences of FILE
/// (framed as `s2s translate` frames them), decoded until `</s>` with the usual length limit.
struct BenchDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decoding sentences/s (flags as torch_seq2seq.py bench-decode)."
    )

    @OptionGroup var modelSize: ReferenceModelSize
    @Option(help: "Accepted for flag compatibility with the reference (decoding uses batches of 1 and 32).") var batch = 64
    @Option(name: .customLong("tgt-len"), help: "Decoded tokens per sentence.") var tgtLen = 20
    @Option(help: "Engine threads (0 = default).") var threads = 0
    @Option(name: .customLong("decode-sents"), help: "Sentences per timing at batch 1 (batch 32 runs decode-sents/32 batches).")
    var decodeSents = 64
    @Option(help: "Beam size.") var beam = 5
    @Option(help: "GNMT length-normalization alpha.") var alpha: Float = 0.6
    @Option(help: "auto (bf16 where it measures faster on this CPU), fp32, bf16 or int8 (the decoder's per-step weights).")
    var precision: PrecisionChoice = .auto
    @Option var seed: UInt64 = 1
    @Option(help: "Only these runs (comma-separated from greedy_b1, beam_b1, greedy_b32, beam_b32).") var only: String?
    @Option(help: ArgumentHelp("A trained model (name or directory) to time instead of a random model (needs --src).", valueName: "name|dir"))
    var model: String?
    @Option(help: ArgumentHelp("Source sentences for --model, one per line.", valueName: "file")) var src: String?
    @Option(help: ArgumentHelp("A vocabulary shortlist for --model (`s2s model shortlist`).", valueName: "file")) var shortlist: String?

    func validate() throws {
        for (name, v) in [("--tgt-len", tgtLen), ("--decode-sents", decodeSents), ("--beam", beam)] where v <= 0 {
            throw ValidationError("\(name) must be positive, got \(v)")
        }
        if threads < 0 { throw ValidationError("--threads must not be negative, got \(threads)") }
        if (model == nil) != (src == nil) { throw ValidationError("--model and --src go together") }
        if shortlist != nil && model == nil { throw ValidationError("--shortlist needs --model") }
    }

    func run() throws {
        #if DEBUG
        FileHandle.standardError.write(Data("warning: debug build; measure with `swift build -c release`\n".utf8))
        #endif
        if threads > 0 { EngineThreads.set(threads) }
        let (plan, notice) = PrecisionPlan.resolve(precision)
        if let notice { FileHandle.standardError.write(Data((notice + "\n").utf8)) }
        var options = DecodeOptions()
        options.beamSize = beam
        options.alpha = alpha
        options.recordAttention = false
        let model: Seq2SeqModel
        var sentences: [[Int32]] = []
        if let dir = self.model, let src {
            do {
                let loaded = try ModelBundle.load(directory: try resolveModel(dir, command: "bench decode"))
                model = loaded.model
                let lines = try String(contentsOfFile: src, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                for line in lines.prefix(decodeSents + 32 * (max(1, decodeSents / 32) + 1)) where !Translator.isBlank(String(line)) {
                    sentences.append(SequenceFraming.source(try loaded.pipelines.source.encode(String(line)), maxLength: 250))
                }
            } catch let error as ModelBundleError {
                throw CommandFailure("bench decode", error.description)
            } catch {
                throw CommandFailure("bench decode", "\(src): \(error)")
            }
            guard !sentences.isEmpty else { throw CommandFailure("bench decode", "\(src) has no sentences") }
        } else {
            let config = modelSize.config()
            model = try Seq2SeqModel(config: config, seed: seed)
            options.minLength = tgtLen
            options.maxLengthRatio = 0
            options.maxLengthExtra = tgtLen
            options.maxLengthCap = tgtLen
        }
        model.plan = plan
        var list: Shortlist?
        if let shortlist {
            do {
                list = try Shortlist.read(path: shortlist, sourceVocabulary: model.config.sourceVocabulary,
                                          targetVocabulary: model.config.targetVocabulary)
            } catch { throw CommandFailure("bench decode", "\(error)") }
        }
        let stepModel = Seq2SeqStepModel(model: model, shortlist: list)
        let trained = !sentences.isEmpty
        let selected = only.map { Set($0.split(separator: ",").map(String.init)) }
        var rng = PCG32(seed: seed &+ 1)
        var result: [(String, String)] = [("mode", "\"bench-decode\""), ("decode_len", trained ? "null" : "\(tgtLen)")]
        var outputTokens = 0
        for (size, batches) in [(1, decodeSents), (32, max(1, decodeSents / 32))] {
            var next = 0
            let data = (0...batches).map { _ in
                (0..<size).map { _ -> [Int32] in
                    if trained {
                        defer { next += 1 }
                        return sentences[next % sentences.count]
                    }
                    return (0..<modelSize.srcLen).map { _ in Int32(4 + Int(rng.nextUInt32() % UInt32(modelSize.srcVocab - 4))) }
                }
            }
            for name in ["greedy", "beam"] {
                if let selected, !selected.contains("\(name)_b\(size)") { continue }
                var checked = 0, tokens = 0
                let run = { (sources: [[Int32]]) throws in
                    let lengths: [Int]
                    if name == "greedy" {
                        lengths = try GreedySearch(options: options).decode(stepModel, sources: sources).map(\.tokens.count)
                    } else {
                        lengths = try BeamSearch(options: options).decode(stepModel, sources: sources).map { $0[0].tokens.count }
                    }
                    checked += lengths.filter { $0 == tgtLen }.count
                    tokens += lengths.reduce(0, +)
                }
                try run(data[0])  // warm-up: primitives, packed weights, buffers
                tokens = 0
                let start = DispatchTime.now().uptimeNanoseconds
                for sources in data[1...] { try run(sources) }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                outputTokens += tokens
                guard trained || checked == size * (batches + 1) else {
                    throw ValidationError("bench decode: \(size * (batches + 1) - checked) outputs were not \(tgtLen) tokens long")
                }
                let key = name == "greedy" ? "greedy_b\(size)_sent_per_s" : "beam5_b\(size)_sent_per_s"
                result.append((key, String(format: "%.2f", Double(size * batches) / seconds)))
            }
        }
        if trained { result.append(("output_tokens", "\(outputTokens)")) }
        let config = model.config
        result += [precisionField(precision, plan), ("plan", "\"\(plan)\""), ("shortlist", list == nil ? "false" : "true"), ("beam", "\(beam)"), ("alpha", "\(alpha)"),
                   ("threads", "\(EngineThreads.current)"), ("params", "\(model.parameterCount)"),
                   ("emb", "\(config.embedding)"), ("hidden", "\(config.hidden)"), ("layers", "\(config.layers)"),
                   ("src_len", trained ? "null" : "\(modelSize.srcLen)"), ("tgt_len", trained ? "null" : "\(tgtLen)"),
                   ("src_vocab", "\(config.sourceVocabulary)"), ("tgt_vocab", "\(config.targetVocabulary)")]
        print("{" + result.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }
}
