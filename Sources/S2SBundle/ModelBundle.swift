import Foundation
import S2SLayers
import S2SModel
import S2SNumerics
import S2SText

/// A trained model on disk: the directory `models/NAME/` that `s2s train` writes and
/// `s2s translate --model models/NAME` reads.
///
///     models/NAME/
///       model.safetensors    parameters (F32, or F16/BF16 to halve the size) + header below
///       vocab/               copy of the vocabulary directory (`s2s vocab build` layout)
///       latest.safetensors   training checkpoint (parameters + optimizer/trainer state)
///       metrics.jsonl        training log
///
/// The header (`__metadata__`) of both safetensors files: `format` "s2s-model",
/// `format_version`, `kind` ("model" or "checkpoint"), `model_config` (ModelConfig JSON),
/// `source_vocabulary_hash`, `target_vocabulary_hash`, `pipeline_cache_key`, `parameter_count`,
/// `step`, `epoch`, `valid_bleu`, `valid_loss`, `created`, plus free-form extras.
/// Parameters carry their PyTorch `state_dict` names. A checkpoint's extra tensors are named
/// `optimizer.*` and `trainer.*`.
package enum ModelBundle {
    package static let format = "s2s-model"
    package static let formatVersion = 1
    package static let modelFileName = "model.safetensors"
    package static let checkpointFileName = "latest.safetensors"
    package static let vocabularyDirectoryName = "vocab"
    /// Name prefixes of the non-parameter tensors a checkpoint may hold.
    package static let stateTensorPrefixes = ["optimizer.", "trainer."]

    /// Saves `model` with its vocabulary into `directory` (created if needed) so that it appears
    /// whole or not at all (`writeWhole`): a reader sees the old model or the new one, never a
    /// mix. Refuses non-finite parameters and a vocabulary whose sizes differ from the model's.
    /// `int8`: the decoder's per-step matrices in I8 with per-row scales (`storeInt8`).
    package static func save(model: Seq2SeqModel, pipelines: TextPipelinePair, directory: String,
                            metadata: ModelBundleMetadata = ModelBundleMetadata(),
                            storage: SafeTensorsFile.FloatStorage = .f32, int8: Bool = false,
                            fileName: String = modelFileName) throws(ModelBundleError) {
        var file = try makeFile(model: model, pipelines: pipelines, metadata: metadata, kind: .model, storage: storage)
        if int8 { try storeInt8(model, in: &file) }
        try writeWhole(file, pipelines: pipelines, directory: directory, fileName: fileName)
    }

    /// Creates `directory` if needed and writes (or keeps) its vocabulary copy.
    package static func prepare(directory: String, pipelines: TextPipelinePair) throws(ModelBundleError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: directory, reason: "cannot create the model directory: \(error.localizedDescription)")
        }
        try writeVocabulary(pipelines, to: "\(directory)/\(vocabularyDirectoryName)")
    }

    /// The parameters and header as a safetensors value, not yet written: the trainer adds its
    /// state tensors to it to make a checkpoint.
    package static func makeFile(model: Seq2SeqModel, pipelines: TextPipelinePair, metadata: ModelBundleMetadata,
                                kind: ModelInfo.Kind, storage: SafeTensorsFile.FloatStorage = .f32) throws(ModelBundleError) -> SafeTensorsFile {
        let sizes = (pipelines.source.vocabulary.count, pipelines.target.vocabulary.count)
        guard sizes == (model.config.sourceVocabulary, model.config.targetVocabulary) else {
            throw .badMetadata(path: "<model>", key: ModelHeader.modelConfig,
                               reason: "model vocabularies \(model.config.sourceVocabulary)/\(model.config.targetVocabulary) differ from the pipelines' \(sizes.0)/\(sizes.1)")
        }
        var header = metadata.extra.filter { !ModelHeader.reserved.contains($0.key) }
        header[ModelHeader.format] = format
        header[ModelHeader.formatVersion] = "\(formatVersion)"
        header[ModelHeader.kind] = kind.rawValue
        header[ModelHeader.modelConfig] = ModelHeader.encode(model.config)
        header[ModelHeader.sourceVocabularyHash] = pipelines.config.source.vocabularyHash
        header[ModelHeader.targetVocabularyHash] = pipelines.config.target.vocabularyHash
        header[ModelHeader.pipelineCacheKey] = pipelines.cacheKey
        header[ModelHeader.parameterCount] = "\(model.parameterCount)"
        header[ModelHeader.step] = "\(metadata.step)"
        header[ModelHeader.created] = ModelHeader.timestamp()
        if let e = metadata.epoch { header[ModelHeader.epoch] = "\(e)" }
        if let b = metadata.validBLEU, b.isFinite { header[ModelHeader.validBLEU] = ModelHeader.number(b) }
        if let l = metadata.validLoss, l.isFinite { header[ModelHeader.validLoss] = ModelHeader.number(l) }
        var file = SafeTensorsFile(metadata: header)
        for p in model.parameters.all {
            guard allFinite(p.value) else { throw .nonFinite(tensor: p.name) }
            file.set(p.name, p.value, as: storage)
        }
        return file
    }

    /// Loads a model directory (or a `.safetensors` file inside one: `model.safetensors`, or a
    /// checkpoint such as `latest.safetensors`) with the vocabulary in its `vocab/` — or in
    /// `vocabulary` when given — and checks that the two belong together.
    package static func load(directory path: String, vocabulary: String? = nil) throws(ModelBundleError)
        -> (model: Seq2SeqModel, pipelines: TextPipelinePair, info: ModelInfo) {
        let (file, info) = try read(path)
        let vocabPath = vocabulary ?? "\(info.directory)/\(vocabularyDirectoryName)"
        let pipelines: TextPipelinePair
        do {
            pipelines = try TextPipelinePair(directory: vocabPath)
        } catch {
            throw .vocabulary(directory: vocabPath, error)
        }
        try checkVocabulary(pipelines, matches: info, vocabularyPath: vocabPath)
        let model = try makeModel(file: file, info: info)
        return (model, pipelines, info)
    }

    /// Reads and checks a model file's header (no vocabulary involved): the safetensors value and
    /// what its header says. `path` is a bundle directory or a `.safetensors` file.
    package static func read(_ path: String) throws(ModelBundleError) -> (file: SafeTensorsFile, info: ModelInfo) {
        let (filePath, directory) = try resolve(path)
        let file: SafeTensorsFile
        do {
            file = try SafeTensorsFile.read(from: filePath)
        } catch {
            throw .file(error)
        }
        return (file, try info(of: file, path: filePath, directory: directory))
    }

    /// A model built from `info.config` holding the parameters of `file` (state tensors of a
    /// checkpoint are skipped; anything else foreign is an error).
    package static func makeModel(file: SafeTensorsFile, info: ModelInfo) throws(ModelBundleError) -> Seq2SeqModel {
        let model: Seq2SeqModel
        do {
            model = try Seq2SeqModel(config: info.config)
        } catch {
            throw .badMetadata(path: info.path, key: ModelHeader.modelConfig, reason: error.description)
        }
        try loadParameters(into: model, from: file, info: info)
        return model
    }

    /// Copies the parameters of `file` into `model` (same configuration), checking names,
    /// shapes and finiteness.
    package static func loadParameters(into model: Seq2SeqModel, from file: SafeTensorsFile,
                                      info: ModelInfo) throws(ModelBundleError) {
        var tensors: [String: Tensor] = [:]
        for name in file.names {
            if info.kind == .checkpoint && stateTensorPrefixes.contains(where: { name.hasPrefix($0) }) { continue }
            if name.hasPrefix(int8ScalePrefix) {
                try checkInt8Scale(name, in: file, info: info)
                continue
            }
            guard model.parameters[name] != nil else {
                throw .parameters(path: info.path, .unexpectedTensor(name: name))
            }
            do {
                let t = try parameterValues(name, in: file, info: info)
                guard allFinite(t) else {
                    throw ModelBundleError.notAModel(path: info.path, reason: "parameter '\(name)' holds NaN or infinity")
                }
                tensors[name] = t
            } catch let error as SafeTensorsError {
                throw .file(error)
            } catch let error as ModelBundleError {
                throw error
            } catch {
                throw .notAModel(path: info.path, reason: "\(error)")
            }
        }
        do {
            try model.load(tensors)
        } catch {
            throw .parameters(path: info.path, error)
        }
    }

    /// Whether every element is finite.
    package static func allFinite(_ t: Tensor) -> Bool {
        let p = t.data
        var bad = false
        for i in 0..<t.count where !p[i].isFinite { bad = true; break }
        return !bad
    }

    /// The file to read and its bundle directory for a directory or file path.
    static func resolve(_ path: String) throws(ModelBundleError) -> (file: String, directory: String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .io(path: path, reason: "no such model directory or file")
        }
        guard isDirectory.boolValue else {
            let parent = (path as NSString).deletingLastPathComponent
            return (path, parent.isEmpty ? "." : parent)
        }
        let model = "\(path)/\(modelFileName)"
        guard FileManager.default.fileExists(atPath: model) else {
            let latest = "\(path)/\(checkpointFileName)"
            let hint = FileManager.default.fileExists(atPath: latest)
                ? " (training has not saved a best model yet; pass \(latest) to use the latest checkpoint)"
                : " (is this a directory written by s2s train?)"
            throw .io(path: path, reason: "no \(modelFileName)" + hint)
        }
        return (model, path)
    }

    /// Parses and checks the header of an s2s model file.
    static func info(of file: SafeTensorsFile, path: String, directory: String) throws(ModelBundleError) -> ModelInfo {
        let h = file.metadata
        guard let format = h[ModelHeader.format] else {
            throw .notAModel(path: path, reason: "its header has no 'format' field (a safetensors file from another program?)")
        }
        guard format == Self.format else {
            throw .notAModel(path: path, reason: "format is '\(format)', expected '\(Self.format)'")
        }
        func field(_ key: String) throws(ModelBundleError) -> String {
            guard let v = h[key], !v.isEmpty else { throw .badMetadata(path: path, key: key, reason: "missing") }
            return v
        }
        func integer(_ key: String) throws(ModelBundleError) -> Int {
            let text = try field(key)
            guard let v = Int(text) else { throw .badMetadata(path: path, key: key, reason: "'\(text)' is not an integer") }
            return v
        }
        let version = try integer(ModelHeader.formatVersion)
        guard version <= formatVersion else { throw .newerFormat(path: path, found: version, supported: formatVersion) }
        guard version >= 1 else { throw .badMetadata(path: path, key: ModelHeader.formatVersion, reason: "\(version) is not a version") }
        let kindText = try field(ModelHeader.kind)
        guard let kind = ModelInfo.Kind(rawValue: kindText) else {
            throw .badMetadata(path: path, key: ModelHeader.kind, reason: "'\(kindText)' is neither 'model' nor 'checkpoint'")
        }
        let config = try ModelHeader.decodeConfig(try field(ModelHeader.modelConfig), path: path)
        var metadata = ModelBundleMetadata(step: try integer(ModelHeader.step))
        if h[ModelHeader.epoch] != nil { metadata.epoch = try integer(ModelHeader.epoch) }
        metadata.validBLEU = h[ModelHeader.validBLEU].flatMap(Double.init)
        metadata.validLoss = h[ModelHeader.validLoss].flatMap(Double.init)
        metadata.extra = h.filter { !ModelHeader.reserved.contains($0.key) }
        // Every parameter is written with one storage type; the source embedding always exists.
        let storage = file.dtype(of: "src_emb.weight")?.rawValue ?? "F32"
        return ModelInfo(path: path, directory: directory, kind: kind, formatVersion: version, config: config,
                         sourceVocabularyHash: try field(ModelHeader.sourceVocabularyHash),
                         targetVocabularyHash: try field(ModelHeader.targetVocabularyHash),
                         pipelineCacheKey: try field(ModelHeader.pipelineCacheKey),
                         storage: storage, metadata: metadata, header: h, int8Parameters: int8Parameters(of: file))
    }
}
