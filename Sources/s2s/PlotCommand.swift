import ArgumentParser
import Foundation
import S2SEval

/// `s2s plot LOG --out FILE.svg`: the loss and BLEU curves of a training metrics log.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Render a training metrics log as an SVG curve.",
        discussion: """
            LOG is the metrics.jsonl that `s2s train` writes next to its checkpoint: one JSON object \
            per line, {"kind":"train",...} per logging interval and {"kind":"valid",...} per validation. \
            The SVG shows training and validation loss against step, and validation BLEU when the \
            log has it.
            """
    )

    @Argument(help: ArgumentHelp("Metrics log (JSON lines).", valueName: "log"))
    var log: String

    @Option(name: .long, help: ArgumentHelp("SVG file to write.", valueName: "file.svg"))
    var out: String

    @Option(name: .long, help: "Title shown on the plot (default: the log's file name).")
    var title: String?

    func run() throws {
        let contents = try MetricsLogReader.read(path: log)
        for warning in contents.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        let name = title ?? URL(fileURLWithPath: log).lastPathComponent
        let svg: String
        do {
            svg = try MetricsPlot.svg(contents.records, title: name)
        } catch {
            throw PlotCommandError("\(log): \(error)")
        }
        // Atomic: a temp file beside the target, renamed over it, so a reader never sees half a plot.
        try TextLines.writeAtomically(svg, to: out)
        print("wrote \(out) (\(contents.records.count) records)")
    }
}

/// A one-line failure of `s2s plot`.
struct PlotCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = "s2s plot: " + message }
}
