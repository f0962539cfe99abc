import ArgumentParser
import Foundation
import S2SBundle
import S2SCorpus
import S2SDistributed
import S2SEval
import S2SLayers
import S2SModel
import S2SNumerics
import S2STraining

/// `s2s train`: trains a translator on a corpus of the store and writes `--out` (a model
/// directory: model.safetensors + vocab/ + latest.safetensors + metrics.jsonl).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an attention encoder-decoder translator.",
        discussion: """
        Trains on the train split of --corpus, validates on its valid split every --valid-every \
        updates (loss, perplexity, greedy BLEU), keeps the best model (--best-metric) in \
        OUT/model.safetensors and a resumable checkpoint in OUT/latest.safetensors, and appends \
        to OUT/metrics.jsonl (render it with `s2s plot`). Ctrl-C finishes the current update, \
        writes the checkpoint and exits; continue with the same command plus --resume (bit-identical).

          s2s train --corpus m30k --vocab vocab/m30k --out models/m30k --max-time 60
          s2s train --corpus m30k --vocab vocab/m30k --out models/m30k-ss --ss-schedule inverse-sigmoid --ss-k 1500
          s2s train --corpus m30k --vocab vocab/m30k --out models/m30k --resume --max-time 30

        Options shown "(default …)" take their value from the checkpoint on --resume; giving one \
        that differs is refused, except --max-steps, --max-time, --max-epochs, --log-every, --threads.

        Data-parallel over MPI: the same command under `mpirun -np N` (Open MPI). --batch-tokens \
        stays the budget of one update over all ranks, split between them, so N ranks compute what \
        one process computes; rank 0 validates, logs and writes OUT. A checkpoint resumes with any \
        number of ranks.

          mpirun -np 2 s2s train --corpus m30k --vocab vocab/m30k --out models/m30k --threads 1
        """
    )

    // Configuration file, data and output.
    @Option(help: ArgumentHelp("A JSON file of options keyed by their long names (e.g. {\"corpus\": \"m30k\", \"enc-cell\": \"lstm\"}); flags override it. `s2s model info --config` writes one from a model.",
                               valueName: "file"))
    var config: String?
    @Option(help: "Corpus database (default \(CorpusStore.defaultPath)).") var db: String?
    @Option(help: "Corpus name in the database (its train split trains, its valid split validates).") var corpus: String?
    @Option(help: "Vocabulary directory written by `s2s vocab build`.") var vocab: String?
    @Option(help: ArgumentHelp("Model directory to write (a path such as models/NAME), or a bare name: a model of the user's, written to $XDG_DATA_HOME/s2s/models/NAME (default ~/.local/share/s2s/models/NAME) and found by --model NAME.",
                               valueName: "dir|name"))
    var out: String?
    @Flag(help: "Continue the run in --out from its latest checkpoint.") var resume = false
    @Flag(help: "Start over in an --out that already holds a run (its files are replaced).") var overwrite = false

    // Model.
    @Option(help: "Embedding size (default \(defaults.model.embedding)).") var emb: Int?
    @Option(help: "Encoder state size per direction (default \(defaults.model.hidden)).") var hidden: Int?
    @Option(help: "Decoder state size (default: --hidden; 0 = --hidden).") var decHidden: Int?
    @Option(help: "Additive attention size (default: decoder size; 0 = decoder size).") var attDim: Int?
    @Option(name: [.customLong("enc-layers"), .customLong("layers")], help: "Encoder layers, each bidirectional (default \(defaults.model.layers)).")
    var layers: Int?
    @Option(help: "Encoder cell: \(RecurrentCellKind.names) (default \(defaults.model.encoderCell.rawValue)).") var encCell: RecurrentCellKind?
    @Option(help: "Decoder cell: \(RecurrentCellKind.names) (default \(defaults.model.decoderCell.rawValue)).") var decCell: RecurrentCellKind?
    @Option(help: "Decoder layers; the top one attends and feeds the output layer (default \(defaults.model.decoderLayers)).") var decLayers: Int?
    @Flag(inversion: .prefixedNo, help: "Feed the previous attention context to the first decoder layer (default on).")
    var inputFeeding: Bool?
    @Flag(help: "Residual connections between stacked layers, from the second layer up.") var residual = false
    @Option(help: ArgumentHelp("Tie embeddings: none, target (target embeddings = output projection) or all "
                               + "(also the source embeddings; needs a shared vocabulary) (default \(defaults.model.tying.rawValue)).",
                               valueName: "none|target|all"))
    var tieEmbeddings: EmbeddingTying?
    @Option(help: "additive (Bahdanau), or Luong's general, dot or concat (default \(defaults.model.attention.optionName)).") var attention: AttentionKind?
    @Option(help: "Dropout on embeddings, between encoder layers and before the output layer (default \(shown(defaults.model.dropout))).") var dropout: Float?
    @Option(name: .customLong("dropout-emb"), help: "Dropout on the source and target embeddings (default: --dropout).")
    var embeddingDropout: Float?
    @Option(name: .customLong("dropout-layer"), help: "Dropout between stacked recurrent layers (default: --dropout).")
    var layerDropout: Float?
    @Option(name: .customLong("dropout-out"), help: "Dropout on the output layer's input [h ; ctx ; e] (default: --dropout).")
    var outputDropout: Float?
    @Option(name: .customLong("dropout-ctx"), help: "Dropout on the encoder outputs the attention reads (default \(shown(defaults.model.contextDropout))).")
    var contextDropout: Float?
    @Option(name: .customLong("word-dropout"), help: "Drop whole source and target input token embeddings (default \(shown(defaults.model.wordDropout))).")
    var wordDropout: Float?
    @Option(name: .customLong("dropout-rec"),
            help: "Variational dropout on the recurrent connections: one mask per sentence and layer, every step (default \(shown(defaults.model.recurrentDropout))).")
    var recurrentDropout: Float?
    @Option(name: .customLong("bpe-dropout"),
            help: ArgumentHelp("BPE-dropout: re-segment the training pairs every epoch, skipping each merge with this probability; validation keeps full merges (default \(shown(defaults.bpeDropout)); build the vocabulary with `s2s vocab build --dropout-symbols`).", valueName: "p"))
    var bpeDropout: Double?
    @Option(help: "Label smoothing of the training loss (default \(shown(defaults.model.labelSmoothing))).") var labelSmoothing: Float?
    @Flag(name: .customLong("orthogonal-init"), help: "Orthogonal initialization of the recurrent matrices.") var orthogonalInit = false
    @Option(help: "GEMM arithmetic: auto (bf16 where it measures faster on this CPU), fp32 or bf16 (default auto; int8 is for decoding only).")
    var precision: PrecisionChoice?
    @Option(help: "Seed of initialization, batch order, dropout and sampling (default \(defaults.seed)).") var seed: UInt64?

    // Batches and optimization.
    @Option(help: "Padded target tokens per batch (default \(defaults.batchTokens)).") var batchTokens: Int?
    @Option(help: "Leave out training pairs longer than this many subword ids (default \(defaults.maxLength)).") var maxLength: Int?
    @Option(help: "Sum the gradients of this many batches before each update (default \(defaults.accumulate)).") var accumulate: Int?
    @Option(help: "Under MPI, send gradients as none (fp32), bf16 or fp16, summed in fp32 (default \(defaults.gradientCompression.rawValue)).")
    var gradientCompression: GradientCompression?
    @Option(help: "Under MPI, seconds a rank waits for the others before it gives up (default 600).")
    var mpiTimeout: Double = 600
    @Option(help: "adam or sgd (default \(defaults.optimizer.rawValue)).") var optimizer: TrainingOptions.OptimizerKind?
    @Option(help: "Learning rate (default \(shown(defaults.learningRate))).") var lr: Float?
    @Option(help: "SGD momentum (default \(shown(defaults.momentum))).") var momentum: Float?
    @Option(help: "L2 weight decay (default \(shown(defaults.weightDecay))).") var weightDecay: Double?
    @Option(help: "Clip the global gradient norm to this (0 = off; default \(shown(defaults.clip))).") var clip: Float?
    @Option(help: "plateau, constant or inverse-sqrt (default \(defaults.schedule.rawValue)).") var lrSchedule: TrainingOptions.ScheduleKind?
    @Option(help: "Plateau: multiply the rate by this when validation loss stalls (default \(shown(defaults.decayFactor))).") var lrDecay: Float?
    @Option(help: "Plateau: validations without improvement before a decay (default \(defaults.decayPatience)).") var lrPatience: Int?
    @Option(help: "Plateau: never below this rate (default \(shown(defaults.minimumLearningRate))).") var minLr: Float?
    @Option(help: "inverse-sqrt: warm-up updates (default \(defaults.warmupSteps)).") var warmup: Int?

    // Scheduled sampling.
    @Option(help: "Scheduled sampling: none, linear, exponential or inverse-sigmoid (default none = teacher forcing).") var ssSchedule: String?
    @Option(help: "Schedule parameter k: linear ε=max(min, k−c·i) (default 1), exponential ε=k^i (default 0.9999), inverse-sigmoid ε=k/(k+exp(i/k)) (default 1000).") var ssK: Double?
    @Option(help: "Linear schedule slope c (default 1e-4).") var ssC: Double?
    @Option(help: "Linear schedule floor ε_min (default 0.5).") var ssMin: Double?
    @Flag(help: "Feed a token sampled from the model's softmax instead of its argmax.") var ssSample = false

    // Validation, stopping, budget.
    @Option(help: "Validate and checkpoint every this many updates (0 = at the end only; default \(defaults.validEvery)).") var validEvery: Int?
    @Option(help: "Validate on at most this many pairs (0 = all; default \(defaults.validMaxSentences)).") var validMaxSentences: Int?
    @Option(help: "Beam size for validation BLEU (1 = greedy; default \(defaults.validBeam)).") var validBeam: Int?
    @Option(help: "bleu, chrf or loss: which validation figure picks the best model (default \(defaults.bestMetric.rawValue)).") var bestMetric: TrainingOptions.BestMetric?
    @Option(help: ArgumentHelp("Validation BLEU tokenizer: \(BLEUTokenizer.available.map(\.rawValue).joined(separator: ", ")) (default: from the corpus's target language, as `s2s evaluate`).", valueName: "name"))
    var validTokenize: BLEUTokenizer?
    @Option(help: "Stop after this many validations without a new best (0 = never; default \(defaults.patience)).") var patience: Int?
    @Option(help: "Non-finite steps in a row before rolling back to the checkpoint (default \(defaults.nanTolerance)).") var nanTolerance: Int?
    @Option(help: "Storage of model.safetensors: f32, f16 or bf16 (default \(defaults.modelStorage)).") var modelStorage: String?
    @Option(help: "Keep the parameters of the last N validations as step-N.safetensors, for `s2s model average` (default \(defaults.keepCheckpoints)).")
    var keepCheckpoints: Int?
    @Option(help: "Stop after this many updates in total (0 = no limit; default \(defaults.maxSteps)).") var maxSteps: Int?
    @Option(help: "Stop after this many minutes of this run (0 = no limit; default \(shown(defaults.maxMinutes))).") var maxTime: Double?
    @Option(help: "Stop after this many epochs (0 = no limit; default \(defaults.maxEpochs)).") var maxEpochs: Int?
    @Option(help: "Progress line and metrics record every this many updates (default \(defaults.logEvery)).") var logEvery: Int?
    @Option(help: "Engine threads (0 = default, 2 or OMP_NUM_THREADS).") var threads: Int?

    func validate() throws {
        if precision == .int8 { throw ValidationError("--precision int8 is for decoding (translate, evaluate, bench decode); train with fp32 or bf16") }
        if resume && overwrite { throw ValidationError("--resume and --overwrite contradict each other") }
        let file = try configFile()
        for (name, flag, fromFile) in [("corpus", corpus, file?.corpus), ("vocab", vocab, file?.vocab), ("out", out, file?.out)]
        where flag == nil && fromFile == nil {
            throw ValidationError("Missing expected argument '--\(name) <\(name == "out" ? "dir|name" : name)>'" + (config == nil ? "" : " (not in --config either)"))
        }
        if mpiTimeout <= 0 || !mpiTimeout.isFinite { throw ValidationError("--mpi-timeout must be positive, got \(mpiTimeout)") }
        if let validTokenize, !validTokenize.isAvailable {
            throw ValidationError("--valid-tokenize: " + BLEUTokenizerError.unavailable(validTokenize).description)
        }
    }

    func run() throws {
        // Only a process started by mpirun touches MPI; one process runs the same code with the
        // identity communicator.
        let mpi = MPICommunicator.launchedByMPI ? try MPICommunicator(timeout: mpiTimeout) : nil
        let communicator: any Communicator = mpi ?? LocalCommunicator()
        do {
            try train(communicator)
            mpi?.finalize()
        } catch {
            guard let mpi else { throw error }
            // Every rank knows about a failure the ranks agreed on (a peer's error, a mismatch):
            // rank 0 prints it once and all end cleanly. A failure only this rank saw is printed
            // here, naming the rank, and ends the job at once (the others may be waiting on us).
            let agreed: Bool
            switch error {
            case TrainingError.distributed(.peerFailed), TrainingError.distributed(.mismatch), DistributedError.peerFailed,
                 DistributedError.mismatch:
                agreed = true
            default:
                agreed = false
            }
            let code = (error as? ExitCode) ?? .failure
            if agreed {
                if mpi.isRoot { FileHandle.standardError.write(Data("Error: \(error)\n".utf8)) }
                mpi.finalize()
                throw code
            }
            if code == ExitCode(130) { mpi.finalize(); throw code }
            FileHandle.standardError.write(Data("Error: rank \(mpi.rank) on \(mpi.hostName): \(error)\n".utf8))
            mpi.abort(code: code.rawValue)
        }
    }

    /// The --config file, read and checked (nil without --config).
    private func configFile() throws -> TrainingConfigFile? {
        guard let config else { return nil }
        do { return try TrainingConfigFile.read(path: config) } catch { throw ValidationError(error.description) }
    }

    private func train(_ communicator: any Communicator) throws {
        let isRoot = communicator.rank == 0
        let file = try configFile()
        let db = self.db ?? file?.db ?? CorpusStore.defaultPath
        let corpus = self.corpus ?? file?.corpus ?? ""
        let vocab = self.vocab ?? file?.vocab ?? ""
        let out: String
        do { out = try ModelSearchPath.current().outputDirectory(for: self.out ?? file?.out ?? "") } catch { throw CommandFailure("train", error.description) }
        // Rank 0 alone reads the checkpoint (the output directory need not be shared); the
        // others merge their flags into its saved options exactly as it does.
        var saved: TrainingOptions?
        var failure: (any Error)?
        if resume && isRoot {
            do { saved = try Trainer.savedOptions(outputDirectory: out) } catch { failure = error }
        }
        try communicator.agree(failure)
        if resume && communicator.size > 1 { saved = try communicator.broadcast(saved, as: TrainingOptions.self) }
        let given = (file?.overrides ?? TrainingOverrides()).overlaid(by: overrides(saved: saved))
        var options = try given.resolve(saved: saved)
        if saved == nil {
            // A new run fixes its arithmetic once (the checkpoint keeps it for --resume); the
            // root decides for every rank, as `auto`'s probe may read differently elsewhere.
            var chosen: Precision?
            if isRoot {
                let (plan, notice) = PrecisionPlan.resolve(given.precision ?? .auto)
                if let notice { FileHandle.standardError.write(Data((notice + "\n").utf8)) }
                if plan.reason != nil { FileHandle.standardError.write(Data("precision: \(plan.gemm.rawValue) (auto: \(plan.reason ?? ""))\n".utf8)) }
                chosen = plan.gemm
            }
            options.precision = communicator.size > 1 ? try communicator.broadcast(chosen, as: Precision.self) : chosen ?? .fp32
        }
        // The kernel of large fp32 weight gradients is a speed choice, not part of the run's
        // arithmetic: decided at every start from the per-machine probe (cached, so a resume on
        // the same machine continues bit for bit), by the root for every rank.
        var sgemm: Bool?
        if isRoot, let speedup = LargeGemmKernel.resolve(for: options.precision) {
            FileHandle.standardError.write(Data("kernels: \(LargeGemmKernel.summary(speedup: speedup))\n".utf8))
            sgemm = LargeGemmKernel.usesSgemm
        }
        if communicator.size > 1 { sgemm = try communicator.broadcast(sgemm ?? false, as: Bool.self) }
        LargeGemmKernel.usesSgemm = sgemm ?? false

        let printer = ProgressPrinter(outputDirectory: out)
        StopSignal.install()
        var trainer: Trainer?
        do {
            trainer = try Trainer(data: TrainingData(database: db, corpus: corpus, vocabulary: vocab), options: options,
                                  outputDirectory: out, start: resume ? .resume : .fresh(overwrite: overwrite),
                                  communicator: communicator, events: isRoot ? printer.handle : { _ in })
        } catch {
            failure = error
        }
        try communicator.agree(failure)
        guard let trainer else { return }
        if isRoot && communicator.size > 1 {
            printer.say("ranks        \(communicator.size) (rank 0 on \(communicator.hostName)); each computes its share of every batch")
        }
        let summary = try trainer.run()
        guard isRoot else {
            if summary.reason == .interrupted { throw ExitCode(130) }
            return
        }

        let reason = summary.reason.rawValue.prefix(1).uppercased() + summary.reason.rawValue.dropFirst()
        var lines = ["\(reason) after \(summary.step) updates (epoch \(summary.epoch)), "
            + String(format: "%.1f min, ", summary.seconds / 60) + "\(ProgressPrinter.rate(summary.targetTokensPerSecond)) target tok/s, "
            + String(format: "peak RSS %.0f MB", peakRSSMegabytes())]
        if let best = summary.best {
            lines.append(String(format: "best: step %d, BLEU %.2f (tok:", best.step, best.bleu) + (trainer.options.validTokenizer?.rawValue ?? "13a")
                + String(format: "), chrF %.2f, loss %.3f", best.chrf ?? .nan, best.loss)
                + " → \(trainer.modelPath)")
        }
        if summary.skippedSteps > 0 {
            lines.append("\(summary.skippedSteps) non-finite steps skipped, \(summary.rollbacks) rollbacks")
        }
        lines.append("checkpoint: \(summary.checkpointPath) (continue with the same command and --resume)")
        for line in lines { printer.say(line) }
        if summary.reason == .interrupted { throw ExitCode(130) }
    }

    /// The options given on the command line (nil where not given).
    private func overrides(saved: TrainingOptions?) -> TrainingOverrides {
        var o = TrainingOverrides()
        o.embedding = emb
        o.hidden = hidden
        o.decoderHidden = decHidden
        o.attentionSize = attDim
        o.layers = layers
        o.attention = attention
        o.dropout = dropout
        o.embeddingDropout = embeddingDropout
        o.layerDropout = layerDropout
        o.outputDropout = outputDropout
        o.contextDropout = contextDropout
        o.wordDropout = wordDropout
        o.recurrentDropout = recurrentDropout
        o.bpeDropout = bpeDropout
        o.labelSmoothing = labelSmoothing
        o.orthogonal = orthogonalInit ? true : nil
        o.encoderCell = encCell
        o.decoderCell = decCell
        o.decoderLayers = decLayers
        o.inputFeeding = inputFeeding
        o.residual = residual ? true : nil
        o.tying = tieEmbeddings
        o.precision = precision
        o.seed = seed
        o.batchTokens = batchTokens
        o.maxLength = maxLength
        o.accumulate = accumulate
        o.gradientCompression = gradientCompression
        o.optimizer = optimizer
        o.learningRate = lr
        o.momentum = momentum
        o.weightDecay = weightDecay
        o.clip = clip
        o.schedule = lrSchedule
        o.decayFactor = lrDecay
        o.decayPatience = lrPatience
        o.minimumLearningRate = minLr
        o.warmupSteps = warmup
        o.samplingSchedule = ssSchedule
        o.samplingK = ssK
        o.samplingC = ssC
        o.samplingMinimum = ssMin
        o.sampleFed = ssSample ? true : nil
        o.validEvery = validEvery
        o.validMaxSentences = validMaxSentences
        o.validBeam = validBeam
        o.bestMetric = bestMetric
        o.validTokenizer = validTokenize
        o.patience = patience
        o.nanTolerance = nanTolerance
        o.modelStorage = modelStorage
        o.keepCheckpoints = keepCheckpoints
        o.maxSteps = maxSteps
        o.maxMinutes = maxTime
        o.maxEpochs = maxEpochs
        o.logEvery = logEvery
        o.threads = threads
        return o
    }
}

/// The defaults the help texts quote: the one place they live.
private let defaults = TrainingOptions.defaults

/// A default as a user writes it: 1 rather than 1.0.
private func shown<T: BinaryFloatingPoint & LosslessStringConvertible>(_ x: T) -> String {
    x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(x)
}
