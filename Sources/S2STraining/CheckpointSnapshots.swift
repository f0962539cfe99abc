import Foundation
import S2SBundle
import S2SModel
import S2SText

/// The last N validated parameter sets of a run, kept beside the model as
/// `step-00012000.safetensors` (model files, fp32) for checkpoint averaging
/// (`s2s model average`), as OpenNMT-py's `-keep_checkpoint` and Marian's `--keep-best` keep
/// theirs. Averaging the last few points of a run smooths the noise of the final updates; the
/// best single checkpoint is still `model.safetensors`.
enum CheckpointSnapshots {
    static let prefix = "step-"
    static let suffix = ".safetensors"

    /// The file name of the snapshot at `step` (zero-padded, so names sort by step).
    static func fileName(step: Int) -> String { prefix + String(format: "%08d", step) + suffix }

    /// The step a snapshot's file name stands for, or nil for any other file.
    static func step(ofFileName name: String) -> Int? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        let digits = name.dropFirst(prefix.count).dropLast(suffix.count)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return Int(digits)
    }

    /// The snapshots in `directory`, oldest first.
    static func list(in directory: String) -> [(step: Int, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name in step(ofFileName: name).map { ($0, "\(directory)/\(name)") } }
            .sorted { $0.step < $1.step }
    }

    /// Writes the snapshot of the current parameters (atomically, as every model file), then
    /// removes the oldest beyond `keep`.
    static func save(model: Seq2SeqModel, pipelines: TextPipelinePair, directory: String, metadata: ModelBundleMetadata,
                     keep: Int) throws {
        guard keep > 0 else { return }
        try ModelBundle.save(model: model, pipelines: pipelines, directory: directory, metadata: metadata,
                             fileName: fileName(step: metadata.step))
        for old in list(in: directory).dropLast(keep) {
            try? FileManager.default.removeItem(atPath: old.path)
        }
    }
}
