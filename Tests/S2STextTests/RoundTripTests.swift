import Testing
import Foundation
@testable import S2SText

/// detokenize(tokenize(s)) == normalize(s) on real text: the committed sample always, every
/// line of every shared corpus with S2S_SLOW_TESTS=1.
@Suite struct RoundTripTests {
    /// A corpus file and the language of each tab-separated column.
    struct Source: CustomStringConvertible, Sendable {
        let path: String
        let languages: [String]
        var description: String { (path as NSString).lastPathComponent }
    }

    static let samples: [Source] = [
        Source(path: "multi30k.train.en", languages: ["en"]),
        Source(path: "multi30k.train.de", languages: ["de"]),
        Source(path: "multi30k.train.fr", languages: ["fr"]),
        Source(path: "multi30k.train.cs", languages: ["cs"]),
        Source(path: "tatoeba.fra.txt", languages: ["en", "fr"]),
        Source(path: "tatoeba.jpn.txt", languages: ["en", "ja"]),
        Source(path: "opennmt.src-train.txt", languages: ["en"]),
        Source(path: "opennmt.tgt-train.txt", languages: ["de"]),
    ]

    static let corpora: [Source] = {
        let c = Fixture.sharedCorpora
        var sources: [Source] = []
        for split in ["train", "val"] {
            for lang in ["en", "de", "fr", "cs"] { sources.append(Source(path: "\(c)/multi30k/\(split).\(lang)", languages: [lang])) }
        }
        sources.append(Source(path: "\(c)/tatoeba-eng-fra/fra.txt", languages: ["en", "fr"]))
        sources.append(Source(path: "\(c)/tatoeba-eng-jpn/jpn.txt", languages: ["en", "ja"]))
        for f in ["src-train.txt", "src-val.txt"] { sources.append(Source(path: "\(c)/opennmt-toy-ende/\(f)", languages: ["en"])) }
        for f in ["tgt-train.txt", "tgt-val.txt"] { sources.append(Source(path: "\(c)/opennmt-toy-ende/\(f)", languages: ["de"])) }
        return sources
    }()

    /// Checks every line of `source`; returns (lines, tokens) seen. Records an issue naming the
    /// file and line for each failure (at most a few per file).
    static func check(_ source: Source, path: String, settings: [TokenizerSettings]) throws -> (Int, Int) {
        let tokenizers = try settings.map { try Tokenizer($0) }
        let references = try settings.map { s in
            let t = try Tokenizer(s)
            t.cachesChunks = false
            return t
        }
        let reader = try LineReader(path: path)
        var tokens = 0, failures = 0
        while let line = try reader.next() {
            let columns = source.languages.count == 1 ? [Substring(line)] : line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            #expect(columns.count == source.languages.count, "\(source):\(reader.lineNumber) columns")
            for ((column, tokenizer), reference) in zip(zip(columns, tokenizers), references) {
                let text = String(column)
                let normalized = try tokenizer.normalize(text)
                let pieces = try tokenizer.tokenize(text)
                tokens += pieces.count
                let back = Detokenizer.detokenize(pieces)
                let again = try tokenizer.normalize(normalized)
                let referencePieces = try reference.tokenize(text)
                let ok = back == normalized
                    && pieces == referencePieces
                    && again == normalized
                    && pieces.allSatisfy { !$0.isEmpty && !$0.contains(" ") && $0 != Detokenizer.marker }
                    && Detokenizer.detokenize(line: pieces.joined(separator: " ")) == normalized
                if !ok {
                    failures += 1
                    if failures <= 3 {
                        Issue.record("\(source):\(reader.lineNumber) [\(tokenizer.settings.language)] \(text.debugDescription) → \(pieces) → \(back.debugDescription) ≠ \(normalized.debugDescription)")
                    }
                }
            }
        }
        #expect(failures == 0, "\(source): \(failures) lines fail the round trip")
        return (reader.lineNumber, tokens)
    }

    @Test(arguments: samples)
    func committedSample(_ source: Source) throws {
        for form in [NormalizationForm.nfkc, .nfc, .none] {
            for lowercase in [false, true] {
                let settings = source.languages.map { TokenizerSettings(language: $0, normalization: form, lowercase: lowercase) }
                let (lines, tokens) = try Self.check(source, path: Fixture.path("corpus-sample/\(source.path)"), settings: settings)
                #expect(lines > 100 && tokens > lines)
            }
        }
    }

    @Test(.enabled(if: Fixture.slowTests && !Fixture.sharedCorpora.isEmpty,
                   "set S2S_SLOW_TESTS=1 and S2S_CORPORA=DIR (the shared corpora) to check every line of them"),
          arguments: corpora)
    func everyLineOfTheSharedCorpora(_ source: Source) throws {
        let settings = source.languages.map { TokenizerSettings(language: $0) }
        let (lines, _) = try Self.check(source, path: source.path, settings: settings)
        #expect(lines > 1000)
        let lowered = source.languages.map { TokenizerSettings(language: $0, normalization: .nfc, lowercase: true) }
        _ = try Self.check(source, path: source.path, settings: lowered)
    }
}
