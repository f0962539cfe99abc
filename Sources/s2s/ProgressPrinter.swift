import Foundation
import S2STraining
#if canImport(Glibc)
import Glibc
#endif

/// Turns trainer events into stderr lines: on a terminal one progress line rewritten in place
/// (at most 5 times a second) with other messages printed above it; otherwise (a log file, a
/// pipe) one plain line per --log-every interval, validation and checkpoint.
final class ProgressPrinter {
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var lineShown = false
    private var lastDraw = 0.0
    private let outputDirectory: String

    init(outputDirectory: String) { self.outputDirectory = outputDirectory }

    func handle(_ event: TrainerEvent) {
        switch event {
        case let .started(lines):
            for line in lines { say(line) }
        case let .progress(p):
            guard isTerminal else { return }
            let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
            guard now - lastDraw >= 0.2 else { return }
            lastDraw = now
            write("\r\u{1B}[K" + Self.line(p))
            lineShown = true
        case let .logged(p):
            if !isTerminal { say(Self.line(p)) }
        case let .validated(r, best):
            let mark = best ? "  * best → \(outputDirectory)/model.safetensors" : ""
            say(String(format: "valid  step %d · epoch %d · loss %.3f · ppl %.2f · BLEU %.2f · chrF %.2f (%d sentences, %.1f s)",
                       r.step, r.epoch, r.loss, r.perplexity, r.bleu, r.chrf ?? .nan, r.sentences, r.seconds) + mark)
        case let .checkpoint(path, step):
            say("checkpoint step \(step) → \(path)")
        case let .warning(text):
            say("warning: " + text)
        case let .note(text):
            say(text)
        }
    }

    /// A message on its own line (above the progress line on a terminal).
    func say(_ text: String) {
        write((lineShown ? "\r\u{1B}[K" : "") + text + "\n")
        lineShown = false
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    /// `step 1200/10000 · ep 3 · loss 3.214 · ppl 24.9 · 10.4k tok/s · lr 5.0e-04 · tf 0.92 · 7:12 · ETA 41:03`
    static func line(_ p: TrainingProgress) -> String {
        let step = p.maxSteps.map { "step \(p.step)/\($0)" } ?? "step \(p.step)"
        var parts = [step, "ep \(p.epoch)", String(format: "loss %.3f", p.loss), String(format: "ppl %.1f", p.perplexity),
                     "\(rate(p.targetTokensPerSecond)) tok/s", String(format: "lr %.1e", Double(p.learningRate)),
                     String(format: "tf %.2f", p.teacherForcing), duration(p.elapsedSeconds)]
        if let eta = p.etaSeconds { parts.append("ETA " + duration(eta)) }
        return parts.joined(separator: " · ")
    }

    static func rate(_ x: Double) -> String { x >= 1000 ? String(format: "%.1fk", x / 1000) : String(format: "%.0f", x) }

    /// h:mm:ss or m:ss.
    static func duration(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded()))
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
