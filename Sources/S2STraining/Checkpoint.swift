import Foundation
import S2SBundle
import S2SLayers
import S2SModel
import S2SNumerics
import S2SText

/// The training checkpoint `models/NAME/latest.safetensors`: a ModelBundle file of kind
/// "checkpoint" holding the parameters (F32), the optimizer's state tensors as
/// `optimizer.<name>`, and in its header the resolved `training_config` and the `trainer_state`
/// (JSON). Written atomically by `SafeTensorsFile.write`; refuses to write non-finite values.
enum Checkpoint {
    static let trainingConfigKey = "training_config"
    static let trainerStateKey = "trainer_state"
    static let corpusKey = "corpus"
    static let optimizerPrefix = "optimizer."

    /// What a checkpoint holds besides the parameters.
    struct Contents {
        var file: SafeTensorsFile
        var info: ModelInfo
        var options: TrainingOptions
        var state: TrainerState
    }

    /// Writes the checkpoint of the current training state to `path`.
    static func write(to path: String, model: Seq2SeqModel, pipelines: TextPipelinePair, optimizer: any Optimizer,
                      options: TrainingOptions, state: TrainerState, corpus: String) throws {
        let stateJSON = try String(decoding: encoder().encode(state), as: UTF8.self)
        let metadata = ModelBundleMetadata(step: state.step, epoch: state.batcher.epoch + 1,
                                           validBLEU: state.history.last?.bleu, validLoss: state.history.last?.loss,
                                           extra: [trainingConfigKey: options.json, trainerStateKey: stateJSON, corpusKey: corpus])
        var file = try ModelBundle.makeFile(model: model, pipelines: pipelines, metadata: metadata, kind: .checkpoint)
        for (name, tensor) in optimizer.stateTensors() {
            guard ModelBundle.allFinite(tensor) else { throw ModelBundleError.nonFinite(tensor: optimizerPrefix + name) }
            file.set(optimizerPrefix + name, tensor)
        }
        StaleTemporaries.remove(in: (path as NSString).deletingLastPathComponent)
        try file.write(to: path)
    }

    /// Reads and decodes a checkpoint (no vocabulary or model involved yet).
    static func read(_ path: String) throws(TrainingError) -> Contents {
        let file: SafeTensorsFile, info: ModelInfo
        do {
            (file, info) = try ModelBundle.read(path)
        } catch {
            throw .checkpoint(path: path, reason: error.description)
        }
        guard info.kind == .checkpoint else {
            throw .checkpoint(path: path, reason: "it is a finished model, not a training checkpoint")
        }
        guard let configJSON = info.header[trainingConfigKey], let stateJSON = info.header[trainerStateKey] else {
            throw .checkpoint(path: path, reason: "its header lacks the training configuration or state")
        }
        let options: TrainingOptions, state: TrainerState
        do {
            options = try TrainingOptions.decode(configJSON)
            state = try JSONDecoder().decode(TrainerState.self, from: Data(stateJSON.utf8))
        } catch {
            throw .checkpoint(path: path, reason: "unreadable training state (\(error))")
        }
        guard options.model == info.config else {
            throw .checkpoint(path: path, reason: "training configuration and model configuration disagree")
        }
        return Contents(file: file, info: info, options: options, state: state)
    }

    /// Loads parameters and optimizer state of `contents` into `model` and `optimizer`.
    static func restore(_ contents: Contents, model: Seq2SeqModel, optimizer: any Optimizer) throws {
        try ModelBundle.loadParameters(into: model, from: contents.file, info: contents.info)
        var tensors: [String: Tensor] = [:]
        for name in contents.file.names where name.hasPrefix(optimizerPrefix) {
            tensors[String(name.dropFirst(optimizerPrefix.count))] = try contents.file.tensor(name)
        }
        do {
            try optimizer.loadState(tensors, parameters: model.parameters)
        } catch {
            throw TrainingError.checkpoint(path: contents.info.path, reason: "optimizer state: \(error)")
        }
        model.parameters.bumpVersions()
    }

    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}

extension TrainingConfigFile {
    /// The configuration a model or checkpoint was trained with, from its header (with the
    /// corpus it was trained on), as `s2s model info --config` writes it.
    package init(info: ModelInfo) throws(TrainingError) {
        guard let json = info.header[Checkpoint.trainingConfigKey] else {
            throw .checkpoint(path: info.path, reason: "its header holds no training configuration (\(Checkpoint.trainingConfigKey))")
        }
        let options: TrainingOptions
        do {
            options = try TrainingOptions.decode(json)
        } catch {
            throw .checkpoint(path: info.path, reason: "its \(Checkpoint.trainingConfigKey) is not a training configuration: \(error)")
        }
        self.init(options: options, corpus: info.header[Checkpoint.corpusKey])
    }
}
