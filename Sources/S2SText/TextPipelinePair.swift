/// Both sides of a pipeline directory, shaped for the corpus store's `PairEncoder` protocol
/// (`cacheKey`, `encode(source:target:)`), which S2SCorpus declares; conform with
/// `extension TextPipelinePair: PairEncoder {}` where both modules are visible.
///
/// Not thread-safe (the sides hold ICU iterators and caches); `copy()` gives another thread
/// its own.
package final class TextPipelinePair {
    package let source: TextPipeline
    package let target: TextPipeline
    package let config: PipelineConfig
    /// SHA-256 over both sides' fingerprints: equal keys mean equal ids for every pair, so
    /// cached ids can be reused under it.
    package let cacheKey: String

    package init(source: TextPipeline, target: TextPipeline, config: PipelineConfig) {
        self.source = source
        self.target = target
        self.config = config
        cacheKey = SHA256.hex(Array("s2s-text-pipeline-v1\n\(source.fingerprint)\n\(target.fingerprint)\n".utf8))
    }

    /// Loads both sides of a directory written by `s2s vocab build` (hashes checked).
    package convenience init(directory: String) throws(TextError) {
        self.init(source: try TextPipeline.load(directory: directory, side: .source),
                  target: try TextPipeline.load(directory: directory, side: .target),
                  config: try PipelineConfig.load(directory: directory))
    }

    /// Ids of one sentence pair, without `<s>`/`</s>`.
    package func encode(source: String, target: String) throws -> (source: [Int32], target: [Int32]) {
        (try self.source.encode(source), try self.target.encode(target))
    }

    /// The same pipelines with their own tokenizers and caches, for another thread.
    package func copy() throws(TextError) -> TextPipelinePair {
        TextPipelinePair(source: try source.copy(), target: try target.copy(), config: config)
    }
}
