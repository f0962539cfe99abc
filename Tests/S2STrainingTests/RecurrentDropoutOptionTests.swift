import Testing
import S2SModel
@testable import S2STraining

/// `--dropout-rec` reaches the model configuration and the summary, is refused outside [0, 1)
/// with the flag named, and is part of a run's identity on resume.
@Test func recurrentDropoutOptionResolvesValidatesAndPinsOnResume() throws {
    var o = TrainingOverrides()
    o.recurrentDropout = 0.2
    let resolved = try o.resolve(saved: nil)
    #expect(resolved.model.recurrentDropout == 0.2)
    #expect(resolved.model.dropoutRates.recurrent == 0.2)
    #expect(resolved.summaryLines.contains { $0.contains("rec 0.2") }, "\(resolved.summaryLines)")
    #expect(try TrainingOverrides().resolve(saved: nil).model.recurrentDropout == 0)

    for bad: Float in [1, -0.1, .nan] {
        var b = TrainingOverrides()
        b.recurrentDropout = bad
        #expect(throws: TrainingError.self) { _ = try b.resolve(saved: nil) }
        do {
            _ = try b.resolve(saved: nil)
        } catch {
            #expect(error.description == "--dropout-rec must be in [0, 1), got \(bad)", "\(error.description)")
        }
    }
    var changed = TrainingOverrides()
    changed.recurrentDropout = 0.3
    do {
        _ = try changed.resolve(saved: resolved)
        Issue.record("a changed --dropout-rec on resume was accepted")
    } catch {
        #expect(error.description.contains("--dropout-rec 0.3 (checkpoint: 0.2)"), "\(error.description)")
    }
    // Flags over a configuration file: the flag's rate wins.
    #expect(o.overlaid(by: changed).recurrentDropout == 0.3)
    #expect(TrainingOverrides(options: resolved).recurrentDropout == 0.2)
}
