import Foundation

/// What `s2s vocab build` builds: tokenizer settings per side, BPE merges (joint or per side,
/// none for words), and vocabulary limits (per side or shared).
package struct VocabularyBuildOptions: Sendable, Equatable {
    package var source: TokenizerSettings
    package var target: TokenizerSettings
    /// BPE merges to learn; 0 builds word-level vocabularies.
    package var merges: Int
    /// One set of codes learned over both sides together.
    package var joint: Bool
    /// One vocabulary for both sides.
    package var shared: Bool
    /// Pieces seen fewer times are left out of the vocabulary (they become `<unk>`).
    package var minCount: Int
    /// At most this many entries per vocabulary, specials included.
    package var maxSize: Int?
    /// subword-nmt's `--min-frequency`: learning stops when no pair occurs this often.
    package var bpeMinFrequency: Int
    /// Put every symbol BPE-dropout can produce (each merge's parts and result, each
    /// character of the training tokens) into the vocabulary, so dropout never makes `<unk>`.
    package var dropoutSymbols: Bool

    package init(source: TokenizerSettings, target: TokenizerSettings, merges: Int = 8000, joint: Bool = false,
                shared: Bool = false, minCount: Int = 2, maxSize: Int? = nil, bpeMinFrequency: Int = 2,
                dropoutSymbols: Bool = false) {
        self.source = source
        self.target = target
        self.merges = merges
        self.joint = joint
        self.shared = shared
        self.minCount = minCount
        self.maxSize = maxSize
        self.bpeMinFrequency = bpeMinFrequency
        self.dropoutSymbols = dropoutSymbols
    }

    package func validate() throws(TextError) {
        try source.validate()
        try target.validate()
        if merges < 0 { throw .badSetting(name: "--merges", value: "\(merges)", reason: "must be 0 (words) or more") }
        if minCount < 1 { throw .badSetting(name: "--min-count", value: "\(minCount)", reason: "must be at least 1") }
        if let maxSize, maxSize <= SpecialTokens.names.count {
            throw .badSetting(name: "--max-size", value: "\(maxSize)", reason: "must leave room beyond the \(SpecialTokens.names.count) special tokens")
        }
        if bpeMinFrequency < 1 { throw .badSetting(name: "--min-frequency", value: "\(bpeMinFrequency)", reason: "must be at least 1") }
    }
}

