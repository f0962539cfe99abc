import ArgumentParser
import S2SCorpus
import S2SText
#if canImport(Glibc)
import Glibc
#endif

struct VocabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocab",
        abstract: "Build vocabularies (words or BPE subwords) from parallel text.",
        subcommands: [VocabBuildCommand.self, VocabCheckCommand.self, VocabLearnBPECommand.self],
        defaultSubcommand: VocabBuildCommand.self
    )
}

struct VocabBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Tokenize parallel text, learn BPE codes and write vocabularies into a pipeline directory.",
        discussion: """
        Writes DIR/pipeline.json (tokenizer settings, file names, hashes), the codes \
        (joint.bpe, or source.bpe and target.bpe) and the vocabularies (source.vocab and \
        target.vocab, or shared.vocab), all at once: the directory appears complete or not at all.

          s2s vocab build --src train.en --tgt train.de --src-lang en --tgt-lang de --joint --out vocab/m30k
          s2s vocab build --tsv fra.txt --src-lang en --tgt-lang fr --merges 0 --max-size 20000 --out vocab/fr-words
          s2s vocab build --db corpora/corpora.sqlite --corpus m30k --joint --out vocab/m30k
        """
    )

    @Option(help: "Source-side text, one sentence per line.")
    var src: String?
    @Option(help: "Target-side text, line-aligned with --src.")
    var tgt: String?
    @Option(help: "Tab-separated pairs (source<TAB>target) instead of --src/--tgt.")
    var tsv: String?
    @Option(help: "A corpus database (with --corpus): build from the corpus' train split.")
    var db: String?
    @Option(help: "Name of the corpus in --db.")
    var corpus: String?
    @Option(help: "Source language code (en, de, fr, cs, ja, …); with --corpus, defaults to the corpus' own.")
    var srcLang: String?
    @Option(help: "Target language code; with --corpus, defaults to the corpus' own.")
    var tgtLang: String?
    @Option(help: "BPE merges to learn (0: word-level vocabularies).")
    var merges: Int = 8000
    @Flag(help: "Learn one set of codes over both sides.")
    var joint = false
    @Flag(help: "One vocabulary for both sides.")
    var shared = false
    @Option(help: "Leave out pieces seen fewer times (they become <unk>).")
    var minCount: Int = 2
    @Option(help: "At most this many entries per vocabulary, the 4 specials included.")
    var maxSize: Int?
    @Option(help: "Stop learning merges when no pair occurs this often (subword-nmt --min-frequency).")
    var minFrequency: Int = 2
    @Flag(help: "Put every symbol BPE-dropout can produce into the vocabularies (for training with --bpe-dropout).")
    var dropoutSymbols = false
    @OptionGroup var normalization: TextNormalizationOptions
    @Flag(help: "Replace invalid UTF-8 with U+FFFD (counted) instead of failing.")
    var replaceInvalid = false
    @Option(help: "Output directory, e.g. vocab/NAME.")
    var out: String
    @Flag(help: "Replace --out if it exists.")
    var force = false

    func validate() throws {
        let inputs = [tsv != nil, src != nil || tgt != nil, corpus != nil].filter { $0 }.count
        if inputs != 1 { throw ValidationError("give one input: --src and --tgt, --tsv, or --db with --corpus") }
        if (src == nil) != (tgt == nil) { throw ValidationError("--src and --tgt go together") }
        if corpus == nil && (srcLang == nil || tgtLang == nil) { throw ValidationError("give --src-lang and --tgt-lang") }
        if db != nil && corpus == nil { throw ValidationError("--db needs --corpus NAME") }
    }

    func run() throws {
        let start = TextClock.now()
        var store: CorpusStore?
        var srcLang = self.srcLang ?? "", tgtLang = self.tgtLang ?? ""
        if let corpus {
            let opened = try CorpusStore(path: db ?? CorpusStore.defaultPath, mode: .readOnly)
            let info = try opened.corpus(named: corpus)
            guard (info.pairsPerSplit[.train] ?? 0) > 0 else {
                throw TextError.emptyInput(file: "\(opened.path): corpus '\(corpus)' train split")
            }
            srcLang = self.srcLang ?? info.sourceLanguage
            tgtLang = self.tgtLang ?? info.targetLanguage
            store = opened
        }
        let options = VocabularyBuildOptions(
            source: try normalization.settings(language: srcLang), target: try normalization.settings(language: tgtLang),
            merges: merges, joint: joint, shared: shared, minCount: minCount, maxSize: maxSize, bpeMinFrequency: minFrequency,
            dropoutSymbols: dropoutSymbols)
        try options.validate()
        if !force, access(out, F_OK) == 0 { throw TextError.io(path: out, reason: "already exists (use --force to replace it)") }
        try OutputPreflight.check(out)
        let builder = try VocabularyBuilder(options: options)
        let replaced = try readPairs(into: builder, store: store)
        guard builder.pairs > 0 else { throw TextError.emptyInput(file: tsv ?? src ?? corpus ?? "") }
        let read = TextClock.now()
        let built = builder.finish()
        let learned = TextClock.now()
        try built.write(to: out, replace: force)

        var report = "s2s vocab build: \(builder.pairs) pairs"
        if replaced > 0 { report += ", \(replaced) invalid UTF-8 sequences replaced" }
        report += "; tokenized in \(TextClock.format(read - start)) s, learned in \(TextClock.format(learned - read)) s\n"
        for side in Side.allCases {
            let codes = side == .source ? built.sourceCodes : built.targetCodes
            let vocab = side == .source ? built.sourceVocabulary : built.targetVocabulary
            let coverage = side == .source ? built.sourceCoverage : built.targetCoverage
            let types = builder.tokenCounts(side).count
            report += "  \(side) (\(side == .source ? srcLang : tgtLang)): \(types) token types"
            if let codes { report += ", \(codes.merges.count) merges\(joint ? " (joint)" : "")" }
            report += ", vocabulary \(vocab.count)\(shared ? " (shared)" : ""), training text \(coverage)\n"
        }
        let config = built.config
        report += "  wrote \(out)/: \(PipelineConfig.fileName)"
        for name in Set([config.source.codes, config.target.codes, config.source.vocabulary, config.target.vocabulary].compactMap { $0 }).sorted() {
            report += ", \(name)"
        }
        report += "\n  vocabulary hashes: source \(config.source.vocabularyHash.prefix(16))…, target \(config.target.vocabularyHash.prefix(16))…\n"
        TextStderr.write(report)
    }

    /// Streams the pairs into the builder; returns the number of replaced invalid sequences.
    /// From a corpus database only the train split is read: vocabularies must not see valid/test.
    private func readPairs(into builder: VocabularyBuilder, store: CorpusStore?) throws -> Int {
        let add: (String, String) throws -> Void = { try builder.add(source: $0, target: $1) }
        if let store, let corpus {
            try store.forEachPair(corpus: corpus, split: .train) { try add($0.source, $0.target) }
            return 0
        }
        if let tsv { return try ParallelText.forEachPair(tsv: tsv, replaceInvalid: replaceInvalid, add).replaced }
        guard let src, let tgt else { return 0 }
        return try ParallelText.forEachPair(source: src, target: tgt, replaceInvalid: replaceInvalid, add).replaced
    }
}

