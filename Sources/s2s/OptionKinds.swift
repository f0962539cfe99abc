import ArgumentParser
import S2SDistributed
import S2SLayers
import S2SModel
import S2SNumerics
import S2STraining

// The kinds `s2s train` and the decoding commands take as option values: each parses, lists its
// values in --help and in completions, and rejects anything else, as a type.

extension AttentionKind: ExpressibleByArgument {
    /// `--attention` takes Luong's name, `general`, for the bilinear score.
    package init?(argument: String) { self.init(optionName: argument) }
    package var defaultValueDescription: String { optionName }
    package static var allValueStrings: [String] { allCases.map(\.optionName) }
}

extension Precision: ExpressibleByArgument {}
extension PrecisionChoice: ExpressibleByArgument {}
extension RecurrentCellKind: ExpressibleByArgument {}
extension EmbeddingTying: ExpressibleByArgument {}
extension GradientCompression: ExpressibleByArgument {}
extension TrainingOptions.OptimizerKind: ExpressibleByArgument {}
extension TrainingOptions.ScheduleKind: ExpressibleByArgument {}
extension TrainingOptions.BestMetric: ExpressibleByArgument {}
