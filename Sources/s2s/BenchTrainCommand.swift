import ArgumentParser
import Foundation
import S2SBenchmarks
import S2SDistributed
import S2SEval
import S2SLayers
import S2SModel
import S2SNumerics
import S2SText
import S2STraining

/// `s2s bench train`: the training-step benchmark of `torch_seq2seq.py bench-train`, same flags,
/// same workload (random tokens, every sentence full length, scheduled sampling with k = 1000,
/// Adam, clipping at 1.0), one JSON line with the reference's keys.
///
/// With `--train-src/--train-tgt/--valid-src/--valid-tgt` it trains on real text instead
/// (whitespace tokens as the reference's `train-text`) for `--warmup + --steps` steps and adds the
/// validation loss: the check that bf16 GEMMs train as well as fp32 (equal steps, equal seeds).
///
/// Under `mpirun -np N` (random tokens only) `--batch` is the global batch: each rank computes
/// the gradient of every N-th sentence, the gradients are summed as in `s2s train`, and rank 0
/// adds the ranks, the allreduce's bytes and milliseconds per step and the compute time to the line.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training steps/s and target tokens/s (flags as torch_seq2seq.py bench-train)."
    )

    @OptionGroup var modelSize: ReferenceModelSize
    @Option var batch = 64
    @Option(name: .customLong("tgt-len")) var tgtLen = 20
    @Option(help: "Engine threads (0 = default).") var threads = 0
    @Option(help: "Timed steps.") var steps = 10
    @Option(help: "Untimed warm-up steps.") var warmup = 3
    @Option(help: "auto (bf16 where it measures faster on this CPU), fp32 or bf16.") var precision: PrecisionChoice = .auto
    @Option var lr: Float = 1e-3
    @Option(name: .customLong("ss-k"), help: "Scheduled sampling k (0 = teacher forcing).") var ssK: Double = 1000
    @Option var seed: UInt64 = 1
    @Flag(help: "Print milliseconds per phase of a step (mean over timed steps) to stderr.") var profile = false
    @Flag(name: .customLong("cpu-time"), help: "Profile in process CPU time instead of wall time.") var cpuTime = false
    @Option(name: .customLong("train-src"), help: "Train on this text (one sentence per line) instead of random tokens.")
    var trainSrc: String?
    @Option(name: .customLong("train-tgt")) var trainTgt: String?
    @Option(name: .customLong("valid-src"), help: "Validation text for the loss reported after training.")
    var validSrc: String?
    @Option(name: .customLong("valid-tgt")) var validTgt: String?
    @Option(help: "Under MPI: none, bf16 or fp16 gradients in the allreduce.") var gradientCompression = GradientCompression.none
    @Flag(help: "Under MPI: sum all gradients after the backward pass, none during it.") var noOverlap = false

    func validate() throws {
        for (name, v) in [("--batch", batch), ("--tgt-len", tgtLen), ("--steps", steps)] where v <= 0 {
            throw ValidationError("\(name) must be positive, got \(v)")
        }
        if threads < 0 || warmup < 0 { throw ValidationError("negative thread or warm-up count") }
        if precision == .int8 { throw ValidationError("--precision int8 is for decoding only; bench train takes auto, fp32 or bf16") }
        let text = [trainSrc, trainTgt, validSrc, validTgt]
        if text.contains(where: { $0 != nil }) && text.contains(where: { $0 == nil }) {
            throw ValidationError("--train-src, --train-tgt, --valid-src and --valid-tgt go together")
        }
    }

    func run() throws {
        let mpi = MPICommunicator.launchedByMPI ? try MPICommunicator(timeout: 600) : nil
        defer { mpi?.finalize() }
        let communicator: any Communicator = mpi ?? LocalCommunicator()
        if communicator.size > 1 && trainSrc != nil { throw ValidationError("bench train under MPI runs on random tokens only") }
        if communicator.size > batch { throw ValidationError("--batch \(batch) is smaller than the \(communicator.size) ranks") }
        if threads > 0 { EngineThreads.set(threads) }
        var (plan, notice) = PrecisionPlan.resolve(precision)
        plan.resolveWeightGradientKernel()
        if let notice { FileHandle.standardError.write(Data((notice + "\n").utf8)) }
        var rng = PCG32(seed: seed &+ 1)
        let corpus: TextCorpus?
        do {
            corpus = try trainSrc.map { try TextCorpus(trainSource: $0, trainTarget: trainTgt!, validSource: validSrc!, validTarget: validTgt!) }
        } catch {
            FileHandle.standardError.write(Data("s2s bench train: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let config = modelSize.config(sourceVocabulary: corpus?.sourceVocabulary.count,
                                 targetVocabulary: corpus?.targetVocabulary.count)
        let model = try Seq2SeqModel(config: config, seed: seed)
        model.plan = plan
        let optimizer = Adam()
        let batches = try corpus.map { try $0.trainingBatches(count: warmup + steps, size: batch, rng: &rng) }
            ?? (0..<(warmup + steps)).map { _ in try randomBatch(&rng) }
        var timedTokens = 0
        let gradients = GradientAllreduce(model.parameters, first: model.parametersFinishedFirst)
        gradients.overlap = !noOverlap
        let mine = Array(stride(from: communicator.rank, to: batch, by: communicator.size))
        var reduceTimes: [Double] = [], computeTimes: [Double] = []
        model.profile.enabled = profile
        model.profile.cpuTime = cpuTime
        var times: [Double] = []
        var lastLoss = 0.0
        for (i, b) in batches.enumerated() {
            let start = DispatchTime.now().uptimeNanoseconds
            model.profile.start()
            model.parameters.zeroGrad()
            model.profile.lap("zero grad")
            // This rank's rows, normalized by the global token count (as `s2s train` does).
            let share = communicator.size > 1 ? try rows(mine, of: b) : b
            var stepRNG = PCG32(seed: seed &+ UInt64(i))
            let r = try model.forwardBackward(share, options: TrainingStepOptions(goldProbability: goldProbability(step: i),
                                                                                  gradientNormalizer: b.targetTokenCount),
                                              random: SentenceRandom(count: share.size, drawingFrom: &stepRNG),
                                              observer: gradients.observer(for: communicator, compression: gradientCompression))
            let computed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            try gradients.reduce(over: communicator, compression: gradientCompression)
            model.profile.lap("allreduce")
            GradientClipping.clipGlobalNorm(model.parameters, maxNorm: 1)
            model.profile.lap("clip")
            optimizer.step(model.parameters, lr: lr)
            model.profile.lap("adam")
            if i < warmup { model.profile.reset() }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if i >= warmup {
                times.append(seconds)
                computeTimes.append(computed)
                reduceTimes.append(gradients.lastSeconds)
                timedTokens += b.targetTokenCount
            }
            lastLoss = r.meanLoss
        }
        guard communicator.rank == 0 else { return }
        if profile {
            let total = model.profile.phases.reduce(0) { $0 + $1.milliseconds }
            for (name, ms) in model.profile.phases {
                let line = "\(name.padding(toLength: 26, withPad: " ", startingAt: 0)) \(fmt(ms / Double(steps))) ms  \(fmt(100 * ms / total))%"
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        }
        let sorted = times.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        let mean = times.reduce(0, +) / Double(times.count)
        let flops = Seq2SeqFlops.trainingStep(config: config, batch: batch, sourceLength: modelSize.srcLen, targetLength: tgtLen)
        if let corpus {
            let valid = try corpus.validationLoss(model, batchSize: batch)
            let text: [(String, String)] = [
                ("mode", "\"bench-train-text\""), precisionField(precision, plan), ("plan", "\"\(plan)\""),
                ("ms_per_step", fmt(median * 1e3)), ("tgt_tokens_per_s", fmt(Double(timedTokens) / times.reduce(0, +))),
                ("valid_loss", fmt(valid, digits: 4)), ("last_loss", fmt(lastLoss, digits: 4)),
                ("steps", "\(warmup + steps)"), ("peak_rss_mb", fmt(peakRSSMegabytes())), ("threads", "\(EngineThreads.current)"),
                ("src_vocab", "\(config.sourceVocabulary)"), ("tgt_vocab", "\(config.targetVocabulary)"),
                ("train_pairs", "\(corpus.train.count)"), ("valid_pairs", "\(corpus.valid.count)"),
            ]
            print("{" + text.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
            return
        }
        let result: [(String, String)] = [
            ("mode", "\"bench-train\""), precisionField(precision, plan), ("plan", "\"\(plan)\""),
            ("ms_per_step", fmt(median * 1e3)), ("tgt_tokens_per_s", fmt(Double(batch * tgtLen) / median)),
            ("gflops", fmt(flops / median / 1e9)), ("gflop_per_step", fmt(flops / 1e9, digits: 2)),
            ("peak_rss_mb", fmt(peakRSSMegabytes())), ("ms_per_step_mean", fmt(mean * 1e3)),
            ("last_loss", fmt(lastLoss, digits: 3)), ("threads", "\(EngineThreads.current)"),
            ("params", "\(model.parameterCount)"), ("emb", "\(modelSize.emb)"), ("hidden", "\(modelSize.hidden)"), ("layers", "\(modelSize.layers)"),
            ("batch", "\(batch)"), ("src_len", "\(modelSize.srcLen)"), ("tgt_len", "\(tgtLen)"), ("src_vocab", "\(modelSize.srcVocab)"),
            ("tgt_vocab", "\(modelSize.tgtVocab)"), ("ranks", "\(communicator.size)"),
            ("compute_ms", fmt(Stopwatch.median(computeTimes) * 1e3)), ("allreduce_ms", fmt(Stopwatch.median(reduceTimes) * 1e3, digits: 2)),
            ("allreduce_mb", fmt(Double(gradients.lastBytes) / 1e6, digits: 2)), ("allreduce_calls", "\(communicator.size > 1 ? gradients.bucketCount : 0)"),
            ("compression", "\"\(gradientCompression.rawValue)\""), ("overlap", "\(!noOverlap && communicator.size > 1 && gradientCompression == .none)"),
        ]
        print("{" + result.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }

    /// The sentences `indices` of a full-length random batch.
    private func rows(_ indices: [Int], of b: Seq2SeqBatch) throws -> Seq2SeqBatch {
        let S = b.sourceLength, T = b.targetLength
        return try Seq2SeqBatch(size: indices.count, sourceLength: S, targetLength: T,
                                source: indices.flatMap { b.source[$0 * S..<($0 + 1) * S] },
                                sourceLengths: indices.map { b.sourceLengths[$0] },
                                targetInput: indices.flatMap { b.targetInput[$0 * T..<($0 + 1) * T] },
                                targetOutput: indices.flatMap { b.targetOutput[$0 * T..<($0 + 1) * T] })
    }

    /// The reference's inverse-sigmoid schedule: gold with probability k / (k + exp(i/k)).
    private func goldProbability(step: Int) -> Float {
        guard ssK > 0 else { return 1 }
        return Float(ssK / (ssK + exp(min(Double(step) / ssK, 700))))
    }

    /// Random tokens (ids ≥ 4), every sentence full length, as `rand_batch` in the reference.
    private func randomBatch(_ rng: inout PCG32) throws -> Seq2SeqBatch {
        let src = (0..<batch * modelSize.srcLen).map { _ in Int32(4 + Int(rng.nextUInt32() % UInt32(modelSize.srcVocab - 4))) }
        let y = (0..<batch * tgtLen).map { _ in Int32(4 + Int(rng.nextUInt32() % UInt32(modelSize.tgtVocab - 4))) }
        var tin = [Int32](repeating: SpecialTokens.bos, count: batch * tgtLen)
        for b in 0..<batch { for t in 1..<tgtLen { tin[b * tgtLen + t] = y[b * tgtLen + t - 1] } }
        return try Seq2SeqBatch(size: batch, sourceLength: modelSize.srcLen, targetLength: tgtLen, source: src,
                                sourceLengths: [Int32](repeating: Int32(modelSize.srcLen), count: batch), targetInput: tin, targetOutput: y)
    }

    private func fmt(_ x: Double, digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }
}

/// Peak resident set size of this process in MB (`ru_maxrss`, KB on Linux).
func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Whitespace-tokenized parallel text for `bench train --train-src ...`, prepared as the
/// reference's `train-text` does: vocabularies from the training side (count ≥ 2, specials first,
/// then by frequency), pairs longer than 50 tokens dropped, `</s>` appended to sources.
struct TextCorpus {
    let sourceVocabulary: [String: Int32]
    let targetVocabulary: [String: Int32]
    let train: [(source: [Int32], target: [Int32])]
    let valid: [(source: [Int32], target: [Int32])]

    init(trainSource: String, trainTarget: String, validSource: String, validTarget: String) throws {
        let (ts, tt) = (try Self.read(trainSource), try Self.read(trainTarget))
        let (vs, vt) = (try Self.read(validSource), try Self.read(validTarget))
        guard ts.count == tt.count else { throw ValidationError("\(trainSource) has \(ts.count) lines, \(trainTarget) \(tt.count)") }
        guard vs.count == vt.count else { throw ValidationError("\(validSource) has \(vs.count) lines, \(validTarget) \(vt.count)") }
        let keep = { (s: [String], t: [String]) in !s.isEmpty && !t.isEmpty && s.count <= 50 && t.count <= 50 }
        let pairs = zip(ts, tt).filter(keep)
        sourceVocabulary = Self.vocabulary(pairs.map(\.0))
        targetVocabulary = Self.vocabulary(pairs.map(\.1))
        let (sv, tv) = (sourceVocabulary, targetVocabulary)
        let ids = { (words: [String], v: [String: Int32]) in words.map { v[$0] ?? SpecialTokens.unk } }
        train = pairs.map { (ids($0.0, sv) + [SpecialTokens.eos], ids($0.1, tv)) }
        // Batches are drawn epoch after epoch until there are enough: none to draw from would
        // never end.
        guard !train.isEmpty else {
            throw ValidationError("\(trainSource), \(trainTarget): no pair with 1–50 tokens on both sides")
        }
        valid = zip(vs, vt).filter(keep).map { (ids($0.0, sv) + [SpecialTokens.eos], ids($0.1, tv)) }
    }

    private static func read(_ path: String) throws -> [[String]] {
        try TextLines.read(path: path).map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
    }

    private static func vocabulary(_ sentences: [[String]]) -> [String: Int32] {
        var counts: [String: Int] = [:]
        for s in sentences { for w in s { counts[w, default: 0] += 1 } }
        let specials = SpecialTokens.names
        let words = counts.filter { $0.value >= 2 && !specials.contains($0.key) }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var v: [String: Int32] = [:]
        for (i, w) in (specials + words.map(\.key)).enumerated() { v[w] = Int32(i) }
        return v
    }

    /// `count` batches: epochs of shuffled pairs, sorted by source length within chunks of
    /// 100 batches, batch order shuffled (as the reference).
    func trainingBatches(count: Int, size: Int, rng: inout PCG32) throws -> [Seq2SeqBatch] {
        var out: [Seq2SeqBatch] = []
        while out.count < count {
            var order = Array(train.indices)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.nextUInt32() % UInt32(i + 1))) }
            var epoch: [Seq2SeqBatch] = []
            for chunk in stride(from: 0, to: order.count, by: 100 * size) {
                let sorted = order[chunk..<min(chunk + 100 * size, order.count)].sorted { train[$0].source.count < train[$1].source.count }
                for b in stride(from: 0, to: sorted.count, by: size) {
                    let idx = sorted[b..<min(b + size, sorted.count)]
                    epoch.append(try Seq2SeqBatch(sources: idx.map { train[$0].source }, targets: idx.map { train[$0].target }))
                }
            }
            for i in stride(from: epoch.count - 1, to: 0, by: -1) { epoch.swapAt(i, Int(rng.nextUInt32() % UInt32(i + 1))) }
            out += epoch.prefix(count - out.count)
        }
        return out
    }

    /// Mean loss per target token over the validation pairs (teacher forcing, no dropout).
    func validationLoss(_ model: Seq2SeqModel, batchSize: Int) throws -> Double {
        let sorted = valid.sorted { $0.source.count < $1.source.count }
        var sum = 0.0, tokens = 0
        for b in stride(from: 0, to: sorted.count, by: batchSize) {
            let part = sorted[b..<min(b + batchSize, sorted.count)]
            let r = try model.evaluationLoss(Seq2SeqBatch(sources: part.map(\.source), targets: part.map(\.target)))
            sum += r.lossSum
            tokens += r.tokenCount
        }
        return sum / Double(max(tokens, 1))
    }
}
