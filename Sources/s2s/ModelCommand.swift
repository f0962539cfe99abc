import ArgumentParser
import Foundation
import S2SBundle
import S2SModel
import S2STraining

/// Model files: inspect one, or repack it (e.g. fp16 storage for shipping, as marian-conv does).
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "List the models found by name, inspect one, repack it (fp16/bf16 storage, training state dropped), average several or learn a shortlist.",
        subcommands: [ModelListCommand.self, ModelInfoCommand.self, ModelPackCommand.self, ModelAverageCommand.self,
                      ModelShortlistCommand.self]
    )
}

struct ModelInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Print a model's configuration and header.")

    @Argument(help: "A model name (see `s2s model list`), a model directory, or a .safetensors file inside one.")
    var model: String
    @Flag(help: "Print the configuration the model was trained with as a `s2s train --config` file instead.")
    var config = false

    func run() throws {
        let (_, info) = try ModelBundle.read(try resolveModel(model, command: "model info"))
        if config {
            do {
                print(try TrainingConfigFile(info: info).json, terminator: "")
            } catch {
                throw CommandFailure("model info", "\(error)")
            }
            return
        }
        let c = info.config
        print("file         \(info.path) (\(info.kind.rawValue), \(info.storage), format v\(info.formatVersion))")
        print("model        \(c.summary)")
        if info.isInt8 { print("int8         \(info.int8Parameters.joined(separator: ", ")) (per-row scales; translate decodes in int8)") }
        if let count = try? Seq2SeqModel(config: c).parameterCount { print("parameters   \(count)") }
        print("trained      step \(info.metadata.step)" + (info.metadata.validBLEU.map { String(format: ", valid BLEU %.2f", $0) } ?? "")
              + (info.metadata.validLoss.map { String(format: ", valid loss %.4f", $0) } ?? ""))
        print("vocabulary   source \(info.sourceVocabularyHash.prefix(16))…, target \(info.targetVocabularyHash.prefix(16))…")
    }
}

struct ModelPackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Write a model (or a checkpoint's parameters) as a self-contained model directory.",
        discussion: "  s2s model pack models/m30k --storage f16 --out models/default\n  s2s model pack models/default --int8 --out models/default-int8"
    )

    @Argument(help: "A model directory or a .safetensors file inside one.")
    var model: String
    @Option(help: "Parameter storage: f32, f16 or bf16 (values are fp32 in memory either way).")
    var storage: String = "f16"
    @Option(help: "Output model directory.")
    var out: String
    // A flag beside --storage rather than one of its values: int8 applies to the decoder's
    // per-step matrices only and adds per-row scales; the rest keeps --storage.
    @Flag(help: "Store the decoder's per-step matrices in int8 with per-row scales (the rest in --storage); translate then decodes in int8.")
    var int8 = false

    func run() throws {
        guard let floatStorage = SafeTensorsFile.FloatStorage(rawValue: storage) else {
            throw ValidationError("--storage must be f32, f16 or bf16, got '\(storage)'")
        }
        try OutputPreflight.check(out)
        let (seq2seq, pipelines, info) = try ModelBundle.load(directory: model)
        try ModelBundle.save(model: seq2seq, pipelines: pipelines, directory: out, metadata: info.metadata, storage: floatStorage, int8: int8)
        let (_, packed) = try ModelBundle.read(out)
        let int8Note = packed.isInt8 ? " + I8 for \(packed.int8Parameters.count) decoder matrices" : ""
        FileHandle.standardError.write(Data("packed \(info.path) → \(packed.path) (\(packed.storage)\(int8Note))\n".utf8))
    }
}