/// Builds a text pipeline from sentence pairs from any source (two files, a TSV, a corpus
/// database): feed pairs with `add`, then `finish`. Only token frequencies are kept, so memory
/// grows with the number of distinct tokens, not with the corpus.
package final class VocabularyBuilder {
    package let options: VocabularyBuildOptions
    private let sourceTokenizer: Tokenizer
    private let targetTokenizer: Tokenizer
    private var counts: [[ExactString: Int]] = [[:], [:]]
    /// Pairs added so far.
    package private(set) var pairs = 0

    package init(options: VocabularyBuildOptions) throws(TextError) {
        try options.validate()
        self.options = options
        sourceTokenizer = try Tokenizer(options.source)
        targetTokenizer = try Tokenizer(options.target)
    }

    /// Counts the tokens of one sentence pair.
    package func add(source: String, target: String) throws(TextError) {
        try count(source, sourceTokenizer, into: 0)
        try count(target, targetTokenizer, into: 1)
        pairs += 1
    }

    /// Adds every pair of a sequence.
    package func add<S: Sequence>(pairs: S) throws(TextError) where S.Element == (String, String) {
        for (s, t) in pairs { try add(source: s, target: t) }
    }

    private func count(_ line: String, _ tokenizer: Tokenizer, into side: Int) throws(TextError) {
        try tokenizer.withTokens(line) { tokens in
            for i in 0..<tokens.count {
                counts[side][ExactString(String(decoding: tokens[i], as: UTF8.self)), default: 0] += 1
            }
        }
    }

    /// Token frequencies seen so far, per side.
    package func tokenCounts(_ side: Side) -> [ExactString: Int] { counts[side == .source ? 0 : 1] }

    /// Learns the codes and builds the vocabularies.
    package func finish() -> BuiltPipeline {
        let o = options
        var sourceCodes: BPECodes?, targetCodes: BPECodes?
        if o.merges > 0 {
            if o.joint {
                var both = counts[0]
                for (t, n) in counts[1] { both[t, default: 0] += n }
                let codes = BPELearner.learn(counts: both, merges: o.merges, minFrequency: o.bpeMinFrequency)
                sourceCodes = codes
                targetCodes = codes
            } else {
                sourceCodes = BPELearner.learn(counts: counts[0], merges: o.merges, minFrequency: o.bpeMinFrequency)
                targetCodes = BPELearner.learn(counts: counts[1], merges: o.merges, minFrequency: o.bpeMinFrequency)
            }
        }
        let sourcePieces = Self.pieceCounts(counts[0], sourceCodes)
        let targetPieces = Self.pieceCounts(counts[1], targetCodes)
        let keepSource = o.dropoutSymbols ? Self.dropoutSymbols(counts[0], sourceCodes) : []
        let keepTarget = o.dropoutSymbols ? Self.dropoutSymbols(counts[1], targetCodes) : []
        let sourceVocabulary: Vocabulary, targetVocabulary: Vocabulary
        if o.shared {
            var both = sourcePieces
            for (t, n) in targetPieces { both[t, default: 0] += n }
            sourceVocabulary = Vocabulary.build(counts: both, minCount: o.minCount, maxSize: o.maxSize,
                                                keep: keepSource.union(keepTarget))
            targetVocabulary = sourceVocabulary
        } else {
            sourceVocabulary = Vocabulary.build(counts: sourcePieces, minCount: o.minCount, maxSize: o.maxSize, keep: keepSource)
            targetVocabulary = Vocabulary.build(counts: targetPieces, minCount: o.minCount, maxSize: o.maxSize, keep: keepTarget)
        }
        return BuiltPipeline(options: o, pairs: pairs, sourceCodes: sourceCodes, targetCodes: targetCodes,
                             sourceVocabulary: sourceVocabulary, targetVocabulary: targetVocabulary,
                             sourceCoverage: sourceVocabulary.coverage(of: sourcePieces),
                             targetCoverage: targetVocabulary.coverage(of: targetPieces))
    }

    /// Every piece BPE-dropout can make from these tokens: their characters, and each merge's
    /// parts and result ("</w>" dropped, as in pieces).
    static func dropoutSymbols(_ tokens: [ExactString: Int], _ codes: BPECodes?) -> Set<ExactString> {
        guard let codes else { return [] }
        var out = Set<ExactString>()
        for token in tokens.keys {
            for scalar in token.string.unicodeScalars { out.insert(ExactString(String(scalar))) }
        }
        func piece(_ symbol: String) -> ExactString {
            var s = symbol.unicodeScalars
            if symbol.utf8.hasEndOfWord { s.removeLast(4) }
            return ExactString(String(s))
        }
        for merge in codes.merges {
            out.insert(piece(merge.left))
            out.insert(piece(merge.right))
            out.insert(piece(merge.left + merge.right))
        }
        out.remove(ExactString(""))
        return out
    }

    /// Token frequencies → piece frequencies (each distinct token segmented once).
    static func pieceCounts(_ tokens: [ExactString: Int], _ codes: BPECodes?) -> [ExactString: Int] {
        guard let codes else { return tokens }
        let bpe = BPE(codes: codes)
        var out: [ExactString: Int] = [:]
        for (token, n) in tokens {
            for piece in bpe.segment(token.string) { out[ExactString(piece), default: 0] += n }
        }
        return out
    }
}

