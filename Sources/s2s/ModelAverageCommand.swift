import ArgumentParser
import Foundation
import S2SBundle
import S2SModel

/// `s2s model average`: checkpoint averaging (the parameters' element-wise mean) of models of
/// one architecture and one vocabulary, typically the `step-N.safetensors` that
/// `s2s train --keep-checkpoints N` keeps.
struct ModelAverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "average",
        abstract: "Average the parameters of models of one architecture (checkpoint averaging).",
        discussion: """
              s2s train … --keep-checkpoints 5 --out models/m
              s2s model average models/m/step-*.safetensors --out models/m-avg
            The inputs must share the architecture and the vocabulary; the first one's vocabulary \
            is copied to the output. Models of different runs are better combined as an ensemble \
            (s2s translate --model A --model B).
            """
    )

    @Argument(help: "Two or more model directories or .safetensors files (checkpoints such as latest.safetensors too).")
    var models: [String]
    @Option(help: "Parameter storage of the result: f32, f16 or bf16.")
    var storage: String = "f32"
    @Option(help: "Output model directory.")
    var out: String

    func validate() throws {
        if !["f32", "f16", "bf16"].contains(storage) {
            throw ValidationError("--storage must be f32, f16 or bf16, got '\(storage)'")
        }
        if models.count < 2 { throw ValidationError("give two or more models to average, got \(models.count)") }
    }

    func run() throws {
        let loaded = try EnsembleLoader.load(models.map { Optional($0) }, command: "model average")
        let averaged: Seq2SeqModel
        do {
            averaged = try ParameterAverage.average(loaded.models)
        } catch {
            throw CommandFailure("model average", error.description)
        }
        let steps = loaded.infos.map(\.metadata.step)
        let metadata = ModelBundleMetadata(step: steps.max() ?? 0, extra: [
            "averaged_from": loaded.infos.map { "\($0.path)@\($0.metadata.step)" }.joined(separator: ","),
        ])
        do {
            try ModelBundle.save(model: averaged, pipelines: loaded.pipelines, directory: out, metadata: metadata,
                                 storage: SafeTensorsFile.FloatStorage(rawValue: storage) ?? .f32)
        } catch {
            throw CommandFailure("model average", error.description)
        }
        standardError("averaged \(loaded.models.count) models (steps \(steps.map(String.init).joined(separator: ", "))) → \(out)")
    }
}