struct VocabCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a pipeline directory or a vocabulary file and print sizes and hashes."
    )

    @Argument(help: "A directory written by `s2s vocab build`, or a .vocab file.")
    var path: String

    @Option(help: "Also report the <unk> share of this text (one sentence per line) under --side.")
    var text: String?

    @Option(help: "The side --text belongs to: source or target.")
    var side: String = "source"

    func run() throws {
        var isDirectory = stat()
        if stat(path, &isDirectory) == 0 && (isDirectory.st_mode & S_IFMT) == S_IFDIR {
            let config = try PipelineConfig.load(directory: path)
            for side in Side.allCases {
                let p = try TextPipeline.load(directory: path, side: side)
                let c = config[side]
                print("\(side): \(c.tokenizer.language), \(c.tokenizer.normalization.rawValue)\(c.tokenizer.lowercase ? ", lowercase" : ""), "
                      + "\(p.bpe.map { "\($0.codes.merges.count) merges (\(c.codes ?? ""))" } ?? "words"), "
                      + "vocabulary \(p.vocabulary.count) (\(c.vocabulary), sha256 \(p.vocabulary.contentHash)), fingerprint \(p.fingerprint)")
            }
            if let text {
                guard let side = Side(rawValue: side) else { throw ValidationError("--side '\(side)': expected source or target") }
                let lines = try LineReader(path: text).readAll()
                if lines.isEmpty { throw TextError.emptyInput(file: text) }
                let coverage = try TextPipeline.load(directory: path, side: side).coverage(of: lines)
                print("\(text) (\(side)): \(lines.count) lines, \(coverage)")
            }
        } else {
            let vocabulary = try Vocabulary.load(path: path)
            print("\(path): \(vocabulary.count) entries, sha256 \(vocabulary.contentHash)")
        }
    }
}

