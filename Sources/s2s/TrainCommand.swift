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

    // Data and output.
    @Option(help: "Corpus database.") var db = CorpusStore.defaultPath
    @Option(help: "Corpus name in the database (its train split trains, its valid split validates).") var corpus: String
    @Option(help: "Vocabulary directory written by `s2s vocab build`.") var vocab: String
    @Option(help: ArgumentHelp("Model directory to write (a path such as models/NAME), or a bare name: a model of the user's, written to $XDG_DATA_HOME/s2s/models/NAME (default ~/.local/share/s2s/models/NAME) and found by --model NAME.",
                               valueName: "dir|name"))
    var out: String
    @Flag(help: "Continue the run in --out from its latest checkpoint.") var resume = false
    @Flag(help: "Start over in an --out that already holds a run (its files are replaced).") var overwrite = false

    // Model.
    @Option(help: "Embedding size (default 256).") var emb: Int?
    @Option(help: "Encoder state size per direction (default 256).") var hidden: Int?
    @Option(help: "Decoder state size (default: --hidden; 0 = --hidden).") var decHidden: Int?
    @Option(help: "Additive attention size (default: decoder size; 0 = decoder size).") var attDim: Int?
    @Option(name: [.customLong("enc-layers"), .customLong("layers")], help: "Encoder layers, each bidirectional (default 1).")
    var layers: Int?
    @Option(help: "Encoder cell: \(RecurrentCellKind.names) (default lstm).") var encCell: RecurrentCellKind?
    @Option(help: "Decoder cell: \(RecurrentCellKind.names) (default gru).") var decCell: RecurrentCellKind?
    @Option(help: "Decoder layers; the top one attends and feeds the output layer (default 1).") var decLayers: Int?
    @Flag(inversion: .prefixedNo, help: "Feed the previous attention context to the first decoder layer (default on).")
    var inputFeeding: Bool?
    @Flag(help: "Residual connections between stacked layers, from the second layer up.") var residual = false
    @Option(help: "additive (Bahdanau), or Luong's general, dot or concat (default additive).") var attention: String?
    @Option(help: "Dropout on embeddings, between encoder layers and before the output layer (default 0.2).") var dropout: Float?
    @Option(help: "Label smoothing of the training loss (default 0.1).") var labelSmoothing: Float?
    @Flag(name: .customLong("orthogonal-init"), help: "Orthogonal initialization of the recurrent matrices.") var orthogonalInit = false
    @Option(help: "GEMM arithmetic: fp32 or bf16 (default fp32).") var precision: String?
    @Option(help: "Seed of initialization, batch order, dropout and sampling (default 1).") var seed: UInt64?

    // Batches and optimization.
    @Option(help: "Padded target tokens per batch (default 2000).") var batchTokens: Int?
    @Option(help: "Leave out training pairs longer than this many subword ids (default 100).") var maxLength: Int?
    @Option(help: "Sum the gradients of this many batches before each update (default 1).") var accumulate: Int?
    @Option(help: "Under MPI, send gradients as none (fp32), bf16 or fp16, summed in fp32 (default none).")
    var gradientCompression: GradientCompression?
    @Option(help: "Under MPI, seconds a rank waits for the others before it gives up (default 600).")
    var mpiTimeout: Double = 600
    @Option(help: "adam or sgd (default adam).") var optimizer: String?
    @Option(help: "Learning rate (default 0.001).") var lr: Float?
    @Option(help: "SGD momentum (default 0).") var momentum: Float?
    @Option(help: "L2 weight decay (default 0).") var weightDecay: Double?
    @Option(help: "Clip the global gradient norm to this (0 = off; default 1).") var clip: Float?
    @Option(help: "plateau, constant or inverse-sqrt (default plateau).") var lrSchedule: String?
    @Option(help: "Plateau: multiply the rate by this when validation loss stalls (default 0.5).") var lrDecay: Float?
    @Option(help: "Plateau: validations without improvement before a decay (default 2).") var lrPatience: Int?
    @Option(help: "Plateau: never below this rate (default 1e-5).") var minLr: Float?
    @Option(help: "inverse-sqrt: warm-up updates (default 4000).") var warmup: Int?

    // Scheduled sampling.
    @Option(help: "Scheduled sampling: none, linear, exponential or inverse-sigmoid (default none = teacher forcing).") var ssSchedule: String?
    @Option(help: "Schedule parameter k: linear ε=max(min, k−c·i) (default 1), exponential ε=k^i (default 0.9999), inverse-sigmoid ε=k/(k+exp(i/k)) (default 1000).") var ssK: Double?
    @Option(help: "Linear schedule slope c (default 1e-4).") var ssC: Double?
    @Option(help: "Linear schedule floor ε_min (default 0.5).") var ssMin: Double?
    @Flag(help: "Feed a token sampled from the model's softmax instead of its argmax.") var ssSample = false

    // Validation, stopping, budget.
    @Option(help: "Validate and checkpoint every this many updates (0 = at the end only; default 1000).") var validEvery: Int?
    @Option(help: "Validate on at most this many pairs (0 = all; default 0).") var validMaxSentences: Int?
    @Option(help: "Beam size for validation BLEU (1 = greedy; default 1).") var validBeam: Int?
    @Option(help: "bleu, chrf or loss: which validation figure picks the best model (default bleu).") var bestMetric: String?
    @Option(help: ArgumentHelp("Validation BLEU tokenizer: \(BLEUTokenizer.available.map(\.rawValue).joined(separator: ", ")) (default: from the corpus's target language, as `s2s evaluate`).", valueName: "name"))
    var validTokenize: BLEUTokenizer?
    @Option(help: "Stop after this many validations without a new best (0 = never; default 8).") var patience: Int?
    @Option(help: "Non-finite steps in a row before rolling back to the checkpoint (default 5).") var nanTolerance: Int?
    @Option(help: "Storage of model.safetensors: f32, f16 or bf16 (default f32).") var modelStorage: String?
    @Option(help: "Stop after this many updates in total (0 = no limit; default 0).") var maxSteps: Int?
    @Option(help: "Stop after this many minutes of this run (0 = no limit; default 0).") var maxTime: Double?
    @Option(help: "Stop after this many epochs (0 = no limit; default 0).") var maxEpochs: Int?
    @Option(help: "Progress line and metrics record every this many updates (default 100).") var logEvery: Int?
    @Option(help: "Engine threads (0 = default, 2 or OMP_NUM_THREADS).") var threads: Int?

    func validate() throws {
        if resume && overwrite { throw ValidationError("--resume and --overwrite contradict each other") }
        if let attention, AttentionKind(optionName: attention) == nil {
            let names = AttentionKind.allCases.map(\.optionName).joined(separator: ", ")
            throw ValidationError("--attention must be one of \(names), got '\(attention)'")
        }
        if let precision, Precision(rawValue: precision) == nil { throw ValidationError("--precision must be fp32 or bf16, got '\(precision)'") }
        if let optimizer, TrainingOptions.OptimizerKind(rawValue: optimizer) == nil {
            throw ValidationError("--optimizer must be adam or sgd, got '\(optimizer)'")
        }
        if let lrSchedule, TrainingOptions.ScheduleKind(rawValue: lrSchedule) == nil {
            throw ValidationError("--lr-schedule must be plateau, constant or inverse-sqrt, got '\(lrSchedule)'")
        }
        if mpiTimeout <= 0 || !mpiTimeout.isFinite { throw ValidationError("--mpi-timeout must be positive, got \(mpiTimeout)") }
        if let bestMetric, TrainingOptions.BestMetric(rawValue: bestMetric) == nil {
            throw ValidationError("--best-metric must be bleu, chrf or loss, got '\(bestMetric)'")
        }
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

    private func train(_ communicator: any Communicator) throws {
        let isRoot = communicator.rank == 0
        let out: String
        do { out = try ModelSearchPath.current().outputDirectory(for: self.out) } catch { throw CommandFailure("train", error.description) }
        // Rank 0 alone reads the checkpoint (the output directory need not be shared); the
        // others merge their flags into its saved options exactly as it does.
        var saved: TrainingOptions?
        var failure: (any Error)?
        if resume && isRoot {
            do { saved = try Trainer.savedOptions(outputDirectory: out) } catch { failure = error }
        }
        try communicator.agree(failure)
        if resume && communicator.size > 1 { saved = try communicator.broadcast(saved, as: TrainingOptions.self) }
        var options = try overrides(saved: saved).resolve(saved: saved)
        let (resolved, notice) = Precision.resolve(Precision(rawValue: options.precision) ?? .fp32)
        if let notice, isRoot { FileHandle.standardError.write(Data((notice + "\n").utf8)) }
        if saved == nil { options.precision = resolved.rawValue }

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
        o.attention = attention.flatMap(AttentionKind.init(optionName:))
        o.dropout = dropout
        o.labelSmoothing = labelSmoothing
        o.orthogonal = orthogonalInit ? true : nil
        o.encoderCell = encCell
        o.decoderCell = decCell
        o.decoderLayers = decLayers
        o.inputFeeding = inputFeeding
        o.residual = residual ? true : nil
        o.precision = precision
        o.seed = seed
        o.batchTokens = batchTokens
        o.maxLength = maxLength
        o.accumulate = accumulate
        o.gradientCompression = gradientCompression
        o.optimizer = optimizer.flatMap(TrainingOptions.OptimizerKind.init(rawValue:))
        o.learningRate = lr
        o.momentum = momentum
        o.weightDecay = weightDecay
        o.clip = clip
        o.schedule = lrSchedule.flatMap(TrainingOptions.ScheduleKind.init(rawValue:))
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
        o.bestMetric = bestMetric.flatMap(TrainingOptions.BestMetric.init(rawValue:))
        o.validTokenizer = validTokenize
        o.patience = patience
        o.nanTolerance = nanTolerance
        o.modelStorage = modelStorage
        o.maxSteps = maxSteps
        o.maxMinutes = maxTime
        o.maxEpochs = maxEpochs
        o.logEvery = logEvery
        o.threads = threads
        return o
    }
}

extension GradientCompression: ExpressibleByArgument {}

extension RecurrentCellKind: ExpressibleByArgument {}
