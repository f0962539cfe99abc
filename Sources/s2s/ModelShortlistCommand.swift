import ArgumentParser
import Foundation
import S2SBundle
import S2SDecode
import S2SModel
import S2SText

/// `s2s model shortlist`: learns a model's vocabulary shortlist from a parallel corpus (the
/// training data, as Marian's lexical shortlists and CTranslate2's vocabulary maps are), for
/// `s2s translate --shortlist`.
struct ModelShortlistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shortlist",
        abstract: "Learn a vocabulary shortlist for the output layer from a parallel corpus.",
        discussion: """
          s2s model shortlist models/m30k --src corpora/multi30k/train.en --tgt corpora/multi30k/train.de
          s2s translate --model models/m30k --shortlist models/m30k/shortlist.txt < in.en

        A batch then scores only the target tokens its source tokens co-occur with most often in the
        corpus (--per-source of them each), plus the --frequent most frequent target tokens.
        """
    )

    @Argument(help: "A model name or directory.") var model: String
    @Option(help: ArgumentHelp("Source side of the parallel corpus, one sentence per line.", valueName: "file")) var src: String
    @Option(help: ArgumentHelp("Target side, line by line with --src.", valueName: "file")) var tgt: String
    @Option(help: "Most frequent target tokens that are always candidates.") var frequent = 100
    @Option(name: .customLong("per-source"), help: "Candidates per source token.") var perSource = 50
    @Option(help: ArgumentHelp("Where to write it (default: MODEL/shortlist.txt).", valueName: "file")) var out: String?

    func validate() throws {
        if frequent < 0 { throw ValidationError("--frequent must be 0 or more, got \(frequent)") }
        if perSource < 1 { throw ValidationError("--per-source must be at least 1, got \(perSource)") }
    }

    func run() throws {
        let directory = try resolveModel(model, command: "model shortlist")
        let loaded: (model: Seq2SeqModel, pipelines: TextPipelinePair, info: ModelInfo)
        do { loaded = try ModelBundle.load(directory: directory) } catch { throw CommandFailure("model shortlist", "\(error)") }
        let sources = try lines(src), targets = try lines(tgt)
        guard sources.count == targets.count else {
            throw CommandFailure("model shortlist", "\(src) has \(sources.count) lines, \(tgt) has \(targets.count): they must pair line by line")
        }
        var pairs: [(source: [Int32], target: [Int32])] = []
        pairs.reserveCapacity(sources.count)
        for (i, (s, t)) in zip(sources, targets).enumerated() {
            do {
                pairs.append((try loaded.pipelines.source.encode(s), try loaded.pipelines.target.encode(t)))
            } catch {
                throw CommandFailure("model shortlist", "\(src):\(i + 1) or \(tgt):\(i + 1): cannot tokenize (\(error))")
            }
        }
        let config = loaded.model.config
        let shortlist = Shortlist.learn(pairs: pairs, sourceVocabulary: config.sourceVocabulary,
                                        targetVocabulary: config.targetVocabulary, frequent: frequent,
                                        perSource: perSource, always: [SpecialTokens.eos, SpecialTokens.unk])
        let path = out ?? (directory as NSString).appendingPathComponent(Shortlist.fileName)
        do { try shortlist.write(to: path) } catch { throw CommandFailure("model shortlist", "\(error)") }
        let sizes = shortlist.lists.map(\.count).filter { $0 > 0 }
        FileHandle.standardError.write(Data(("shortlist: \(pairs.count) pairs, \(sizes.count) source tokens with candidates "
            + "(≤ \(perSource) each), \(shortlist.frequent.count) frequent target tokens → \(path)\n").utf8))
    }

    private func lines(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("model shortlist", "\(path): cannot read (no such file, or not readable)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw CommandFailure("model shortlist", "\(path): not UTF-8 text") }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
