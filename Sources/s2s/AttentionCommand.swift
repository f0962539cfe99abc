import ArgumentParser

struct AttentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attention",
        abstract: "Write an SVG heatmap of a translation's attention weights."
    )

    func run() throws { throw NotBuiltYet(command: "attention") }
}
