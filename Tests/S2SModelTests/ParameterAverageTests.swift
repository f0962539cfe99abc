import Testing
@testable import S2SModel

/// Checkpoint averaging is the element-wise mean and refuses models of another architecture.
struct ParameterAverageTests {
    static let config = ModelConfig(sourceVocabulary: 11, targetVocabulary: 13, embedding: 6, hidden: 5,
                                    decoderHidden: 7, attentionSize: 4, layers: 1)

    @Test func isTheElementWiseMean() throws {
        let models = try [1, 2, 3].map { try Seq2SeqModel(config: Self.config, seed: UInt64($0)) }
        let mean = try ParameterAverage.average(models)
        #expect(mean.config == Self.config)
        for (k, p) in mean.parameters.all.enumerated() {
            #expect(p.name == models[0].parameters.all[k].name)
            for j in 0..<p.value.count {
                let expected = models.reduce(Double(0)) { $0 + Double($1.parameters.all[k].value.data[j]) } / 3
                #expect(abs(Double(p.value.data[j]) - expected) < 1e-6, "\(p.name)[\(j)]")
            }
        }
        // The inputs are untouched: averaging a model with itself gives it back bit for bit.
        let same = try ParameterAverage.average([models[0], models[0]])
        for (p, q) in zip(same.parameters.all, models[0].parameters.all) {
            #expect((0..<p.value.count).allSatisfy { p.value.data[$0] == q.value.data[$0] })
        }
    }

    @Test func refusesAnotherArchitectureNamingIt() throws {
        var other = Self.config
        other.hidden = 6
        let models = [try Seq2SeqModel(config: Self.config), try Seq2SeqModel(config: other)]
        #expect(throws: ParameterAverage.Failure.self) { try ParameterAverage.average(models) }
        do {
            _ = try ParameterAverage.average(models)
        } catch {
            #expect(error.description.contains("model 2") && error.description.contains("one architecture"))
        }
        #expect(throws: ParameterAverage.Failure.self) { try ParameterAverage.average([]) }
    }
}
