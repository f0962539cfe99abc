/// One side's text chain, line → ids and ids → line: normalize and tokenize (ICU), split
/// tokens into BPE pieces, look pieces up in the vocabulary; and back: ids → pieces →
/// concatenation with "▁" turned into spaces. This is the API the trainer and the decoder use.
///
/// Ids carry no `<s>`/`</s>`: callers add them where the model needs them.
///
/// Holds an ICU iterator and caches: not thread-safe; `copy()` gives another thread its own.
package final class TextPipeline {
    package let tokenizer: Tokenizer
    /// nil for a word-level vocabulary.
    package let bpe: BPE?
    package let vocabulary: Vocabulary
    /// SHA-256 over the tokenizer settings, the codes and the vocabulary: equal fingerprints
    /// mean equal ids for every line.
    package let fingerprint: String
    /// What an `<unk>` id prints as in `decode`.
    package var unknownPiece = "▁<unk>"

    private var cache = TokenCache()

    package init(tokenizer: Tokenizer, bpe: BPE?, vocabulary: Vocabulary) {
        self.tokenizer = tokenizer
        self.bpe = bpe
        self.vocabulary = vocabulary
        let s = tokenizer.settings
        var h = SHA256()
        h.update(Array("\(s.language)\t\(s.normalization.rawValue)\t\(s.lowercase)\n".utf8))
        if let bpe { h.update(bpe.codes.serialized()) }
        h.update([0x0A])
        h.update(Array(vocabulary.contentHash.utf8))
        fingerprint = h.finalizeHex()
    }

    /// Loads one side of a directory written by `s2s vocab build`, checking the files against
    /// the hashes recorded at build time.
    package static func load(directory: String, side: Side) throws(TextError) -> TextPipeline {
        let config = try PipelineConfig.load(directory: directory)
        let c = config[side]
        let vocabPath = "\(directory)/\(c.vocabulary)"
        let vocabulary = try Vocabulary.load(path: vocabPath)
        guard vocabulary.contentHash == c.vocabularyHash else {
            throw .badPipeline(file: vocabPath, reason: "content hash \(vocabulary.contentHash.prefix(12))… differs from \(c.vocabularyHash.prefix(12))… recorded in \(PipelineConfig.fileName) (file changed after the build?)")
        }
        var bpe: BPE?
        if let name = c.codes, let recorded = c.codesHash {
            let codesPath = "\(directory)/\(name)"
            let bytes = try FileBytes.read(codesPath)
            let hash = SHA256.hex(bytes)
            guard hash == recorded else {
                throw .badPipeline(file: codesPath, reason: "content hash \(hash.prefix(12))… differs from \(recorded.prefix(12))… recorded in \(PipelineConfig.fileName)")
            }
            bpe = BPE(codes: try BPECodes.parse(bytes, file: codesPath))
        }
        return TextPipeline(tokenizer: try Tokenizer(c.tokenizer), bpe: bpe, vocabulary: vocabulary)
    }

    /// A pipeline with the same tables and its own tokenizer and caches, for another thread.
    package func copy() throws(TextError) -> TextPipeline {
        let other = TextPipeline(tokenizer: try tokenizer.copy(), bpe: bpe?.copy(), vocabulary: vocabulary)
        other.unknownPiece = unknownPiece
        return other
    }

    // MARK: Line → pieces → ids

    /// The marked pieces of `line` (tokens split by BPE).
    package func pieces(_ line: String) throws(TextError) -> [String] {
        try tokenizer.withTokens(line) { tokens in
            withCache { cache in
                var out: [String] = []
                out.reserveCapacity(tokens.count * 2)
                for i in 0..<tokens.count {
                    let e = entry(tokens[i], &cache)
                    out.append(contentsOf: cache.pieces[e])
                }
                return out
            }
        }
    }

    /// The pieces with BPE-dropout (training only).
    package func pieces<R: RandomNumberGenerator>(_ line: String, dropout: Double, using rng: inout R) throws(TextError) -> [String] {
        let tokens = try tokenizer.tokenize(line)
        guard let bpe else { return tokens }
        return tokens.flatMap { bpe.segment($0, dropout: dropout, using: &rng) }
    }

    /// The ids of `line`. // [pieces]
    package func encode(_ line: String) throws(TextError) -> [Int32] {
        try tokenizer.withTokens(line) { tokens in
            withCache { cache in
                var out: [Int32] = []
                out.reserveCapacity(tokens.count * 2)
                for i in 0..<tokens.count {
                    let e = entry(tokens[i], &cache)
                    cache.ids.withUnsafeBufferPointer { out.append(contentsOf: $0[cache.idRange(e)]) }
                }
                return out
            }
        }
    }

    /// The cache entry of one token, segmenting it on a miss. Tokens beyond
    /// `BPE.longestCachedBytes` are cached too (the pipeline's cache belongs to it alone and a
    /// rare long token costs its bytes once).
    @inline(__always)
    private func entry(_ bytes: UnsafeBufferPointer<UInt8>, _ cache: inout TokenCache) -> Int {
        let h = TokenCache.hash(bytes)
        if let e = cache.find(bytes, hash: h) { return e }
        let token = String(decoding: bytes, as: UTF8.self)
        // The table directly: this cache replaces BPE's own.
        let pieces = bpe?.table.segment(token) ?? [token]
        return cache.insert(bytes, hash: h, pieces: pieces, ids: pieces.map { vocabulary.id($0) })
    }

    /// Runs `body` on the cache moved into a local: a class property would pay an
    /// exclusivity check and a retain on every token.
    @inline(__always)
    private func withCache<T>(_ body: (inout TokenCache) -> T) -> T {
        var local = TokenCache(empty: ())
        swap(&local, &cache)
        defer { swap(&local, &cache) }
        return body(&local)
    }

    /// The ids of `line` with BPE-dropout `dropout` (training only; not cached).
    package func encode<R: RandomNumberGenerator>(_ line: String, dropout: Double, using rng: inout R) throws(TextError) -> [Int32] {
        guard dropout > 0 else { return try encode(line) }
        return try pieces(line, dropout: dropout, using: &rng).map { vocabulary.id($0) }
    }

    /// How many of the pieces of `lines` the vocabulary covers (`<unk>` share), e.g. on a
    /// validation set.
    package func coverage<S: Sequence>(of lines: S) throws(TextError) -> Coverage where S.Element == String {
        var tokens = 0, unknown = 0
        for line in lines {
            let ids = try encode(line)
            tokens += ids.count
            for id in ids where id == SpecialTokens.unk { unknown += 1 }
        }
        return Coverage(tokens: tokens, unknown: unknown)
    }

    // MARK: Ids → text

    /// The pieces of `ids`: `<pad>`, `<s>`, `</s>` skipped, `<unk>` as `unknownPiece`.
    package func decodePieces<S: Sequence>(_ ids: S) -> [String] where S.Element == Int32 {
        var out: [String] = []
        for id in ids {
            switch id {
            case SpecialTokens.pad, SpecialTokens.bos, SpecialTokens.eos: continue
            case SpecialTokens.unk: out.append(unknownPiece)
            default: out.append(vocabulary.token(id))
            }
        }
        return out
    }

    /// The text of `ids`: pieces joined, "▁" as spaces.
    package func decode<S: Sequence>(_ ids: S) -> String where S.Element == Int32 {
        Detokenizer.detokenize(decodePieces(ids))
    }
}
