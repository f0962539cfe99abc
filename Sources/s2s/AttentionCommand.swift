import ArgumentParser
import Foundation
import S2SDecode
import S2SEval

/// `s2s attention`: translates one sentence and writes the attention of the best output as an
/// SVG heatmap (source pieces across, output pieces down), the picture that shows what the
/// model learned to look at. The translation goes to stdout.
struct AttentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attention",
        abstract: "Write an SVG heatmap of a translation's attention weights."
    )

    @OptionGroup var decoding: DecodingArguments
    @Argument(help: "The sentence to translate.") var sentence: String
    @Option(name: .long, help: ArgumentHelp("SVG file to write.", valueName: "file")) var out = "attention.svg"

    func run() throws {
        guard !Translator.isBlank(sentence) else { throw CommandFailure("attention", "the sentence is empty") }
        let advisor = decoding.makeThreadAdvisor()
        let translator = try decoding.makeTranslator(command: "attention", keepAttention: true)
        advisor.adjust()
        let result = translator.translate([Translator.Line(text: sentence, number: 1)])[0]
        for w in result.warnings { standardError("warning: \(w)") }
        guard !result.outputPieces.isEmpty else {
            throw CommandFailure("attention", "the model produced an empty translation; nothing to plot")
        }
        let svg: String
        do {
            svg = try AttentionPlot.svg(sourceTokens: result.sourcePieces, outputTokens: result.outputPieces,
                                        weights: result.attention, title: "\(sentence) → \(result.text)")
        } catch {
            throw CommandFailure("attention", "\(error)")
        }
        try writeAtomically(svg, to: out, command: "attention")
        print(result.text)
        standardError("wrote \(out) (\(result.outputPieces.count) output × \(result.sourcePieces.count) source pieces)")
    }
}

/// Writes `text` to `path` through a temporary file and a rename: a reader sees the old file or
/// the whole new one, never half of it.
func writeAtomically(_ text: String, to path: String, command: String) throws {
    let url = URL(fileURLWithPath: path)
    let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    do {
        try Data(text.utf8).write(to: temp)
        if FileManager.default.fileExists(atPath: path) {
            _ = try FileManager.default.replaceItemAt(url, withItemAt: temp)
        } else {
            try FileManager.default.moveItem(at: temp, to: url)
        }
    } catch {
        try? FileManager.default.removeItem(at: temp)
        throw CommandFailure(command, "cannot write \(path): \(error.localizedDescription)")
    }
}
