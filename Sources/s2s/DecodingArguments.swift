import ArgumentParser
import Foundation
import S2SBundle
import S2SDecode
import S2SModel
import S2SNumerics
import S2SText

/// The model and search options shared by `s2s translate`, `s2s evaluate --model` and
/// `s2s attention`.
struct DecodingArguments: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A model name or directory (default: the model named 'default'); "
                                            + "repeat for an ensemble, which averages the models' log-probabilities "
                                            + "at every step (the models must share one vocabulary).",
                                            discussion: ModelSearchPath.helpText, valueName: "name|dir"))
    var model: [String] = []

    @Option(name: .long, help: "Beam size (1 = greedy-equivalent beam).") var beam = 5
    @Option(name: .long, help: "GNMT length-penalty exponent α: score = logP / ((5+|Y|)/6)^α.") var alpha: Float = 0.6
    @Option(name: .long, help: "GNMT coverage-penalty weight β.") var beta: Float = 0
    @Option(name: .customLong("n-best"), help: "Hypotheses per sentence (≤ --beam).") var nBest = 1
    @Flag(name: .long, help: "Greedy search instead of beam search.") var greedy = false
    @Flag(name: .long, help: "Sample from the model instead of searching.") var sample = false
    @Option(name: .long, help: "Sampling temperature.") var temperature: Float = 1
    @Option(name: .customLong("top-k"), help: "Sampling: draw from the k most probable tokens (0 = all).") var topK = 0
    @Option(name: .long, help: "Sampling seed.") var seed: UInt64 = 1
    @Flag(name: .customLong("replace-unk"), help: "Replace <unk> outputs by the most attended source word.")
    var replaceUnk = false
    @Option(name: .customLong("max-len-ratio"), help: "Longest output = ratio · source length + --max-len-extra.")
    var maxLenRatio: Float = 1.5
    @Option(name: .customLong("max-len-extra"), help: "Added to ratio · source length.") var maxLenExtra = 5
    @Option(name: .customLong("max-len"), help: "Absolute cap on output tokens.") var maxLen = 250
    @Option(name: .customLong("min-len"), help: "No </s> before this many output tokens.") var minLen = 0
    @Option(name: .customLong("max-source-len"),
            help: "Longest source in tokens; longer lines are cut with a warning (default: twice the trained length, else 250).")
    var maxSourceLen: Int?
    @Option(name: .customLong("batch-size"), help: "Sentences per decoder batch.") var batchSize = 32
    @Option(help: ArgumentHelp("Score only each batch's candidate tokens from this vocabulary shortlist "
                               + "(default: the first model's shortlist.txt when `s2s model shortlist` made one; "
                               + "'none' scores the whole vocabulary).", valueName: "file|none"))
    var shortlist: String?
    @Option(name: .long, help: ArgumentHelp("Matrix products: auto (bf16 where it measures faster on this CPU; `s2s --version` shows the choice), "
                                            + "fp32, bf16 or int8 (the decoder's per-step weights; the default for a model packed with --int8, else auto).",
                                            valueName: "precision"))
    var precision: PrecisionChoice?
    @Option(name: .long, help: "Engine threads (0 = auto: the engine default, fewer while other processes keep cores busy).")
    var threads = 0

    func validate() throws {
        if beam < 1 { throw ValidationError("--beam must be at least 1, got \(beam)") }
        if nBest < 1 { throw ValidationError("--n-best must be at least 1, got \(nBest)") }
        if greedy && sample { throw ValidationError("--greedy and --sample exclude each other") }
        if nBest > 1 && (greedy || sample) { throw ValidationError("--n-best needs beam search (not --greedy/--sample)") }
        if nBest > beam { throw ValidationError("--n-best \(nBest) exceeds --beam \(beam)") }
        if !(temperature > 0) { throw ValidationError("--temperature must be positive, got \(temperature)") }
        if topK < 0 { throw ValidationError("--top-k must be 0 or positive, got \(topK)") }
        if !(maxLenRatio >= 0) || maxLenExtra < 0 || maxLen < 1 || minLen < 0 {
            throw ValidationError("length limits must be non-negative (and --max-len at least 1)")
        }
        if let m = maxSourceLen, m < 2 { throw ValidationError("--max-source-len must be at least 2, got \(m)") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        if threads < 0 { throw ValidationError("--threads must be 0 or positive, got \(threads)") }
    }

    /// The shortlist to decode with: `--shortlist FILE`, nothing for `none`, else the one
    /// `s2s model shortlist` wrote beside the first model (it measured faster at batch 32 with
    /// BLEU unchanged, so a model that has one uses it).
    func shortlistPath(firstModel file: String) -> String? {
        if let shortlist { return shortlist == "none" ? nil : shortlist }
        let beside = (file as NSString).deletingLastPathComponent + "/" + Shortlist.fileName
        return FileManager.default.fileExists(atPath: beside) ? beside : nil
    }

    /// The thread policy (`--threads`; 0 = adapt to the machine's load before each batch).
    func makeThreadAdvisor() -> ThreadAdvisor { ThreadAdvisor(requested: threads) }

    /// Whether a model was named (`--model` given at least once).
    var namesModel: Bool { !model.isEmpty }

    /// Loads the model, or the models of an ensemble (every check before any output), and
    /// builds the translator.
    func makeTranslator(command: String, keepAttention: Bool = false) throws -> Translator {
        let loaded = try EnsembleLoader.load(model.isEmpty ? [nil] : model.map { Optional($0) }, command: command)
        // A model packed in int8 decodes in int8 unless asked otherwise (every model of an
        // ensemble must be int8 for that: one --precision applies to all).
        let requested = precision ?? (loaded.infos.allSatisfy(\.isInt8) ? .int8 : .auto)
        let (plan, notice) = PrecisionPlan.resolve(requested)
        if let notice { standardError("warning: \(notice)") }
        for m in loaded.models { m.plan = plan }
        var settings = Translator.Settings()
        settings.strategy = sample ? .sample : greedy ? .greedy : .beam
        settings.options.beamSize = beam
        settings.options.alpha = alpha
        settings.options.beta = beta
        settings.options.nBest = nBest
        settings.options.temperature = temperature
        settings.options.topK = topK
        settings.options.seed = seed
        settings.options.maxLengthRatio = maxLenRatio
        settings.options.maxLengthExtra = maxLenExtra
        settings.options.maxLengthCap = maxLen
        settings.options.minLength = minLen
        settings.batchSize = batchSize
        settings.replaceUnknown = replaceUnk
        settings.keepAttention = keepAttention
        if let shortlist = shortlistPath(firstModel: loaded.infos[0].path) {
            let config = loaded.models[0].config
            do {
                settings.shortlist = try Shortlist.read(path: shortlist, sourceVocabulary: config.sourceVocabulary,
                                                        targetVocabulary: config.targetVocabulary)
            } catch { throw CommandFailure(command, "\(error) (--shortlist none decodes without it)") }
        }
        settings.maxSourceTokens = maxSourceLen ?? loaded.infos.map(\.sourceTokenCap).min() ?? 250
        return Translator(models: loaded.models, pipelines: loaded.pipelines, settings: settings)
    }

}

typealias TextPipelinePairAlias = S2SText.TextPipelinePair

/// A one-line failure of a subcommand (ArgumentParser prints it as "Error: …" and exits 1).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ command: String, _ message: String) { description = "s2s \(command): " + message }
}

/// Writes one line to standard error.
func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
