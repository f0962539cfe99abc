/// subword-nmt 0.3.8's `BPE.segment_tokens` per word, with the two options beyond plain BPE:
///
/// - glossaries (`--glossaries`): regular expressions whose matches are never split. Each one
///   in turn cuts every segment at its matches (`isolate_glossary`: `re.split` with the pattern
///   as a group, empty pieces dropped); a segment one of them matches whole is kept as it is.
/// - a vocabulary (`--vocabulary`, `--vocabulary-threshold`): a piece the vocabulary lacks (as
///   `piece@@` inside the word, as `piece` at its end) is split back along the merges that
///   made it until every part is known or a single character (`check_vocab_and_split`).
///
/// Patterns are Python-style; Swift's regex engine reads the common syntax the same way and is
/// run on code points, as Python's `re` is. Caches segmentations; one per thread.
package final class SubwordNMTSegmenter {
    package let bpe: BPE
    package let separator: String
    private let glossaries: [Regex<AnyRegexOutput>]
    private let anyGlossary: Regex<AnyRegexOutput>?
    private let vocabulary: Set<ExactString>?
    /// merged symbol → the pair that made it (`bpe_codes_reverse`).
    private let reverse: [ExactString: BPEMerge]
    private var cache: [ExactString: [String]] = [:]

    /// Throws `.badSetting("--glossaries", …)` for a pattern Swift cannot compile.
    package init(bpe: BPE, separator: String = "@@", glossaries: [String] = [], vocabulary: Set<ExactString>? = nil) throws(TextError) {
        self.bpe = bpe
        self.separator = separator
        self.vocabulary = vocabulary
        func compile(_ pattern: String) throws(TextError) -> Regex<AnyRegexOutput> {
            do { return try Regex(pattern).matchingSemantics(.unicodeScalar) } catch {
                throw .badSetting(name: "--glossaries", value: pattern, reason: "not a regular expression: \(error)")
            }
        }
        var compiled: [Regex<AnyRegexOutput>] = []
        for g in glossaries { compiled.append(try compile(g)) }
        self.glossaries = compiled
        anyGlossary = glossaries.isEmpty ? nil : try compile("(" + glossaries.joined(separator: "|") + ")")
        // dict((pair, i) for i, pair in reversed(enumerate(codes))), then concatenation → pair:
        // among pairs spelling the same symbol, the one whose last occurrence comes first wins.
        var last: [BPEMerge: Int] = [:]
        for (i, m) in bpe.codes.merges.enumerated() { last[m] = i }
        var reverse: [ExactString: BPEMerge] = [:]
        var rank: [ExactString: Int] = [:]
        for (m, i) in last {
            let key = ExactString(m.left + m.right)
            if let r = rank[key], r <= i { continue }
            rank[key] = i
            reverse[key] = m
        }
        self.reverse = reverse
    }

    /// The pieces of one word (no separators added).
    package func segment(_ word: String) -> [String] {
        // Plain BPE needs no second cache: `BPE` keeps its own.
        if glossaries.isEmpty && vocabulary == nil { return bpe.segment(word) }
        return isolateGlossaries(word).flatMap { encode($0, cached: true) { self.bpe.segment($0) } }
    }

    /// `segment` with BPE-dropout (`--dropout`): never cached.
    package func segment<R: RandomNumberGenerator>(_ word: String, dropout: Double, using rng: inout R) -> [String] {
        if glossaries.isEmpty && vocabulary == nil { return bpe.segment(word, dropout: dropout, using: &rng) }
        var pieces: [String] = []
        for segment in isolateGlossaries(word) {
            pieces += encode(segment, cached: false) { bpe.segment($0, dropout: dropout, using: &rng) }
        }
        return pieces
    }

    /// `encode`: a glossary match stays whole, one character stays, else BPE and the
    /// vocabulary check; cached unless dropout is on.
    private func encode(_ word: String, cached: Bool, _ segmentBPE: (String) -> [String]) -> [String] {
        let key = ExactString(word)
        if cached, let hit = cache[key] { return hit }
        if let anyGlossary, (try? anyGlossary.wholeMatch(in: word)) != nil {
            cache[key] = [word]
            return [word]
        }
        if word.unicodeScalars.count == 1 { return [word] }
        var pieces = segmentBPE(word)
        if let vocabulary { pieces = checkVocabulary(pieces, vocabulary) }
        cache[key] = pieces
        return pieces
    }

    /// `isolate_glossary` for each glossary in turn.
    func isolateGlossaries(_ word: String) -> [String] {
        var segments = [word]
        for g in glossaries { segments = segments.flatMap { isolate($0, g) } }
        return segments
    }

    private func isolate(_ word: String, _ glossary: Regex<AnyRegexOutput>) -> [String] {
        if (try? glossary.wholeMatch(in: word)) != nil || (try? glossary.firstMatch(in: word)) == nil { return [word] }
        // re.split(r'(g)', word): the text between matches and the match itself (plus any
        // groups of g), empty pieces dropped, the ending stripped of "\r\n ".
        var pieces: [String] = []
        var rest = word.startIndex
        for m in word.matches(of: glossary) {
            pieces.append(String(word[rest..<m.range.lowerBound]))
            for k in 0..<m.output.count {
                if let s = m.output[k].substring { pieces.append(String(s)) }
            }
            rest = m.range.upperBound
        }
        let ending = String(word[rest...])
        pieces = pieces.filter { !$0.isEmpty }
        if !ending.isEmpty {
            var s = Substring(ending).unicodeScalars
            while let c = s.last, c == " " || c == "\n" || c == "\r" { s.removeLast() }
            while let c = s.first, c == " " || c == "\n" || c == "\r" { s.removeFirst() }
            pieces.append(String(Substring(s)))
        }
        return pieces
    }

    /// `check_vocab_and_split`.
    private func checkVocabulary(_ pieces: [String], _ vocab: Set<ExactString>) -> [String] {
        var out: [String] = []
        for piece in pieces.dropLast() {
            if vocab.contains(ExactString(piece + separator)) { out.append(piece) } else { split(piece, vocab, final: false, into: &out) }
        }
        if let last = pieces.last {
            if vocab.contains(ExactString(last)) { out.append(last) } else { split(last, vocab, final: true, into: &out) }
        }
        return out
    }

    /// `recursive_split`: undo the merge that made `segment` until the parts are known.
    private func split(_ segment: String, _ vocab: Set<ExactString>, final: Bool, into out: inout [String]) {
        guard let pair = reverse[ExactString(final ? segment + "</w>" : segment)] else {
            out.append(segment)
            return
        }
        let left = pair.left
        var right = pair.right
        if final {
            var scalars = right.unicodeScalars
            scalars.removeLast(min(4, scalars.count))
            right = String(scalars)
        }
        if vocab.contains(ExactString(left + separator)) { out.append(left) } else { split(left, vocab, final: false, into: &out) }
        if final ? vocab.contains(ExactString(right)) : vocab.contains(ExactString(right + separator)) {
            out.append(right)
        } else {
            split(right, vocab, final: final, into: &out)
        }
    }
}
