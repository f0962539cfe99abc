import Foundation
import S2SBundle
import S2SCorpus
import S2SDistributed
import S2SEval
import S2SLayers
import S2SModel
import S2SNumerics
import S2SText

extension TextPipelinePair: PairEncoder {}

/// Where the training data lives.
package struct TrainingData: Sendable, Equatable {
    /// The corpus store (SQLite file).
    package var database: String
    package var corpus: String
    /// A pipeline directory written by `s2s vocab build`.
    package var vocabulary: String

    package init(database: String, corpus: String, vocabulary: String) {
        self.database = database
        self.corpus = corpus
        self.vocabulary = vocabulary
    }
}

/// Trains a `Seq2SeqModel` on the train split of a corpus and keeps `models/NAME/` up to date:
/// `latest.safetensors` (checkpoint, resumable bit-identically), `model.safetensors` (the best
/// model by validation, a `ModelBundle`), `vocab/` and `metrics.jsonl`.
///
/// `init` checks everything that can be wrong with the input before it writes anything; `run`
/// trains until a budget, early stopping or a stop request, and returns a summary.
package final class Trainer {
    /// How a run starts.
    package enum Start: Sendable, Equatable {
        /// A new model; `overwrite` allows an output directory that already holds a run.
        case fresh(overwrite: Bool)
        /// Continue from `latest.safetensors` in the output directory.
        case resume
    }

    package let options: TrainingOptions
    package let data: TrainingData
    package let outputDirectory: String
    package let model: Seq2SeqModel
    package let pipelines: TextPipelinePair
    package internal(set) var state: TrainerState
    /// Pairs in the training plan and pairs left out (empty or longer than --max-length).
    package let trainingPairs: Int
    package let excludedPairs: Int
    package let validationPairs: Int

    let store: CorpusStore
    let batcher: Batcher
    let validator: Validator?
    var optimizer: any Optimizer
    let hooks: TrainerHooks
    let stopRequested: () -> Bool
    let emit: (TrainerEvent) -> Void
    let resumed: Bool
    let overwrite: Bool
    let metricsPath: String
    /// Why validation BLEU uses its tokenizer (printed with the configuration).
    let tokenizerReason: String
    /// With --bpe-dropout, what the vocabulary lacks for it (printed with the configuration).
    let bpeDropoutNote: String?
    /// The ranks of the job (one process: `LocalCommunicator`).
    let communicator: any Communicator
    let gradients: GradientAllreduce

    package var checkpointPath: String { "\(outputDirectory)/\(ModelBundle.checkpointFileName)" }
    package var modelPath: String { "\(outputDirectory)/\(ModelBundle.modelFileName)" }

    /// The options stored in the checkpoint of `outputDirectory` (to merge command-line
    /// overrides before resuming).
    package static func savedOptions(outputDirectory: String) throws(TrainingError) -> TrainingOptions {
        let path = "\(outputDirectory)/\(ModelBundle.checkpointFileName)"
        guard FileManager.default.fileExists(atPath: path) else {
            throw .checkpoint(path: path, reason: "no checkpoint to resume from")
        }
        return try Checkpoint.read(path).options
    }

    /// Prepares a run. `options.model`'s vocabulary sizes are taken from the pipelines. Resume: `options` must equal the checkpoint's except for `TrainingOptions.budgetKeys`.
    ///
    /// Under MPI every rank makes a `Trainer`; only rank 0 looks at the output directory and
    /// reads the checkpoint (the others get its state in `run`), and nothing is written before
    /// `run`, so a rank that fails here leaves nothing behind on any host. Call
    /// `communicator.agree(_:)` with the outcome of this init on every rank before `run`.
    package init(data: TrainingData, options requested: TrainingOptions, outputDirectory: String, start: Start,
                communicator: any Communicator = LocalCommunicator(),
                hooks: TrainerHooks = TrainerHooks(), stopRequested: @escaping () -> Bool = { StopSignal.requested },
                events: @escaping (TrainerEvent) -> Void = { _ in }) throws(TrainingError) {
        var options = requested
        self.data = data
        self.outputDirectory = outputDirectory
        self.hooks = hooks
        self.stopRequested = stopRequested
        self.emit = events
        metricsPath = "\(outputDirectory)/metrics.jsonl"
        resumed = start == .resume
        if case .fresh(true) = start { overwrite = true } else { overwrite = false }
        self.communicator = communicator
        let isRoot = communicator.rank == 0

        // 1. Vocabulary, corpus, output directory, checkpoint: all checked before any write.
        do {
            pipelines = try TextPipelinePair(directory: data.vocabulary)
        } catch {
            throw .underlying("\(data.vocabulary): \(error)")
        }
        // The vocabulary decides these (on resume it is checked against the checkpoint below).
        options.model.sourceVocabulary = pipelines.source.vocabulary.count
        options.model.targetVocabulary = pipelines.target.vocabulary.count
        if options.model.tying.tiesSource && pipelines.source.vocabulary.tokens != pipelines.target.vocabulary.tokens {
            throw .invalidOption("--tie-embeddings all needs one vocabulary for both sides (s2s vocab build --joint --shared); "
                                 + "\(data.vocabulary) has a source vocabulary of \(pipelines.source.vocabulary.count) and a target "
                                 + "vocabulary of \(pipelines.target.vocabulary.count) entries that differ")
        }
        try options.validate()
        if options.bpeDropout > 0 && pipelines.source.bpe == nil && pipelines.target.bpe == nil {
            throw .invalidOption("--bpe-dropout \(options.bpeDropout) needs BPE codes; \(data.vocabulary) is a word-level vocabulary (s2s vocab build --merges 0)")
        }
        bpeDropoutNote = options.bpeDropout > 0 ? BPEDropoutEncoder.vocabularyNote(pipelines, directory: data.vocabulary) : nil
        guard FileManager.default.fileExists(atPath: data.database) else {
            throw .noData("no corpus database at \(data.database) (import a corpus with `s2s corpus import` first)")
        }
        do {
            store = try CorpusStore(path: data.database, mode: .existing)
            guard try store.count(corpus: data.corpus, split: .train) > 0 else {
                throw TrainingError.noData("corpus '\(data.corpus)' in \(data.database) has no pairs in its train split")
            }
            validationPairs = try store.count(corpus: data.corpus, split: .valid)
            // A new run scores validation BLEU with the tokenizer its target language needs;
            // a checkpoint keeps the one it was started with (13a before there was a choice).
            if let chosen = options.validTokenizer {
                tokenizerReason = requested.validTokenizer == nil ? "from the checkpoint" : "as configured"
                options.validTokenizer = chosen
            } else {
                let language = try store.corpus(named: data.corpus).targetLanguage
                let choice = TokenizerChoice.forLanguage(language)
                options.validTokenizer = choice.tokenizer
                tokenizerReason = "for the corpus's target \(choice.reason)"
            }
        } catch {
            throw .wrap(error)
        }
        let checkpoint = isRoot ? try Self.checkOutput(outputDirectory, start: start) : nil
        if let checkpoint {
            do {
                try ModelBundle.checkVocabulary(pipelines, matches: checkpoint.info, vocabularyPath: data.vocabulary)
            } catch {
                throw .conflict("--resume: \(error)")
            }
            try Self.checkResumable(saved: checkpoint.options, requested: options, path: checkpoint.info.path)
        }
        self.options = options

        // 2. Batches (encodes and caches the train split once), validation data, model.
        if options.threads > 0 { EngineThreads.set(options.threads) }
        do {
            let config = BatcherConfig(tokensPerBatch: options.batchTokens, seed: options.seed &+ 1, shuffle: true,
                                       tokenOverhead: SequenceFraming.targetOverhead,
                                       maxSourceLength: options.maxLength, maxTargetLength: options.maxLength)
            batcher = try Batcher(store: store, corpus: data.corpus, split: .train, encoder: pipelines, config: config)
            if options.bpeDropout > 0 {
                batcher.epochEncoder = try BPEDropoutEncoder(pipelines: pipelines, dropout: options.bpeDropout, seed: options.seed)
            }
            validator = validationPairs > 0 && isRoot
                ? try Validator(store: store, corpus: data.corpus, pipelines: pipelines,
                                maxSentences: options.validMaxSentences, batchTokens: options.batchTokens)
                : nil
            model = try Seq2SeqModel(config: options.model, seed: options.seed)
        } catch {
            throw .wrap(error)
        }
        gradients = GradientAllreduce(model.parameters, first: model.parametersFinishedFirst)
        trainingPairs = batcher.pairCount
        excludedPairs = batcher.excluded
        model.precision = options.precision
        optimizer = options.makeOptimizer()
        state = TrainerState(batcher: batcher.position, rng: PCG32(seed: options.seed &+ 2),
                             scheduler: LearningRateScheduler(options.learningRateSchedule))
        if let checkpoint {
            do {
                try Checkpoint.restore(checkpoint, model: model, optimizer: optimizer)
                try batcher.restore(checkpoint.state.batcher)
            } catch {
                throw .checkpoint(path: checkpoint.info.path, reason: "\(error)")
            }
            state = checkpoint.state
        }

    }

    /// Rank 0, once every rank is ready: the bundle's vocabulary, and a fresh or trimmed metrics
    /// log; with --overwrite the earlier run's model and checkpoint go only now.
    func prepareOutput() throws(TrainingError) {
        do {
            try ModelBundle.prepare(directory: outputDirectory, pipelines: pipelines)
        } catch {
            throw .output(path: outputDirectory, reason: error.description)
        }
        if overwrite {
            for name in [ModelBundle.modelFileName, ModelBundle.checkpointFileName] {
                try? FileManager.default.removeItem(atPath: "\(outputDirectory)/\(name)")
            }
        }
        try prepareMetricsLog()
    }

    /// Checks the output directory for the kind of start, and returns the checkpoint to resume.
    static func checkOutput(_ directory: String, start: Start) throws(TrainingError) -> Checkpoint.Contents? {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: directory, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue { throw .output(path: directory, reason: "exists and is not a directory") }
        switch start {
        case .resume:
            let path = "\(directory)/\(ModelBundle.checkpointFileName)"
            guard exists, fm.fileExists(atPath: path) else {
                throw .checkpoint(path: path, reason: "no checkpoint to resume from (start without --resume)")
            }
            try checkWritable(directory)
            return try Checkpoint.read(path)
        case .fresh(let overwrite):
            if exists {
                let entries = (try? fm.contentsOfDirectory(atPath: directory)) ?? []
                if !entries.isEmpty && !overwrite {
                    throw .output(path: directory, reason: "already holds a model or training run; pass --resume to continue it or --overwrite to start over")
                }
                try checkWritable(directory)
            } else {
                // Create it now (the parent may be missing or read-only: find out before training).
                try makeDirectories(directory)
                try checkWritable(directory)
            }
            return nil
        }
    }

    /// `mkdir -p` with the system's reason on failure ("Not a directory", "Permission denied").
    static func makeDirectories(_ directory: String) throws(TrainingError) {
        var path = directory.hasPrefix("/") ? "" : "."
        for part in directory.split(separator: "/") {
            path += "/" + part
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw .output(path: directory, reason: "cannot create \(path): \(String(cString: strerror(errno)))")
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .output(path: directory, reason: "cannot create: a file of that name is in the way")
        }
    }

    /// Creates and removes a probe file: a directory we cannot write is found before training.
    static func checkWritable(_ directory: String) throws(TrainingError) {
        let probe = "\(directory)/.s2s-write-probe-\(getpid())"
        guard FileManager.default.createFile(atPath: probe, contents: Data()) else {
            throw .output(path: directory, reason: "not writable")
        }
        try? FileManager.default.removeItem(atPath: probe)
    }

    /// Refuses a resume whose options differ from the checkpoint's beyond the budget settings.
    static func checkResumable(saved: TrainingOptions, requested: TrainingOptions, path: String) throws(TrainingError) {
        var neutral = requested
        neutral.maxSteps = saved.maxSteps
        neutral.maxMinutes = saved.maxMinutes
        neutral.maxEpochs = saved.maxEpochs
        neutral.logEvery = saved.logEvery
        neutral.threads = saved.threads
        guard neutral != saved else { return }
        if neutral.model != saved.model {
            throw .conflict("--resume: the model in \(path) is \(describe(saved.model)), the options ask for \(describe(neutral.model))")
        }
        throw .conflict("--resume: options differ from those \(path) was trained with (only --max-steps, --max-time, --max-epochs, --log-every and --threads may change)")
    }

    static func describe(_ m: ModelConfig) -> String {
        "emb \(m.embedding), hidden \(m.hidden), dec-hidden \(m.decoderHidden), att-dim \(m.attentionSize), layers \(m.layers), \(m.attention.rawValue) attention, dropout \(m.dropout), label smoothing \(m.labelSmoothing), vocab \(m.sourceVocabulary)/\(m.targetVocabulary)"
    }

    /// Fresh: an empty log. Resume: the log without records past the checkpoint's step (they
    /// belong to the interrupted run's unsaved steps and will be trained again).
    private func prepareMetricsLog() throws(TrainingError) {
        do {
            if !resumed {
                try Data().write(to: URL(fileURLWithPath: metricsPath), options: .atomic)
                return
            }
            guard let text = try? String(contentsOfFile: metricsPath, encoding: .utf8) else { return }
            var kept: [Substring] = []
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                struct Step: Decodable { let step: Int }
                if let s = try? JSONDecoder().decode(Step.self, from: Data(line.utf8)), s.step > state.step { continue }
                kept.append(line)
            }
            let joined = kept.map { $0 + "\n" }.joined()
            try Data(joined.utf8).write(to: URL(fileURLWithPath: metricsPath), options: .atomic)
        } catch {
            throw .output(path: metricsPath, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
