import ArgumentParser

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Render a training metrics log as an SVG curve."
    )

    func run() throws { throw NotBuiltYet(command: "plot") }
}
