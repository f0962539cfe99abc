import Foundation
import S2SLayers
import S2SModel

/// What `ModelBundle.save` records beside the parameters: where training stood and how well the
/// model did. All optional except the step.
package struct ModelBundleMetadata: Sendable, Equatable {
    /// Optimizer updates the parameters have seen.
    package var step: Int
    /// Epochs started (1-based), when known.
    package var epoch: Int?
    /// Validation BLEU (greedy) and loss of these parameters, when measured.
    package var validBLEU: Double?
    package var validLoss: Double?
    /// Free-form fields (e.g. `training_config`); names must not clash with the fixed ones.
    package var extra: [String: String]

    package init(step: Int = 0, epoch: Int? = nil, validBLEU: Double? = nil, validLoss: Double? = nil,
                extra: [String: String] = [:]) {
        self.step = step
        self.epoch = epoch
        self.validBLEU = validBLEU
        self.validLoss = validLoss
        self.extra = extra
    }
}

/// What `ModelBundle.load` found in a model file's header.
package struct ModelInfo: Sendable, Equatable {
    /// A shipped model (`model.safetensors`) or a training checkpoint (`latest.safetensors`,
    /// parameters plus optimizer and trainer state).
    package enum Kind: String, Sendable { case model, checkpoint }

    /// The safetensors file read.
    package let path: String
    /// The bundle directory (holds `vocab/`).
    package let directory: String
    package let kind: Kind
    package let formatVersion: Int
    package let config: ModelConfig
    package let sourceVocabularyHash: String
    package let targetVocabularyHash: String
    /// `TextPipelinePair.cacheKey` of the vocabulary trained with.
    package let pipelineCacheKey: String
    /// How the parameters are stored on disk ("F32", "F16", …); they are fp32 in memory.
    package let storage: String
    package let metadata: ModelBundleMetadata
    /// The whole `__metadata__` map, for fields this type does not surface.
    package let header: [String: String]
    /// Parameters stored as I8 with per-row scales (`s2s model pack --int8`); empty otherwise.
    package var int8Parameters: [String] = []

    /// Whether the decoder's matrices were packed in int8 (`translate` then decodes in int8).
    package var isInt8: Bool { !int8Parameters.isEmpty }
}

/// The header (`__metadata__`) keys of an s2s model file. Values are strings (the format allows
/// nothing else): numbers in decimal, the configuration as JSON.
enum ModelHeader {
    static let format = "format"
    static let formatVersion = "format_version"
    static let kind = "kind"
    static let modelConfig = "model_config"
    static let sourceVocabularyHash = "source_vocabulary_hash"
    static let targetVocabularyHash = "target_vocabulary_hash"
    static let pipelineCacheKey = "pipeline_cache_key"
    static let parameterCount = "parameter_count"
    static let step = "step"
    static let epoch = "epoch"
    static let validBLEU = "valid_bleu"
    static let validLoss = "valid_loss"
    static let created = "created"

    static let reserved: Set<String> = [format, formatVersion, kind, modelConfig, sourceVocabularyHash,
                                        targetVocabularyHash, pipelineCacheKey, parameterCount, step, epoch,
                                        validBLEU, validLoss, created]

    /// The configuration as compact JSON with sorted keys (stable bytes for equal configs).
    static func encode(_ config: ModelConfig) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // A struct of numbers, a bool and an enum string cannot fail to encode.
        return (try? encoder.encode(config)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func decodeConfig(_ text: String, path: String) throws(ModelBundleError) -> ModelConfig {
        let config: ModelConfig
        do {
            config = try JSONDecoder().decode(ModelConfig.self, from: Data(text.utf8))
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            // A value this build does not know (a newer cell): the decoder's own words say which.
            throw .badMetadata(path: path, key: modelConfig, reason: context.debugDescription)
        } catch {
            throw .badMetadata(path: path, key: modelConfig, reason: "not a model configuration (\(error))")
        }
        do {
            try config.validate()
        } catch {
            throw .badMetadata(path: path, key: modelConfig, reason: error.description)
        }
        return config
    }

    /// Shortest round-tripping decimal text of a Double.
    static func number(_ x: Double) -> String { "\(x)" }

    /// The current time as ISO 8601 UTC.
    static func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}

extension ModelInfo {
    /// The most source tokens a translation reads (`s2s translate --max-source-len`'s default):
    /// twice the longest sequence the model was trained on when its header says (`max_length`),
    /// else 250 tokens.
    package var sourceTokenCap: Int {
        for key in ["max_length", "max_source_length"] {
            if let v = header[key].flatMap({ Int($0) }), v > 0 { return max(2 * v, 16) }
        }
        return 250
    }
}
