import Foundation
import S2SDistributed
import S2SEval
import S2SLayers
import S2SModel
import S2SNumerics

/// `s2s train --config FILE`: the options of `s2s train` as one JSON object whose keys are the
/// flags' long names without the dashes and whose values are what the flags take:
///
///     {"corpus": "m30k", "vocab": "vocab/m30k", "enc-cell": "lstm", "hidden": 256, "lr": 0.001}
///
/// Flags given on the command line override the file. `s2s model info --config` writes the
/// resolved configuration a model was trained with as such a file (every key, sorted), so
/// `s2s train --config` with it repeats the run exactly.
package struct TrainingConfigFile: Equatable, Sendable {
    /// The data options (`--db`, `--corpus`, `--vocab`, `--out`); nil where the file has none.
    package var db, corpus, vocab, out: String?
    /// The training options the file sets.
    package var overrides: TrainingOverrides

    package init(db: String? = nil, corpus: String? = nil, vocab: String? = nil, out: String? = nil,
                overrides: TrainingOverrides = TrainingOverrides()) {
        self.db = db
        self.corpus = corpus
        self.vocab = vocab
        self.out = out
        self.overrides = overrides
    }

    /// Every setting of `options`, as a file that resolves to exactly `options`.
    package init(options: TrainingOptions, corpus: String? = nil) {
        self.init(corpus: corpus, overrides: TrainingOverrides(options: options))
    }

    /// Reads and checks `path`; an error names the file and the key.
    package static func read(path: String) throws(TrainingError) -> TrainingConfigFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidOption("\(path): cannot read the configuration file")
        }
        return try parse(data, name: path)
    }

    /// Parses a configuration's JSON text; `name` is what errors call it.
    package static func parse(_ data: Data, name: String) throws(TrainingError) -> TrainingConfigFile {
        do {
            return try JSONDecoder().decode(TrainingConfigFile.self, from: data)
        } catch let error as TrainingConfigError {
            throw .invalidOption("\(name): \(error.message)")
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            throw .invalidOption("\(name): '\(context.codingPath.map(\.stringValue).joined(separator: "."))' must be \(Self.describe(type))")
        } catch let DecodingError.dataCorrupted(context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .invalidOption("\(name): " + (key.isEmpty ? "not a JSON object (\(Self.reason(context)))" : "'\(key)': \(Self.reason(context))"))
        } catch {
            throw .invalidOption("\(name): \(error)")
        }
    }

    /// Pretty JSON with sorted keys and a final newline: the same options give the same bytes.
    package var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is UInt64.Type: return "a whole number"
        default: return "a number"
        }
    }

    private static func reason(_ context: DecodingError.Context) -> String {
        (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
    }
}

/// A key or value of a configuration file that no flag accepts.
struct TrainingConfigError: Error {
    let message: String
}
