import Foundation
import S2SBundle
import S2SDecode
import S2SModel
import S2SNumerics
import S2SText

/// A trained model loaded for translation: lines of the source language in, lines of the
/// target language out.
///
/// ```swift
/// let translator = try Translator(model: URL(fileURLWithPath: "models/default"))
/// let german = try translator.translate(["Two dogs are playing in the snow."], options: .beam(5))
/// ```
///
/// Loading checks the whole model directory (parameters, vocabularies, their hashes) before
/// anything is translated. A translator is not safe to use from two threads at once: give each
/// thread its own.
public final class Translator {
    private let translator: S2SDecode.Translator
    private let defaultSourceCap: Int

    /// The source language of the model (a language code such as "en").
    public let sourceLanguage: String
    /// The target language of the model.
    public let targetLanguage: String

    /// Loads the model directory at `model` (as `s2s train` writes it: `model.safetensors` and
    /// `vocab/`).
    ///
    /// - Throws: ``S2SError`` naming the file when the directory is not a complete, consistent
    ///   model.
    public init(model: URL) throws(S2SError) {
        let loaded: (model: Seq2SeqModel, pipelines: TextPipelinePair, info: ModelInfo)
        do {
            loaded = try ModelBundle.load(directory: model.path)
        } catch {
            throw S2SError(error.description)
        }
        // As `s2s translate` decodes by default: bf16 where it measures faster on this CPU, and
        // int8 for a model packed with `s2s model pack --int8` (where the CPU has VNNI).
        loaded.model.plan = PrecisionPlan.resolve(loaded.info.isInt8 ? .int8 : .auto).0
        translator = S2SDecode.Translator(model: loaded.model, pipelines: loaded.pipelines)
        defaultSourceCap = loaded.info.sourceTokenCap
        sourceLanguage = loaded.pipelines.source.tokenizer.settings.language
        targetLanguage = loaded.pipelines.target.tokenizer.settings.language
    }

    /// Loads the model called `name` on the model search path (`$S2S_MODEL_PATH`, `./models`,
    /// the user's data directory, the installation), as `s2s translate --model NAME` does.
    public convenience init(modelNamed name: String) throws(S2SError) {
        let path: String
        do {
            path = try ModelSearchPath.current().resolve(name)
        } catch {
            throw S2SError(error.description)
        }
        try self.init(model: URL(fileURLWithPath: path))
    }

    /// Translates `lines`, one output line per input line, in order. A blank line gives an empty
    /// line; a line too long for the model is cut, as `s2s translate` does (with a warning there).
    public func translate(_ lines: [String], options: TranslationOptions = .beam(5)) throws(S2SError) -> [String] {
        var settings = S2SDecode.Translator.Settings()
        switch options.search {
        case .greedy:
            settings.strategy = .greedy
        case let .beam(size):
            guard size >= 1 else { throw S2SError("beam size must be ≥ 1, got \(size)") }
            settings.strategy = .beam
            settings.options.beamSize = size
        }
        guard options.batchSize >= 1 else { throw S2SError("batch size must be ≥ 1, got \(options.batchSize)") }
        settings.options.alpha = options.lengthPenalty
        settings.options.recordAttention = options.replaceUnknown
        settings.batchSize = options.batchSize
        settings.replaceUnknown = options.replaceUnknown
        settings.maxSourceTokens = defaultSourceCap
        translator.settings = settings
        let input = lines.enumerated().map { S2SDecode.Translator.Line(text: $0.element, number: $0.offset + 1) }
        return translator.translate(input).map(\.text)
    }
}
