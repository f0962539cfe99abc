import ArgumentParser
import S2SText
#if canImport(Glibc)
import Glibc
#endif

/// Normalization options shared by `tokenize`, `detokenize` and `vocab build`.
struct TextNormalizationOptions: ParsableArguments {
    @Option(help: "Unicode normalization: nfkc, nfc or none (whitespace is folded and invisible controls dropped in every case).")
    var normalize: String = "nfkc"

    @Flag(help: "Lowercase with ICU full case folding (Straße → strasse).")
    var lowercase = false

    func form() throws -> NormalizationForm {
        guard let form = NormalizationForm(rawValue: normalize.lowercased()) else {
            throw ValidationError("--normalize '\(normalize)': expected nfkc, nfc or none")
        }
        return form
    }

    func settings(language: String) throws -> TokenizerSettings {
        let settings = TokenizerSettings(language: language, normalization: try form(), lowercase: lowercase)
        try settings.validate()
        return settings
    }
}

/// Where the pipeline of a built directory comes from: `--pipeline DIR --side source|target`.
struct TextPipelineOptions: ParsableArguments {
    @Option(help: "A directory written by `s2s vocab build`: use its tokenizer settings, codes and vocabulary.")
    var pipeline: String?

    @Option(help: "Which side of --pipeline: source or target.")
    var side: String = "source"

    func load() throws -> TextPipeline? {
        guard let pipeline else { return nil }
        guard let side = Side(rawValue: side) else { throw ValidationError("--side '\(side)': expected source or target") }
        return try TextPipeline.load(directory: pipeline, side: side)
    }
}

/// Writes lines to stdout through one buffer (print() flushes per line on a pipe in places).
struct TextLineWriter {
    private var buffer: [UInt8] = []

    /// Writes `line`, then "\n" unless `newline` is false (a last input line without one).
    mutating func write(_ line: String, newline: Bool = true) {
        buffer.append(contentsOf: line.utf8)
        if newline { buffer.append(0x0A) }
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { if errno == EINTR { continue }; break }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize stdin to stdout (reversible ICU tokenizer, optional BPE).",
        discussion: """
        Each output line holds the line's pieces separated by spaces. A piece that follows a space \
        in the text starts with ▁, so `s2s detokenize` gives the normalized line back exactly.

          s2s tokenize --lang de < train.de
          s2s tokenize --lang en --codes vocab/m30k/joint.bpe < val.en
          s2s tokenize --pipeline vocab/m30k --side target --ids < val.de
          s2s tokenize --whitespace --codes train.en.codes < tok.en    (subword-nmt apply_bpe, separator @@)
        """
    )

    @Option(help: "Language code for ICU's word-break rules (en, de, fr, cs, ja, zh, th, …).")
    var lang: String = "en"

    @OptionGroup var normalization: TextNormalizationOptions

    @Option(help: "BPE codes (subword-nmt format) to split tokens into subwords.")
    var codes: String?

    @OptionGroup var pipeline: TextPipelineOptions

    @Flag(help: "Print vocabulary ids instead of pieces (needs --pipeline).")
    var ids = false

    @Option(name: .customLong("bpe-dropout"), help: "BPE-dropout probability (training-time encoding).")
    var dropout: Double = 0

    @Option(help: "Seed for --bpe-dropout.")
    var seed: UInt64 = 1

    @Flag(help: "subword-nmt apply_bpe mode: split lines at spaces (no ICU), mark non-final pieces with --separator.")
    var whitespace = false

    @Option(help: "Separator for --whitespace mode.")
    var separator: String = "@@"

    @Option(parsing: .upToNextOption, help: "--whitespace: regular expressions whose matches are never split (subword-nmt --glossaries).")
    var glossaries: [String] = []

    @Option(help: "--whitespace: a 'word count' vocabulary; pieces it lacks are split back (subword-nmt --vocabulary).")
    var vocabulary: String?

    @Option(help: "--whitespace: with --vocabulary, words counted fewer times count as unknown.")
    var vocabularyThreshold: Int?

    @Flag(help: "Replace invalid UTF-8 with U+FFFD (counted on stderr) instead of failing.")
    var replaceInvalid = false

    func validate() throws {
        if ids && pipeline.pipeline == nil { throw ValidationError("--ids needs --pipeline DIR") }
        if whitespace && codes == nil { throw ValidationError("--whitespace needs --codes FILE") }
        if !whitespace && (!glossaries.isEmpty || vocabulary != nil || vocabularyThreshold != nil) {
            throw ValidationError("--glossaries, --vocabulary and --vocabulary-threshold go with --whitespace")
        }
        if vocabularyThreshold != nil && vocabulary == nil { throw ValidationError("--vocabulary-threshold needs --vocabulary FILE") }
        if pipeline.pipeline != nil && codes != nil { throw ValidationError("--codes and --pipeline exclude each other (the pipeline has its codes)") }
        if !(0...1).contains(dropout) { throw ValidationError("--bpe-dropout \(dropout): expected a probability in [0, 1]") }
    }

    func run() throws {
        let reader = LineReader(replaceInvalid: replaceInvalid)
        var out = TextLineWriter()
        var rng = TextSeededGenerator(seed: seed)
        if whitespace, let codes {
            let bpe = BPE(codes: try BPECodes.load(path: codes))
            let words = try SubwordNMTSegmenter(
                bpe: bpe, separator: separator, glossaries: glossaries,
                vocabulary: try vocabulary.map { path throws(TextError) in try WordCountFile.vocabulary(path: path, threshold: vocabularyThreshold) })
            // subword-nmt writes `process_line(line)` for each line, its line end included:
            // a last line without "\n" stays without one.
            while let line = try reader.next() {
                let segmented = dropout > 0
                    ? bpe.applyLine(line, separator: separator) { words.segment($0, dropout: dropout, using: &rng) }
                    : bpe.applyLine(line, separator: separator) { words.segment($0) }
                out.write(segmented, newline: reader.lastLineTerminated)
            }
        } else if let text = try pipeline.load() {
            while let line = try reader.next() {
                if ids {
                    let encoded = dropout > 0 ? try text.encode(line, dropout: dropout, using: &rng) : try text.encode(line)
                    out.write(encoded.map(String.init).joined(separator: " "))
                } else {
                    let pieces = dropout > 0 ? try text.pieces(line, dropout: dropout, using: &rng) : try text.pieces(line)
                    out.write(pieces.joined(separator: " "))
                }
            }
        } else {
            let tokenizer = try Tokenizer(try normalization.settings(language: lang))
            let bpe = try codes.map { BPE(codes: try BPECodes.load(path: $0)) }
            while let line = try reader.next() {
                var pieces = try tokenizer.tokenize(line)
                if let bpe {
                    pieces = pieces.flatMap { dropout > 0 ? bpe.segment($0, dropout: dropout, using: &rng) : bpe.segment($0) }
                }
                out.write(pieces.joined(separator: " "))
            }
        }
        out.flush()
        if reader.replaced > 0 {
            TextStderr.write("s2s tokenize: replaced \(reader.replaced) invalid UTF-8 sequences with U+FFFD\n")
        }
    }
}

/// stderr output for progress and summaries.
enum TextStderr {
    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress!, $0.count) }
    }
}

/// SplitMix64: a small seeded generator for BPE-dropout on the command line.
struct TextSeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
