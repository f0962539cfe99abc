import S2SLayers
import S2SModel
import S2SText

/// Why a model directory could not be saved or loaded. `description` is the one line the CLI
/// prints; every case names the file or directory concerned.
package enum ModelBundleError: Error, CustomStringConvertible, Equatable {
    /// The safetensors file itself is unreadable, truncated or corrupt (its own message).
    case file(SafeTensorsError)
    /// A readable safetensors file that is not an s2s model (another program's, or no header).
    case notAModel(path: String, reason: String)
    /// Written by a newer s2s.
    case newerFormat(path: String, found: Int, supported: Int)
    /// A header field that is missing or cannot be parsed.
    case badMetadata(path: String, key: String, reason: String)
    /// The bundle's `vocab/` directory is missing or not a valid pipeline directory.
    case vocabulary(directory: String, TextError)
    /// The vocabulary files differ from those the model was trained with.
    case vocabularyMismatch(path: String, side: String, recorded: String, found: String, vocabulary: String)
    /// Parameters missing, of the wrong shape, or foreign.
    case parameters(path: String, LayerError)
    /// A parameter holds NaN or ±inf: such a model is never written.
    case nonFinite(tensor: String)
    /// Files or directories that could not be created, found or replaced.
    case io(path: String, reason: String)

    package var description: String {
        switch self {
        case let .file(error):
            return error.description
        case let .notAModel(path, reason):
            return "\(path): not an s2s model: \(reason)"
        case let .newerFormat(path, found, supported):
            return "\(path): model format version \(found) is newer than this s2s understands (\(supported)); upgrade s2s"
        case let .badMetadata(path, key, reason):
            return "\(path): bad model header field '\(key)': \(reason)"
        case let .vocabulary(directory, error):
            return "\(directory): the model's vocabulary cannot be loaded: \(error)"
        case let .vocabularyMismatch(path, side, recorded, found, vocabulary):
            return "\(path): trained with \(side) vocabulary \(recorded.prefix(12))…, but \(vocabulary) holds \(found.prefix(12))… (vocabulary/model mismatch; use the vocabulary the model was trained with)"
        case let .parameters(path, error):
            return "\(path): \(error)"
        case let .nonFinite(tensor):
            return "parameter '\(tensor)' holds NaN or infinity; refusing to write it"
        case let .io(path, reason):
            return "\(path): \(reason)"
        }
    }
}
