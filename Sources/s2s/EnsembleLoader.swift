import S2SBundle
import S2SModel
import S2SText

/// Loads the models named by `--model` (one, or several for an ensemble) and checks that they
/// can decode together: every member must read and write text exactly as the first does, i.e.
/// the same source and target vocabularies and the same text pipeline (tokenizer, BPE codes),
/// since an ensemble averages distributions over one target vocabulary for one source encoding.
enum EnsembleLoader {
    struct Loaded {
        var models: [Seq2SeqModel]
        /// The first member's pipelines (the others' are the same).
        var pipelines: TextPipelinePair
        var infos: [ModelInfo]
    }

    /// `names[i] == nil` stands for the default model.
    static func load(_ names: [String?], command: String) throws -> Loaded {
        var models: [Seq2SeqModel] = [], infos: [ModelInfo] = []
        var pipelines: TextPipelinePair?
        for name in names {
            let path = try resolveModel(name, command: command)
            let member: (model: Seq2SeqModel, pipelines: TextPipelinePair, info: ModelInfo)
            do {
                member = try ModelBundle.load(directory: path)
            } catch {
                throw CommandFailure(command, error.description)
            }
            if let first = infos.first, let mismatch = Self.mismatch(first, member.info) {
                throw CommandFailure(command, "cannot ensemble \(member.info.path) with \(first.path): their \(mismatch) "
                                     + "differ (ensemble members must be trained on one vocabulary)")
            }
            models.append(member.model)
            infos.append(member.info)
            pipelines = pipelines ?? member.pipelines
        }
        guard let pipelines else { throw CommandFailure(command, "no model given") }
        return Loaded(models: models, pipelines: pipelines, infos: infos)
    }

    /// What keeps two models from decoding together, or nil.
    static func mismatch(_ a: ModelInfo, _ b: ModelInfo) -> String? {
        if a.sourceVocabularyHash != b.sourceVocabularyHash { return "source vocabularies" }
        if a.targetVocabularyHash != b.targetVocabularyHash { return "target vocabularies" }
        if a.pipelineCacheKey != b.pipelineCacheKey { return "text pipelines (tokenizer or BPE settings)" }
        return nil
    }
}
