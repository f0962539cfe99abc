import Foundation
import S2SModel
import S2SText

/// The copy of the vocabulary inside a model directory (`models/NAME/vocab/`), so a model
/// directory is self-contained: `s2s translate --model models/NAME` needs nothing else.
extension ModelBundle {
    /// Writes `pipelines` as a pipeline directory at `path` (the layout `s2s vocab build`
    /// writes), unless a valid one with the same `cacheKey` is already there.
    ///
    /// The files are serialized from the loaded pipelines (vocabularies, BPE codes,
    /// `pipeline.json`) into a temporary sibling, reloaded and checked to give the same
    /// `cacheKey` (so the copy is byte-for-byte what the hashes promise), then renamed into place.
    package static func writeVocabulary(_ pipelines: TextPipelinePair, to path: String) throws(ModelBundleError) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists, isDirectory.boolValue, let current = try? TextPipelinePair(directory: path),
           current.cacheKey == pipelines.cacheKey {
            return
        }
        let temp = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try fm.createDirectory(atPath: temp, withIntermediateDirectories: true)
        } catch {
            throw .io(path: path, reason: "cannot create the vocabulary copy: \(error.localizedDescription)")
        }
        var keepTemp = false
        defer { if !keepTemp { try? fm.removeItem(atPath: temp) } }
        do throws(TextError) {
            let config = pipelines.config
            var written: Set<String> = []
            for (side, pipeline) in [(config.source, pipelines.source), (config.target, pipelines.target)] {
                if written.insert(side.vocabulary).inserted {
                    try pipeline.vocabulary.write(to: "\(temp)/\(side.vocabulary)")
                }
                if let name = side.codes, let bpe = pipeline.bpe, written.insert(name).inserted {
                    try bpe.codes.write(to: "\(temp)/\(name)")
                }
            }
            try AtomicFile.write(config.encoded(), to: "\(temp)/\(PipelineConfig.fileName)")
            let copy = try TextPipelinePair(directory: temp)
            guard copy.cacheKey == pipelines.cacheKey else {
                throw TextError.badPipeline(file: temp, reason: "the written copy does not reproduce the vocabulary's fingerprint")
            }
        } catch {
            throw .vocabulary(directory: path, error)
        }
        let old = "\(path).old-\(getpid())"
        if exists && rename(path, old) != 0 {
            throw .io(path: path, reason: "cannot move the old vocabulary aside: \(String(cString: strerror(errno)))")
        }
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            if exists { _ = rename(old, path) }
            throw .io(path: path, reason: "cannot move the vocabulary copy into place: \(reason)")
        }
        keepTemp = true
        if exists { try? fm.removeItem(atPath: old) }
    }

    /// Checks that `pipelines` are the vocabulary `info` was trained with: both vocabulary
    /// hashes, the whole chain's fingerprint (tokenizer settings and BPE codes included), and
    /// the model's vocabulary sizes.
    package static func checkVocabulary(_ pipelines: TextPipelinePair, matches info: ModelInfo,
                                       vocabularyPath: String) throws(ModelBundleError) {
        let config = pipelines.config
        if config.source.vocabularyHash != info.sourceVocabularyHash {
            throw .vocabularyMismatch(path: info.path, side: "source", recorded: info.sourceVocabularyHash,
                                      found: config.source.vocabularyHash, vocabulary: vocabularyPath)
        }
        if config.target.vocabularyHash != info.targetVocabularyHash {
            throw .vocabularyMismatch(path: info.path, side: "target", recorded: info.targetVocabularyHash,
                                      found: config.target.vocabularyHash, vocabulary: vocabularyPath)
        }
        if pipelines.cacheKey != info.pipelineCacheKey {
            throw .vocabularyMismatch(path: info.path, side: "tokenizer/BPE", recorded: info.pipelineCacheKey,
                                      found: pipelines.cacheKey, vocabulary: vocabularyPath)
        }
        let sizes = (pipelines.source.vocabulary.count, pipelines.target.vocabulary.count)
        if sizes != (info.config.sourceVocabulary, info.config.targetVocabulary) {
            throw .badMetadata(path: info.path, key: ModelHeader.modelConfig,
                               reason: "vocabulary sizes \(info.config.sourceVocabulary)/\(info.config.targetVocabulary) differ from \(vocabularyPath) (\(sizes.0)/\(sizes.1))")
        }
    }
}
