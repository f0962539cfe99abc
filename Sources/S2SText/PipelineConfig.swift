import Foundation

/// Which side of a parallel corpus.
package enum Side: String, Codable, Sendable, CaseIterable {
    case source, target
}

/// The settings file (`pipeline.json`) of a pipeline directory written by `s2s vocab build`:
/// everything needed to rebuild the same tokenizer → BPE → vocabulary chain for training and
/// translation, with hashes that catch a file edited or swapped after the build.
package struct PipelineConfig: Codable, Sendable, Equatable {
    package static let fileName = "pipeline.json"
    package static let formatName = "s2s-text-pipeline"

    /// One side's chain. File names are relative to the directory.
    package struct SideConfig: Codable, Sendable, Equatable {
        package var tokenizer: TokenizerSettings
        /// The BPE codes file, or nil for a word-level vocabulary.
        package var codes: String?
        /// SHA-256 of the codes file's bytes.
        package var codesHash: String?
        package var vocabulary: String
        /// `Vocabulary.contentHash` of the vocabulary file.
        package var vocabularyHash: String
        package var vocabularySize: Int
    }

    package var format = PipelineConfig.formatName
    package var version = 1
    package var source: SideConfig
    package var target: SideConfig
    /// Merges asked for (the codes may hold fewer: learning stops when no pair occurs twice).
    package var merges: Int
    package var joint: Bool
    package var shared: Bool
    package var minCount: Int
    package var maxSize: Int?

    package subscript(side: Side) -> SideConfig {
        switch side {
        case .source: source
        case .target: target
        }
    }

    package func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings and numbers cannot fail.
        let data = (try? encoder.encode(self)) ?? Data()
        return Array(data) + [0x0A]
    }

    /// Reads `directory/pipeline.json`.
    package static func load(directory: String) throws(TextError) -> PipelineConfig {
        let path = "\(directory)/\(fileName)"
        let bytes = try FileBytes.read(path)
        let config: PipelineConfig
        do {
            config = try JSONDecoder().decode(PipelineConfig.self, from: Data(bytes))
        } catch {
            throw .badPipeline(file: path, reason: "cannot decode settings: \(Self.describe(error))")
        }
        guard config.format == formatName else {
            throw .badPipeline(file: path, reason: "format is '\(config.format)', expected '\(formatName)'")
        }
        guard config.version == 1 else {
            throw .badPipeline(file: path, reason: "version \(config.version) is newer than this s2s understands (1)")
        }
        for side in Side.allCases {
            let c = config[side]
            try c.tokenizer.validate()
            for name in [c.vocabulary] + (c.codes.map { [$0] } ?? []) where name.contains("/") || name.hasPrefix(".") {
                throw .badPipeline(file: path, reason: "\(side) file name '\(name)' must be a plain name inside the directory")
            }
            if (c.codes == nil) != (c.codesHash == nil) {
                throw .badPipeline(file: path, reason: "\(side) has codes without a codes hash or the reverse")
            }
        }
        return config
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _): "missing key '\(key.stringValue)'"
        case let DecodingError.typeMismatch(_, context): "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case let DecodingError.valueNotFound(_, context): "missing value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case let DecodingError.dataCorrupted(context):
            context.codingPath.isEmpty ? "not JSON" : "bad value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "\(error)"
        }
    }
}