struct VocabLearnBPECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn-bpe",
        abstract: "Learn BPE codes from whitespace-separated words, exactly like subword-nmt 0.3.8's learn_bpe.",
        discussion: "No ICU: the input is split at spaces as subword-nmt does, so the codes can be compared byte for byte."
    )

    @Option(name: [.customShort("i"), .long], help: "Input text (repeatable; counts are summed); none or '-' reads stdin.")
    var input: [String] = []
    @Option(name: [.customShort("s"), .long], help: "Number of merges.")
    var symbols: Int = 10000
    @Option(help: "Stop when no pair occurs this often.")
    var minFrequency: Int = 2
    @Flag(help: "The input holds 'word count' lines (subword-nmt --dict-input).")
    var dictInput = false
    @Flag(name: [.customShort("t"), .long], help: "Subtract the number of distinct characters from --symbols (subword-nmt --total-symbols).")
    var totalSymbols = false
    @Option(name: [.customShort("o"), .long], help: "Codes file to write (default: stdout).")
    var output: String?

    func run() throws {
        var counts: [ExactString: Int] = [:]
        for path in input.isEmpty ? ["-"] : input {
            if dictInput {
                for (word, count) in try WordCountFile.counts(path: path) { counts[word, default: 0] += count }
                continue
            }
            let reader = path == "-" ? LineReader() : try LineReader(path: path)
            // Whole lines go through subword-nmt's line splitting (U+2028 and friends break lines too).
            while let line = try reader.next() { WhitespaceWords.count(line, into: &counts) }
            if reader.bytesRead == 0 { throw TextError.emptyInput(file: reader.name) }
        }
        var merges = symbols
        if totalSymbols {
            let reduction = BPELearner.characterSymbols(in: counts.keys.lazy.map(\.string))
            TextStderr.write("Number of word-internal characters: \(reduction.internal)\n"
                + "Number of word-final characters: \(reduction.final)\n"
                + "Reducing number of merge operations by \(reduction.internal + reduction.final)\n")
            merges -= reduction.internal + reduction.final
        }
        let start = TextClock.now()
        let codes = BPELearner.learn(counts: counts, merges: merges, minFrequency: minFrequency)
        if let output {
            try codes.write(to: output)
        } else {
            var out = TextLineWriter()
            out.write(String(decoding: codes.serialized(), as: UTF8.self), newline: false)
            out.flush()
        }
        TextStderr.write("s2s vocab learn-bpe: \(counts.count) word types, \(codes.merges.count) merges in \(TextClock.format(TextClock.now() - start)) s → \(output ?? "stdout")\n")
    }
}

/// Wall-clock helpers for the text commands' summaries.
enum TextClock {
    /// Seconds on the monotonic clock.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Seconds with 3 decimals, for messages.
    static func format(_ seconds: Double) -> String {
        String(Double(Int((seconds * 1000).rounded())) / 1000)
    }
}
