import Foundation
@testable import S2SBundle
import Testing
import S2SLayers
import S2SNumerics
import S2SText
@testable import S2SModel

/// Builds a real BPE vocabulary directory from the first lines of the bundled Multi30k.
private func buildVocabulary(at directory: String, lines: Int = 150, merges: Int = 200, lowercase: Bool = false) throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let corpus = root.appendingPathComponent("corpora/multi30k")
    let en = try String(contentsOf: corpus.appendingPathComponent("train.en"), encoding: .utf8).split(separator: "\n").prefix(lines)
    let de = try String(contentsOf: corpus.appendingPathComponent("train.de"), encoding: .utf8).split(separator: "\n").prefix(lines)
    let options = VocabularyBuildOptions(source: TokenizerSettings(language: "en", lowercase: lowercase),
                                         target: TokenizerSettings(language: "de", lowercase: lowercase),
                                         merges: merges, joint: true)
    let builder = try VocabularyBuilder(options: options)
    try builder.add(pairs: zip(en.map(String.init), de.map(String.init)).map { ($0, $1) })
    try builder.finish().write(to: directory)
}

private func smallModel(_ pipelines: TextPipelinePair, seed: UInt64 = 3) throws -> Seq2SeqModel {
    let config = ModelConfig(sourceVocabulary: pipelines.source.vocabulary.count,
                             targetVocabulary: pipelines.target.vocabulary.count,
                             embedding: 8, hidden: 6, decoderHidden: 5, attentionSize: 4, layers: 2, dropout: 0.1)
    return try Seq2SeqModel(config: config, seed: seed)
}

private func bits(_ model: Seq2SeqModel) -> [String: [UInt32]] {
    Dictionary(uniqueKeysWithValues: model.parameters.all.map { ($0.name, $0.value.array.map(\.bitPattern)) })
}

