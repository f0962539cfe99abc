import ArgumentParser
import Foundation
import S2SBenchmarks
import S2SEval
import S2SLayers
import S2STraining

/// `s2s bench long-range`: the vanishing-gradient experiment (`LongRangeRecall`): each cell
/// trained to name the first token of a sequence from its last state, at each length, with the
/// accuracy reached and the gradient norm through time at initialization (and, with `--plot`,
/// an SVG of it).
struct BenchLongRangeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "long-range",
        abstract: "Vanishing gradients measured: recall the first of L tokens, per recurrent cell.",
        discussion: """
            Prints, per cell and length: held-out accuracy (chance = 1/classes), the final training \
            loss, and the gradient norm that reaches the first token relative to the last, at \
            initialization and after training. The table goes to stdout, progress to stderr.
            """
    )

    @Option(parsing: .upToNextOption, help: "Cells to compare (\(RecurrentCellKind.names)).")
    var cells: [RecurrentCellKind] = RecurrentCellKind.allCases
    @Option(parsing: .upToNextOption, help: "Sequence lengths L.") var lengths: [Int] = [50, 100]
    @Option(help: "Adam updates per run.") var steps = 1500
    @Option(help: "Sequences per update.") var batch = 32
    @Option(help: "Recurrent state size.") var hidden = 64
    @Option(help: "Kinds of distractor token after the first (1 = a blank, as in the copying-memory task).")
    var distractors = 1
    @Option(help: "adam, or sgd with momentum 0.9.") var optimizer = "adam"
    @Option(help: "Learning rate (default 3e-3 for adam, 0.1 for sgd).") var lr: Float?
    @Option(help: "Initial bias toward keeping the state on the LSTM's forget, the GRU's update and the gated cell's gate (0 = PyTorch's init).")
    var keepGateBias: Float = 0
    @Option(help: "Seed of initialization and data.") var seed: UInt64 = 1
    @Option(help: "Write the gradient norm through time at initialization as SVG here.")
    var plot: String?

    func validate() throws {
        guard steps >= 100 else { throw ValidationError("--steps must be at least 100, got \(steps)") }
        guard lengths.allSatisfy({ $0 >= 2 }) else { throw ValidationError("--lengths must each be at least 2, got \(lengths)") }
        guard ["adam", "sgd"].contains(optimizer) else { throw ValidationError("--optimizer must be adam or sgd, got '\(optimizer)'") }
        guard distractors >= 1 else { throw ValidationError("--distractors must be at least 1, got \(distractors)") }
        guard batch >= 1, hidden >= 1 else { throw ValidationError("--batch and --hidden must be positive") }
    }

    func run() throws {
        #if DEBUG
        FileHandle.standardError.write(Data("warning: debug build; use `swift build -c release`\n".utf8))
        #endif
        print("cell    L    accuracy  chance  final loss  ‖∂L/∂x_first‖ / ‖∂L/∂x_last‖ (init → trained)  seconds")
        var series: [(label: String, norms: [Double])] = []
        for length in lengths {
            for cell in cells {
                var options = LongRangeRecall.Options(cell: cell, length: length)
                options.steps = steps
                options.batch = batch
                options.hidden = hidden
                options.distractors = distractors
                options.optimizer = optimizer == "sgd" ? .sgd : .adam
                options.learningRate = lr ?? (optimizer == "sgd" ? 0.1 : 3e-3)
                options.keepGateBias = keepGateBias
                options.seed = seed
                let start = Date()
                let result = LongRangeRecall(options).run { step, loss in
                    FileHandle.standardError.write(Data(String(format: "\r%@ L=%d: update %d, loss %.3f", cell.rawValue, length, step, loss).utf8))
                }
                FileHandle.standardError.write(Data("\n".utf8))
                func ratio(_ n: [Double]) -> String { String(format: "%.1e", n.last! / max(n.first!, 1e-30)) }
                print(String(format: "%-6@ %4d  %8.3f  %6.3f  %10.3f  %@ → %@  %30.0f", cell.rawValue as NSString, length,
                             result.accuracy, result.chance, result.finalLoss, ratio(result.initialGradientNorms) as NSString,
                             ratio(result.trainedGradientNorms) as NSString, Date().timeIntervalSince(start)))
                series.append(("\(cell.rawValue) L=\(length)", result.initialGradientNorms))
            }
        }
        if let plot {
            let title = "Gradient norm through time at initialization" + (keepGateBias != 0 ? ", keep-gate bias \(keepGateBias)" : "")
            let svg = try GradientNormPlot.svg(series, title: title)
            try svg.write(toFile: plot, atomically: true, encoding: .utf8)
            FileHandle.standardError.write(Data("wrote \(plot)\n".utf8))
        }
    }
}
