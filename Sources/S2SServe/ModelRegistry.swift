import S2SDecode
import S2SBundle
import S2SModel
import S2SNumerics
import S2SText

/// The configured models, loaded once. Nothing else is ever loaded: a request names a model
/// by a plain name, and a name that is not configured is a 404, never a path to look at.
///
/// The models are read by the decoding thread only (a model runs one search at a time); other
/// threads see the names and languages, which never change after loading.
final class ModelRegistry: @unchecked Sendable {
    /// One loaded model with what `/v1/models` shows of it.
    struct Served {
        let name: String
        let directory: String
        let model: Seq2SeqModel
        let pipelines: TextPipelinePair
        let sourceCap: Int
        var languages: (source: String, target: String) {
            (pipelines.config.source.tokenizer.language, pipelines.config.target.tokenizer.language)
        }
    }

    let models: [Served]

    /// Loads every entry (the first failure names its model and directory).
    init(_ entries: [ServeConfiguration.ModelEntry]) throws(ServeStartError) {
        var models: [Served] = []
        for entry in entries {
            do {
                let loaded = try ModelBundle.load(directory: entry.directory)
                // A model packed with --int8 decodes in int8 where the CPU has VNNI (as `translate`).
                loaded.model.precision = loaded.info.isInt8 ? Precision.resolve(.int8).0 : .fp32
                models.append(Served(name: entry.name, directory: entry.directory, model: loaded.model,
                                     pipelines: loaded.pipelines,
                                     sourceCap: loaded.info.sourceTokenCap))
            } catch {
                throw ServeStartError("model '\(entry.name)' (\(entry.directory)): \(error.description)")
            }
        }
        self.models = models
    }

    /// The model a request asks for; no name means the first configured model.
    func model(named name: String?) throws(ServeError) -> Served {
        guard let name else {
            guard let first = models.first else { throw .unavailable("no model is configured") }
            return first
        }
        guard let served = models.first(where: { $0.name == name }) else {
            throw .notFound("no model named '\(name)' is served (served: \(models.map(\.name).joined(separator: ", ")))")
        }
        return served
    }
}

/// The service cannot start: a bad model list, a model that does not load, a port in use.
package struct ServeStartError: Error, CustomStringConvertible, Sendable {
    package let description: String
    package init(_ description: String) { self.description = description }
}