@Suite struct ModelBundleTests {
    @Test func saveThenLoadGivesTheSameModelAndVocabulary() throws {
        let scratch = try ScratchDirectory()
        let vocab = scratch.path + "/vocab/en-de"
        try buildVocabulary(at: vocab)
        let pipelines = try TextPipelinePair(directory: vocab)
        let model = try smallModel(pipelines)
        let dir = scratch.path + "/models/m1"
        try ModelBundle.save(model: model, pipelines: pipelines, directory: dir,
                             metadata: ModelBundleMetadata(step: 1234, epoch: 3, validBLEU: 17.25, validLoss: 2.5,
                                                           extra: ["note": "hello", "format": "ignored"]))
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir)) == ["model.safetensors", "vocab"])

        // Loading must not depend on the original vocabulary directory.
        try FileManager.default.removeItem(atPath: vocab)
        let (loaded, loadedPipelines, info) = try ModelBundle.load(directory: dir)
        #expect(bits(loaded) == bits(model))
        #expect(loaded.config == model.config)
        #expect(loadedPipelines.cacheKey == pipelines.cacheKey)
        #expect(info.kind == .model && info.formatVersion == 1 && info.storage == "F32")
        #expect(info.metadata.step == 1234 && info.metadata.epoch == 3)
        #expect(info.metadata.validBLEU == 17.25 && info.metadata.validLoss == 2.5)
        #expect(info.metadata.extra["note"] == "hello")
        #expect(info.header["format"] == "s2s-model")
        #expect(info.sourceVocabularyHash == pipelines.config.source.vocabularyHash)
        #expect(info.directory == dir)

        // The same through the file path, and a second save keeps the identical vocabulary copy.
        let (again, _, info2) = try ModelBundle.load(directory: dir + "/model.safetensors")
        #expect(bits(again) == bits(model) && info2.path == dir + "/model.safetensors")
        try ModelBundle.save(model: model, pipelines: loadedPipelines, directory: dir)
        #expect(try ModelBundle.load(directory: dir).pipelines.cacheKey == pipelines.cacheKey)
    }

    @Test func halfPrecisionStorageRoundsEachWeightOnce() throws {
        let scratch = try ScratchDirectory()
        try buildVocabulary(at: scratch.path + "/v")
        let pipelines = try TextPipelinePair(directory: scratch.path + "/v")
        let model = try smallModel(pipelines)
        try ModelBundle.save(model: model, pipelines: pipelines, directory: scratch.path + "/m", storage: .f16)
        let (loaded, _, info) = try ModelBundle.load(directory: scratch.path + "/m")
        #expect(info.storage == "F16")
        for p in model.parameters.all {
            let expected = p.value.array.map { Float(Float16($0)) }
            #expect(loaded.parameters[p.name]!.value.array == expected)
        }
    }

    /// `--int8` packing: the decoder's per-step matrices as I8 with per-row F32 scales, every
    /// value within half a step of its row's scale, the rest as stored; saving the loaded model
    /// again gives the same integers and scales (int8 → fp32 → int8 is exact).
    @Test func int8PackingRoundTripsThroughSaveAndLoad() throws {
        let scratch = try ScratchDirectory()
        try buildVocabulary(at: scratch.path + "/v")
        let pipelines = try TextPipelinePair(directory: scratch.path + "/v")
        let model = try smallModel(pipelines)
        try ModelBundle.save(model: model, pipelines: pipelines, directory: scratch.path + "/m", storage: .f32, int8: true)
        let (loaded, _, info) = try ModelBundle.load(directory: scratch.path + "/m")
        let matrices = model.decodingMatrices
        let int8Names = model.parameters.all.filter { p in matrices.contains { $0 === p.value } }.map(\.name)
        #expect(!int8Names.isEmpty && info.isInt8 && info.int8Parameters == int8Names.sorted())
        let (file, _) = try ModelBundle.read(scratch.path + "/m")
        for p in model.parameters.all {
            let back = loaded.parameters[p.name]!.value
            guard int8Names.contains(p.name) else {
                #expect(back.array == p.value.array, "\(p.name) changed")
                continue
            }
            #expect(file.dtype(of: p.name) == .i8 && file.dtype(of: ModelBundle.int8ScalePrefix + p.name) == .f32)
            let (rows, cols) = (p.value.shape[0], p.value.shape[1])
            for r in 0..<rows {
                let step = (0..<cols).map { abs(p.value[r * cols + $0]) }.max()! / 127
                for c in 0..<cols {
                    #expect(abs(back[r * cols + c] - p.value[r * cols + c]) <= step / 2 * (1 + 1e-5), "\(p.name)[\(r), \(c)]")
                }
            }
        }
        try ModelBundle.save(model: loaded, pipelines: pipelines, directory: scratch.path + "/m2", storage: .f32, int8: true)
        let (file2, _) = try ModelBundle.read(scratch.path + "/m2")
        for name in int8Names {
            #expect(try file2.integers(name) == file.integers(name), "\(name): integers changed on a second pack")
            let (s1, s2) = (try file.tensor(ModelBundle.int8ScalePrefix + name).array, try file2.tensor(ModelBundle.int8ScalePrefix + name).array)
            #expect(zip(s1, s2).allSatisfy { abs($0 - $1) <= $0.ulp }, "\(name): scales changed on a second pack")
        }
        // An old (float) model has no int8 parameters.
        try ModelBundle.save(model: model, pipelines: pipelines, directory: scratch.path + "/f", storage: .f16)
        #expect(try !ModelBundle.read(scratch.path + "/f").info.isInt8)
    }

    @Test func aDifferentVocabularyIsRefused() throws {
        let scratch = try ScratchDirectory()
        try buildVocabulary(at: scratch.path + "/v1")
        try buildVocabulary(at: scratch.path + "/v2", lowercase: true)
        let pipelines = try TextPipelinePair(directory: scratch.path + "/v1")
        try ModelBundle.save(model: try smallModel(pipelines), pipelines: pipelines, directory: scratch.path + "/m")
        #expect { _ = try ModelBundle.load(directory: scratch.path + "/m", vocabulary: scratch.path + "/v2") } throws: { error in
            guard case .vocabularyMismatch = error as? ModelBundleError else { return false }
            return "\(error)".contains("mismatch")
        }
        // A vocabulary copy edited after saving is caught by the pipeline's own hashes.
        let copy = scratch.path + "/m/vocab/source.vocab"
        var text = try String(contentsOfFile: copy, encoding: .utf8)
        text = text.replacingOccurrences(of: "\t", with: "\t1", options: [], range: text.range(of: "\t"))
        try text.write(toFile: copy, atomically: true, encoding: .utf8)
        #expect(throws: ModelBundleError.self) { _ = try ModelBundle.load(directory: scratch.path + "/m") }
    }

    @Test func corruptForeignAndMissingFilesGiveOneClearError() throws {
        let scratch = try ScratchDirectory()
        try buildVocabulary(at: scratch.path + "/v")
        let pipelines = try TextPipelinePair(directory: scratch.path + "/v")
        let dir = scratch.path + "/m"
        try ModelBundle.save(model: try smallModel(pipelines), pipelines: pipelines, directory: dir)
        let path = dir + "/model.safetensors"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))

        // Truncated.
        try bytes.prefix(bytes.count - 10).write(to: URL(fileURLWithPath: path))
        #expect { _ = try ModelBundle.load(directory: dir) } throws: { error in
            guard case .file = error as? ModelBundleError else { return false }
            return "\(error)".contains(path)
        }
        // Another program's safetensors file.
        var foreign = SafeTensorsFile(metadata: ["pt": "1"])
        foreign.set("weight", Tensor(shape: [2, 2]))
        try foreign.write(to: path)
        #expect { _ = try ModelBundle.load(directory: dir) } throws: { error in
            guard case .notAModel = error as? ModelBundleError else { return false }
            return true
        }
        // Not a file at all; no model in the directory.
        #expect(throws: ModelBundleError.self) { _ = try ModelBundle.load(directory: scratch.path + "/nothing") }
        try FileManager.default.removeItem(atPath: path)
        #expect { _ = try ModelBundle.load(directory: dir) } throws: { error in
            "\(error)".contains("no model.safetensors")
        }
    }

    /// Configurations written before the encoder cell and residual options decode as what they
    /// were; a cell this build does not know is refused with the names it does know.
    @Test func configurationsBeforeCellsLoadAndUnknownCellsAreNamed() throws {
        let old = #"{"attention":"additive","attentionSize":256,"decoderHidden":256,"dropout":0.2,"embedding":256,"#
            + #""hidden":256,"labelSmoothing":0.1,"layers":1,"orthogonalRecurrent":false,"sourceVocabulary":8000,"targetVocabulary":8000}"#
        let config = try ModelHeader.decodeConfig(old, path: "m.safetensors")
        #expect(config.encoderCell == RecurrentCellKind.lstm && !config.residual)
        let stored = ModelHeader.encode(ModelConfig(sourceVocabulary: 9, targetVocabulary: 9, encoderCell: .gated, residual: true))
        #expect(try ModelHeader.decodeConfig(stored, path: "m.safetensors").encoderCell == RecurrentCellKind.gated)
        let future = stored.replacingOccurrences(of: #""gated""#, with: #""mlstm""#)
        #expect { _ = try ModelHeader.decodeConfig(future, path: "m.safetensors") } throws: { error in
            let text = "\(error)"
            return text.contains("m.safetensors") && text.contains("'mlstm'") && text.contains("rnn, gated, lstm, gru")
        }
    }

    @Test func nonFiniteParametersAreNeverWritten() throws {
        let scratch = try ScratchDirectory()
        try buildVocabulary(at: scratch.path + "/v")
        let pipelines = try TextPipelinePair(directory: scratch.path + "/v")
        let model = try smallModel(pipelines)
        model.parameters["out.bias"]!.value.data[2] = .nan
        #expect(throws: ModelBundleError.nonFinite(tensor: "out.bias")) {
            try ModelBundle.save(model: model, pipelines: pipelines, directory: scratch.path + "/m")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/m/model.safetensors"))
    }
}
