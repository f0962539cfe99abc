import ArgumentParser
import S2SBundle
import S2SModel

/// The `s2s` command: one subcommand per stage of the pipeline.
@main
struct S2S: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "s2s",
        abstract: "Sequence-to-sequence translation: corpus → vocabulary → training → translation → evaluation.",
        discussion: ModelSearchPath.helpText,
        version: VersionReport.text,
        subcommands: [
            CorpusCommand.self,
            VocabCommand.self,
            TokenizeCommand.self,
            DetokenizeCommand.self,
            TrainCommand.self,
            TranslateCommand.self,
            EvaluateCommand.self,
            AttentionCommand.self,
            ServeCommand.self,
            PlotCommand.self,
            ModelCommand.self,
            BenchCommand.self,
            CheckFixtureCommand.self,
        ]
    )
}