/// The result of a build, ready to be written as a pipeline directory.
package struct BuiltPipeline: Sendable {
    package let options: VocabularyBuildOptions
    package let pairs: Int
    package let sourceCodes: BPECodes?
    package let targetCodes: BPECodes?
    package let sourceVocabulary: Vocabulary
    package let targetVocabulary: Vocabulary
    /// `<unk>` share of the training text's pieces under the built vocabulary.
    package let sourceCoverage: Coverage
    package let targetCoverage: Coverage

    /// The file names used in the directory.
    var files: (sourceCodes: String?, targetCodes: String?, sourceVocabulary: String, targetVocabulary: String) {
        let joint = options.joint && sourceCodes != nil
        return (sourceCodes == nil ? nil : (joint ? "joint.bpe" : "source.bpe"),
                targetCodes == nil ? nil : (joint ? "joint.bpe" : "target.bpe"),
                options.shared ? "shared.vocab" : "source.vocab",
                options.shared ? "shared.vocab" : "target.vocab")
    }

    package var config: PipelineConfig {
        let f = files
        func side(_ settings: TokenizerSettings, _ codes: BPECodes?, _ codesFile: String?, _ vocab: Vocabulary, _ vocabFile: String) -> PipelineConfig.SideConfig {
            .init(tokenizer: settings, codes: codesFile, codesHash: codes.map { SHA256.hex($0.serialized()) },
                  vocabulary: vocabFile, vocabularyHash: vocab.contentHash, vocabularySize: vocab.count)
        }
        return PipelineConfig(source: side(options.source, sourceCodes, f.sourceCodes, sourceVocabulary, f.sourceVocabulary),
                              target: side(options.target, targetCodes, f.targetCodes, targetVocabulary, f.targetVocabulary),
                              merges: options.merges, joint: options.joint, shared: options.shared,
                              minCount: options.minCount, maxSize: options.maxSize)
    }

    /// Writes the directory all at once: files go into a temporary sibling that is renamed
    /// into place, so a reader sees the old directory or the complete new one, never a mix.
    /// An existing directory is replaced only with `replace`.
    package func write(to directory: String, replace: Bool = false) throws(TextError) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: directory, isDirectory: &isDirectory)
        if exists && !replace { throw .io(path: directory, reason: "already exists (use --force to replace it)") }
        if exists && !isDirectory.boolValue { throw .io(path: directory, reason: "exists and is not a directory") }
        let parent = (directory as NSString).deletingLastPathComponent
        let temp = "\(directory).tmp-\(getpid())"
        do {
            if !parent.isEmpty { try fm.createDirectory(atPath: parent, withIntermediateDirectories: true) }
            if fm.fileExists(atPath: temp) { try fm.removeItem(atPath: temp) }
            try fm.createDirectory(atPath: temp, withIntermediateDirectories: false)
        } catch {
            throw .io(path: directory, reason: "cannot create: \(error.localizedDescription)")
        }
        do throws(TextError) {
            let f = files
            if let codes = sourceCodes, let name = f.sourceCodes { try codes.write(to: "\(temp)/\(name)") }
            if let codes = targetCodes, let name = f.targetCodes, name != f.sourceCodes { try codes.write(to: "\(temp)/\(name)") }
            try sourceVocabulary.write(to: "\(temp)/\(f.sourceVocabulary)")
            if f.targetVocabulary != f.sourceVocabulary { try targetVocabulary.write(to: "\(temp)/\(f.targetVocabulary)") }
            try AtomicFile.write(config.encoded(), to: "\(temp)/\(PipelineConfig.fileName)")
        } catch {
            try? fm.removeItem(atPath: temp)
            throw error
        }
        let old = "\(directory).old-\(getpid())"
        if exists && rename(directory, old) != 0 {
            try? fm.removeItem(atPath: temp)
            throw .io(path: directory, reason: "cannot move the old directory aside: \(String(cString: strerror(errno)))")
        }
        guard rename(temp, directory) == 0 else {
            let reason = String(cString: strerror(errno))
            if exists { _ = rename(old, directory) }
            try? fm.removeItem(atPath: temp)
            throw .io(path: directory, reason: "cannot move the new directory into place: \(reason)")
        }
        if exists { try? fm.removeItem(atPath: old) }
    }
}
