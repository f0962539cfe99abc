extension TextPipeline {
    /// The ids of `line` with BPE-dropout `dropout`, for training: a token any of whose dropout
    /// pieces the vocabulary lacks keeps its full-merge ids (what `encode` gives), so dropout never
    /// adds an `<unk>`.
    ///
    /// Why fall back rather than refuse: pipeline.json does not record whether the vocabulary was
    /// built with `s2s vocab build --dropout-symbols`, and even such a vocabulary lacks the
    /// characters of words that only occur outside the build's text; a vocabulary without the
    /// flag still gets dropout on every word whose smaller pieces it knows (subword-nmt, given a
    /// vocabulary, likewise never emits a piece outside it). `missingDropoutSymbols` tells how
    /// much of the codes' reach is lost. With `dropout` ≤ 0 or no codes: exactly `encode(line)`.
    package func encodeKnownPieces<R: RandomNumberGenerator>(_ line: String, dropout: Double,
                                                             using rng: inout R) throws(TextError) -> [Int32] {
        guard dropout > 0, let bpe else { return try encode(line) }
        var out: [Int32] = []
        for token in try tokenizer.tokenize(line) {
            let start = out.count
            for piece in bpe.segment(token, dropout: dropout, using: &rng) { out.append(vocabulary.id(piece)) }
            if out[start...].contains(SpecialTokens.unk) {
                out.removeSubrange(start...)
                // BPE's own cache: the full merge of a frequent word is computed once.
                for piece in bpe.segment(token) { out.append(vocabulary.id(piece)) }
            }
        }
        return out
    }

    /// The merge symbols (each merge's parts and result, "</w>" dropped) that the vocabulary
    /// lacks, and how many there are in all: 0 missing after `s2s vocab build --dropout-symbols`.
    package var missingDropoutSymbols: (missing: Int, total: Int) {
        guard let codes = bpe?.codes else { return (0, 0) }
        var seen = Set<ExactString>(), missing = 0
        for merge in codes.merges {
            for symbol in [merge.left, merge.right, merge.left + merge.right] {
                var scalars = symbol.unicodeScalars
                if symbol.utf8.hasEndOfWord { scalars.removeLast(4) }
                let piece = String(scalars)
                guard !piece.isEmpty, seen.insert(ExactString(piece)).inserted else { continue }
                if vocabulary.id(piece) == SpecialTokens.unk { missing += 1 }
            }
        }
        return (missing, seen.count)
    }
}
